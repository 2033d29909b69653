"""End to end: a call placed through the local emulator reaches call_handler and hears the greeting.

A private emulator runs the handler file the way Lambda would (handlers/ as the bundle root); the
routing (number order, SIP media application, SIP rule) is created with boto3 like any user would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from pstn.answer_checks import validate_response
from testbed.emulator_process import ACCOUNT_ID, RunningEmulator, running_emulator

FUNCTION = "chime-pstn-routing-local-call-handler"
GREETING = "Thanks for calling the end to end test."
CALLER = "+12065550123"


@pytest.fixture(scope="module")
def routed() -> Iterator[tuple[RunningEmulator, str, str]]:
    """(emulator, our number, SIP media application id), with the handler behind a SIP rule."""
    args = ["--order-delay", "0", "--seed", "7", "--handler", f"{FUNCTION}=handlers/call_handler.py:handler"]
    with running_emulator(args, env={"GREETING": GREETING}) as emu:
        chime = emu.client()
        number = chime.search_available_phone_numbers(
            PhoneNumberType="TollFree", Country="US", TollFreePrefix="844", MaxResults=1
        )["E164PhoneNumbers"][0]
        order_id = chime.create_phone_number_order(
            ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[number]
        )["PhoneNumberOrder"]["PhoneNumberOrderId"]
        deadline = time.monotonic() + 10
        while (
            chime.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]["Status"]
            != "Successful"
        ):
            assert time.monotonic() < deadline, "number order did not complete"
            time.sleep(0.05)
        sma_id = chime.create_sip_media_application(
            AwsRegion="us-east-1",
            Name="e2e",
            Endpoints=[{"LambdaArn": f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:{FUNCTION}"}],
        )["SipMediaApplication"]["SipMediaApplicationId"]
        chime.create_sip_rule(
            Name="e2e",
            TriggerType="ToPhoneNumber",
            TriggerValue=number,
            TargetApplications=[{"SipMediaApplicationId": sma_id, "Priority": 1, "AwsRegion": "us-east-1"}],
        )
        yield emu, number, sma_id


def assert_greeted_and_hung_up(call: dict[str, Any]) -> None:
    assert call["status"] == "completed" and call["sipResponseCode"] == "0", call
    performed = [(a["type"], a["outcome"]) for a in call["actions"]]
    assert performed == [("Speak", "succeeded"), ("Hangup", "succeeded")], call["actions"]
    assert call["actions"][0]["detail"] == GREETING
    for invocation in call["invocations"]:
        assert invocation["outcome"] == "ok" and invocation["validationError"] is None, invocation
        assert validate_response(invocation["response"]) is None


def test_inbound_call_hears_the_greeting_and_a_clean_hangup(routed) -> None:
    emu, number, _ = routed
    call = emu.admin("POST", "/_emulator/calls", {"to": number, "from": CALLER})
    assert_greeted_and_hung_up(call)
    assert [i["eventType"] for i in call["invocations"]] == ["NEW_INBOUND_CALL", "HANGUP"]
    speak = call["invocations"][0]["response"]["Actions"][0]["Parameters"]
    assert speak["VoiceId"] == "Joanna" and speak["Engine"] == "neural"
    assert speak["CallId"] == call["participants"][0]["CallId"]
    logs = "".join(i["logs"] or "" for i in call["invocations"])
    assert '"message":"invocation"' in logs and CALLER not in logs and "***0123" in logs


def test_outbound_call_is_greeted_once_answered(routed) -> None:
    emu, number, sma_id = routed
    transaction_id = emu.client().create_sip_media_application_call(
        FromPhoneNumber=number, ToPhoneNumber=CALLER, SipMediaApplicationId=sma_id
    )["SipMediaApplicationCall"]["TransactionId"]
    call = emu.admin("GET", f"/_emulator/calls/{transaction_id}/ended")  # waits until the call ends
    assert_greeted_and_hung_up(call)
    events = [i["eventType"] for i in call["invocations"]]
    assert events[:3] == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED"] and events[-1] == "HANGUP"


def test_a_failed_greeting_is_said_once_more_in_the_default_voice_then_the_call_ends(routed) -> None:
    """The handler's ACTION_FAILED branch through the simulator: the service fails the first Speak
    (SystemException, as the Speak page's error table shows), the handler falls back once."""
    emu, number, _ = routed
    emu.admin("PUT", "/_emulator/action-faults/Speak", {"errorType": "SystemException", "times": 1})
    call = emu.admin("POST", "/_emulator/calls", {"to": number, "from": CALLER})
    events = [i["eventType"] for i in call["invocations"]]
    assert events[:2] == ["NEW_INBOUND_CALL", "ACTION_FAILED"] and events[-1] == "HANGUP", events
    failed = call["invocations"][1]["event"]["ActionData"]
    assert failed["Type"] == "Speak" and failed["ErrorType"] == "SystemException"
    fallback = call["invocations"][1]["response"]["Actions"]
    assert [a["Type"] for a in fallback] == ["Speak", "Hangup"]
    voice = fallback[0]["Parameters"]
    assert voice["VoiceId"] == "Joanna" and voice["Engine"] == "standard"
    performed = [(a["type"], a["outcome"]) for a in call["actions"]]
    assert performed == [("Speak", "failed"), ("Speak", "succeeded"), ("Hangup", "succeeded")], performed
    assert call["status"] == "completed"
