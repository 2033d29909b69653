"""Developer Guide, "CallAndBridge" and its rows of "Debugging unexpected ACTION_FAILED events": bridging
to a callee whose behaviour each test scripts (`PUT /_emulator/callees/{number}`), on the virtual clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from emulator.calls.service import CallService
from tests.simulator.plans import action, bridge, hangup, on, speak, write_plan
from tests.simulator.support import (
    FakeDirectory,
    admin_post,
    event_types,
    handler_specs,
    invocation,
    place_call,
    planned_call,
    spoken,
)

NUMBER = "+15550201101"
CALLEE = "+15550201199"
OWNED = "+15550201150"
VC_ARN = "arn:aws:chime:us-east-1:123456789012:vc/abcdef1234"


def callee(service: CallService, address: str = CALLEE, **profile: Any) -> None:
    assert service.handle_admin("PUT", f"/_emulator/callees/{address}", profile)[0] == 200


def bridged(
    service: CallService, directory: FakeDirectory, *extra_rules: dict[str, Any], **params: Any
) -> dict[str, Any]:
    return planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge(CALLEE, **params)),
        *extra_rules,
        on("ACTION_FAILED", hangup()),
    )


def test_the_callee_answers(service: CallService, directory: FakeDirectory) -> None:
    record = bridged(service, directory, CallTimeoutSeconds=30)
    success = invocation(record, "ACTION_SUCCESSFUL")
    caller, leg_b = success["CallDetails"]["Participants"]
    assert success["ActionData"]["Parameters"]["CallId"] == caller["CallId"]
    assert success["ActionData"]["Parameters"]["Endpoints"] == [{"BridgeEndpointType": "PSTN", "Uri": CALLEE}]
    assert {k: leg_b[k] for k in ("ParticipantTag", "To", "From", "Direction", "Status")} == {
        "ParticipantTag": "LEG-B",
        "To": CALLEE,
        "From": caller["From"],
        "Direction": "Outbound",
        "Status": "Connected",
    }
    assert event_types(record) == [
        "NEW_INBOUND_CALL",
        "ACTION_SUCCESSFUL",
    ]  # no RINGING/CALL_ANSWERED for LEG-B


@pytest.mark.parametrize(
    ("profile", "at"),
    [
        ({"outcome": "busy"}, 0),
        ({"outcome": "unreachable"}, 0),
        ({"outcome": "reject", "ringSeconds": 4}, 4000),
        ({"outcome": "no-answer"}, 20000),
        ({"ringSeconds": 25}, 20000),  # rings longer than CallTimeoutSeconds
    ],
)
def test_not_answered(
    service: CallService, directory: FakeDirectory, profile: dict[str, Any], at: int
) -> None:
    callee(service, **profile)
    record = bridged(service, directory, CallTimeoutSeconds=20)
    failed = invocation(record, "ACTION_FAILED")
    data = failed["ActionData"]
    assert (data["ErrorType"], data["ErrorMessage"]) == ("CallNotAnswered", "Call not answered")
    assert [p["ParticipantTag"] for p in failed["CallDetails"]["Participants"]] == ["LEG-A"]
    assert data["Parameters"]["CallId"] == record["participants"][0]["CallId"]
    assert record["invocations"][1]["virtualMs"] == at


def test_the_default_timeout_is_30_seconds(service: CallService, directory: FakeDirectory) -> None:
    callee(service, outcome="no-answer")
    record = bridged(service, directory)
    assert record["invocations"][1]["virtualMs"] == 30000


def test_answered_after_ringing(service: CallService, directory: FakeDirectory) -> None:
    callee(service, ringSeconds=7)
    record = bridged(service, directory)
    assert record["invocations"][1]["virtualMs"] == 7000 and record["answered"] is True


def test_the_callee_hangs_up_later(service: CallService, directory: FakeDirectory) -> None:
    """ "If one call leg hangs up, the other call leg does not automatically hang up": HANGUP is answered."""
    callee(service, hangupAfterSeconds=12)
    record = bridged(service, directory, on("HANGUP", speak("{A}", "they left"), hangup(), tag="LEG-B"))
    hung = invocation(record, "HANGUP")
    assert (
        hung["ActionData"]["Parameters"]["ParticipantTag"] == "LEG-B"
        and record["invocations"][2]["virtualMs"] == 12000
    )
    assert spoken(record) == ["they left"] and record["status"] == "completed"


def test_the_callee_presses_keys(service: CallService, directory: FakeDirectory) -> None:
    callee(service, script=[{"at": 2, "digits": "7"}])
    listen = action(
        "ReceiveDigits",
        CallId="{B}",
        InputDigitsRegex="7",
        InBetweenDigitsDurationInMilliseconds=100,
        FlushDigitsDurationInMilliseconds=1000,
    )
    record = bridged(service, directory, on("ACTION_SUCCESSFUL", listen, type="CallAndBridge"))
    assert (
        invocation(record, "DIGITS_RECEIVED")["ActionData"]["Parameters"]["CallId"]
        == record["participants"][1]["CallId"]
    )


def test_the_caller_id_must_be_owned_or_the_callers_number(
    service: CallService, directory: FakeDirectory
) -> None:
    directory.numbers.add(OWNED)
    assert "ACTION_SUCCESSFUL" in event_types(bridged(service, directory, caller_id=OWNED))
    record = bridged(service, directory, caller_id="+15550201151")
    assert invocation(record, "ACTION_FAILED")["ActionData"]["ErrorMessage"] == (
        "Provided caller ID number is invalid. "
        "Number must be owned by this AWS account, or be the From number of LEG-A."
    )


def test_a_voice_connector_endpoint_with_sip_headers(service: CallService, directory: FakeDirectory) -> None:
    endpoint = {"BridgeEndpointType": "AWS", "Uri": "5550100", "Arn": VC_ARN}
    headers = {"X-Case": "42", "User-to-User": "616d;encoding=hex"}
    record = planned_call(
        service,
        directory,
        NUMBER,
        on(
            "NEW_INBOUND_CALL",
            action("CallAndBridge", CallerIdNumber="{FROM}", Endpoints=[endpoint], SipHeaders=headers),
        ),
    )
    assert record["legs"][1]["kind"] == "aws" and record["legs"][1]["party"]["sentSipHeaders"] == headers
    assert "SipHeaders" not in invocation(record, "ACTION_SUCCESSFUL")["CallDetails"]["Participants"][1]


def test_a_voice_connector_of_another_account_is_refused(
    service: CallService, directory: FakeDirectory
) -> None:
    endpoint = {
        "BridgeEndpointType": "AWS",
        "Uri": "5550100",
        "Arn": VC_ARN.replace("123456789012", "210987654321"),
    }
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", action("CallAndBridge", CallerIdNumber="{FROM}", Endpoints=[endpoint])),
        on("ACTION_FAILED", hangup()),
    )
    assert (
        invocation(record, "ACTION_FAILED")["ActionData"]["ErrorMessage"] == "Endpoint parameter is invalid."
    )


def test_a_second_bridge_while_leg_b_is_up(service: CallService, directory: FakeDirectory) -> None:
    record = bridged(
        service, directory, on("ACTION_SUCCESSFUL", bridge("+15550201198"), type="CallAndBridge", once=True)
    )
    assert invocation(record, "ACTION_FAILED")["ActionData"]["ErrorMessage"] == "Invalid action on the call."


def test_bridging_again_after_leg_b_hung_up_replaces_it(
    service: CallService, directory: FakeDirectory
) -> None:
    """take-back-and-transfer re-bridges to another endpoint once the first LEG-B is gone."""
    record = bridged(service, directory, on("HANGUP", bridge("+15550201198"), tag="LEG-B", once=True))
    done = admin_post(service, record["transactionId"], "hangup", {"participantTag": "LEG-B"})
    assert [p["To"] for p in done["participants"]] == [NUMBER, "+15550201198"]
    assert [p["Status"] for p in done["participants"]] == ["Connected", "Connected"]


def test_a_ringback_tone_must_be_readable(service: CallService, directory: FakeDirectory) -> None:
    tone = {"Type": "S3", "BucketName": "tones", "Key": "ring.wav"}
    service.handle_admin("PUT", "/_emulator/buckets/tones", {})
    record = bridged(service, directory, RingbackTone=tone)
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "InvalidAudioSource",
        "Cannot access S3 bucket or audio file.",
    )
    service.handle_admin("PUT", "/_emulator/objects/tones/ring.wav", {})
    record = bridged(service, directory, RingbackTone=tone)
    assert any("LEG-A hears ringback s3://tones/ring.wav" in n["note"] for n in record["notes"])


def test_the_bridge_shorthand_of_an_inbound_call(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge(CALLEE)),
        on("ACTION_FAILED", hangup()),
        bridge="busy",
    )
    assert invocation(record, "ACTION_FAILED")["ActionData"]["ErrorType"] == "CallNotAnswered"


@pytest.fixture
def limited() -> Iterator[tuple[CallService, FakeDirectory]]:
    directory = FakeDirectory()
    service = CallService(
        directory, handler_specs(), lambda_timeout=5.0, idle_hangup=30, active_calls_per_sma=3
    )
    yield service, directory
    service.close()


def test_a_bridged_call_counts_twice_towards_the_active_call_quota(
    limited: tuple[CallService, FakeDirectory],
) -> None:
    """The CallAndBridge page: each bridge counts as two calls towards the application's active calls."""
    service, directory = limited
    sma = directory.add_sma("planned")
    directory.add_rule(NUMBER, [(sma, "us-east-1", 1)])
    directory.add_rule(OWNED, [(sma, "us-east-1", 1)])
    write_plan(NUMBER, on("NEW_INBOUND_CALL", bridge(CALLEE)))
    write_plan(OWNED, on("NEW_INBOUND_CALL", speak("{A}", "hold on")))
    first = place_call(service, NUMBER)
    assert first["participants"][1]["Status"] == "Connected"  # bridged: 2 of 3
    assert place_call(service, OWNED)["status"] == "active"  # 3 of 3
    refused = place_call(service, OWNED, "+15550000003")
    assert (refused["status"], refused["invocationCount"]) == ("failed", 0)
    assert "3 active calls" in refused["endReason"]
