"""The call engine through `CallService`, with an in-test Directory and real handler processes."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.calls.service import CallService
from emulator.errors import BadRequestError, NotFoundError
from tests.simulator.conftest import LAMBDA_TIMEOUT
from tests.simulator.fixtures.scenarios import CALLER_ID, NUMBERS
from tests.simulator.support import (
    ACCOUNT_ID,
    CALLER,
    FakeDirectory,
    admin_post,
    call_scenario,
    event_types,
    function_arn,
    place_call,
    spoken,
    update_and_settle,
)

NUMBER = "+15550001111"


def test_inbound_call_events_follow_the_contract(service: CallService, directory: FakeDirectory) -> None:
    rule_id = directory.route(NUMBER, "speak-hangup")
    record = place_call(service, NUMBER)

    assert record["status"] == "completed" and record["sipResponseCode"] == "0"
    assert event_types(record) == ["NEW_INBOUND_CALL", "HANGUP"]
    first, hangup = (i["event"] for i in record["invocations"])
    assert first["SchemaVersion"] == "1.0" and first["Sequence"] == 1 and "ActionData" not in first
    details = first["CallDetails"]
    assert details["TransactionId"] == record["transactionId"]
    assert details["AwsAccountId"] == ACCOUNT_ID and details["AwsRegion"] == "us-east-1"
    assert (
        details["SipRuleId"] == rule_id
        and details["SipMediaApplicationId"] == record["sipMediaApplicationId"]
    )
    [leg] = details["Participants"]
    assert leg["ParticipantTag"] == "LEG-A" and leg["Direction"] == "Inbound" and leg["Status"] == "Connected"
    assert (leg["To"], leg["From"]) == (NUMBER, CALLER)
    assert leg["StartTimeInMilliseconds"].isdigit() and leg["CallId"]
    assert hangup["Sequence"] == 2
    assert hangup["ActionData"] == {
        "Type": "Hangup",
        "Parameters": {"SipResponseCode": 0, "CallId": leg["CallId"], "ParticipantTag": "LEG-A"},
    }  # a number, as the event reference prints it
    assert hangup["CallDetails"]["Participants"][0]["Status"] == "Disconnected"
    assert [i["responseUsed"] for i in record["invocations"]] == [True, False]  # last leg's HANGUP: ignored
    assert spoken(record) == [f"Hello {CALLER}"]
    assert record["invocations"][0]["logs"] == "event NEW_INBOUND_CALL seq 1\n"


def test_no_enabled_rule_is_a_not_found_error(service: CallService, directory: FakeDirectory) -> None:
    with pytest.raises(NotFoundError, match=r"No enabled SIP rule routes calls to \+15550002222"):
        place_call(service, "+15550002222")
    sma = directory.add_sma("speak-hangup")
    directory.add_rule("+15550002222", [(sma, "us-east-1", 1)], disabled=True)
    with pytest.raises(NotFoundError):
        place_call(service, "+15550002222")


def test_request_uri_hostname_rules_route_voice_connector_calls(
    service: CallService, directory: FakeDirectory
) -> None:
    sma = directory.add_sma("speak-hangup")
    rule = directory.add_rule(
        "abc.voiceconnector.chime.aws", [(sma, "us-east-1", 1)], trigger_type="RequestUriHostname"
    )
    record = place_call(service, "+15550003333", requestUriHostname="ABC.voiceconnector.chime.aws")
    assert record["sipRuleId"] == rule and record["status"] == "completed"


@pytest.mark.parametrize(
    ("primary", "outcome"),
    [("raises", "error"), ("sleeps", "timeout"), ("nowhere", "unmapped"), ("not-json", "not-json")],
)
def test_failover_to_priority_two_when_the_first_lambda_cannot_be_invoked(
    service: CallService, directory: FakeDirectory, primary: str, outcome: str, request: pytest.FixtureRequest
) -> None:
    directory.route(NUMBER, primary, "backup")
    # Only the timeout case needs (and waits for) a short Lambda timeout.
    caller = request.getfixturevalue("impatient_service") if primary == "sleeps" else service
    record = place_call(caller, NUMBER)

    first, second = record["invocations"][:2]
    assert (first["eventType"], first["priority"], first["region"], first["outcome"]) == (
        "NEW_INBOUND_CALL",
        1,
        "us-east-1",
        outcome,
    )
    assert (second["eventType"], second["priority"], second["region"], second["outcome"]) == (
        "NEW_INBOUND_CALL",
        2,
        "us-west-2",
        "ok",
    )
    assert second["event"]["CallDetails"]["AwsRegion"] == "us-west-2"
    assert record["priority"] == 2 and record["region"] == "us-west-2"
    assert spoken(record) == ["backup in us-west-2"]  # the backup worker runs with AWS_REGION us-west-2
    assert record["status"] == "completed"


def test_failover_when_the_first_application_no_longer_exists(
    service: CallService, directory: FakeDirectory
) -> None:
    backup = directory.add_sma("backup", "us-west-2")
    directory.add_rule(NUMBER, [("sma-deleted", "us-east-1", 1), (backup, "us-west-2", 2)])
    record = place_call(service, NUMBER)
    assert [i["outcome"] for i in record["invocations"][:2]] == ["unmapped", "ok"]
    assert record["priority"] == 2


def test_the_call_ends_480_when_every_target_fails(service: CallService, directory: FakeDirectory) -> None:
    directory.route(NUMBER, "raises", "nowhere")
    record = place_call(service, NUMBER)
    assert record["status"] == "failed" and record["sipResponseCode"] == "480"
    assert [(i["priority"], i["outcome"]) for i in record["invocations"]] == [(1, "error"), (2, "unmapped")]
    assert "RuntimeError: handler is broken" in record["invocations"][0]["error"]
    assert "RuntimeError" in record["invocations"][0]["logs"]  # the traceback, as CloudWatch would get it


def test_transaction_attributes_round_trip(service: CallService, directory: FakeDirectory) -> None:
    record = call_scenario(service, directory, "attributes")
    seen = [i["event"]["CallDetails"].get("TransactionAttributes") for i in record["invocations"]]
    assert seen == [
        None,  # nothing set yet
        {"step": "1", "caller": CALLER},
        {"step": "2", "caller": CALLER},  # merged key by key
        None,  # {} cleared them all
        None,
    ]
    assert spoken(record) == ["one", "two", f"bye {CALLER}"]
    assert record["status"] == "completed"


@pytest.mark.parametrize("flow", ["digits", "play_digits"])
def test_digit_actions_consume_the_callers_digits(
    service: CallService, directory: FakeDirectory, flow: str
) -> None:
    record = call_scenario(service, directory, flow, digits="1234#")
    success = record["invocations"][1]
    assert success["eventType"] == "ACTION_SUCCESSFUL"
    assert success["event"]["ActionData"]["ReceivedDigits"] == "1234"
    assert success["event"]["ActionData"]["Type"] in ("SpeakAndGetDigits", "PlayAudioAndGetDigits")
    assert spoken(record) == ["PIN 1234"]


def test_invalid_digits_after_every_repeat_fail_the_action(
    service: CallService, directory: FakeDirectory
) -> None:
    record = call_scenario(service, directory, "digits", digits="12#99#")
    failed = record["invocations"][1]
    assert failed["eventType"] == "ACTION_FAILED"
    assert failed["event"]["ActionData"]["ErrorType"] == "InvalidDigitsReceived"
    assert failed["event"]["ActionData"]["Type"] == "SpeakAndGetDigits"
    assert spoken(record) == ["failed InvalidDigitsReceived"]


def test_a_digits_action_takes_keys_typed_in_a_later_attempt(
    service: CallService, directory: FakeDirectory
) -> None:
    """Attempt 1 (prompt 0.84 s, 3 s wait) gets nothing; the failure prompt plays; the caller types during
    attempt 2, on the call's virtual clock (no real waiting at --time-scale 0)."""
    record = call_scenario(service, directory, "digits", script=[{"at": 5, "digits": "4321#"}])
    assert record["status"] == "completed" and spoken(record) == ["PIN 4321"]
    notes = [n["note"] for n in record["notes"]]
    assert "SpeakAndGetDigits: '' is not valid input (attempt 1 of 2)" in notes
    digits_action = next(a for a in record["actions"] if a["type"] == "SpeakAndGetDigits")
    assert (digits_action["startedMs"], digits_action["virtualMs"]) == (0, 5000)


def test_a_digits_action_nobody_answers_fails_after_its_attempts(
    service: CallService, directory: FakeDirectory
) -> None:
    record = call_scenario(service, directory, "digits")
    failed = record["invocations"][1]["event"]["ActionData"]
    assert (failed["Type"], failed["ErrorType"]) == ("SpeakAndGetDigits", "InvalidDigitsReceived")
    # 2 attempts: prompt 840 ms + 3000 ms wait, failure prompt 540 ms, prompt 840 ms + 3000 ms wait
    assert record["invocations"][1]["virtualMs"] == 840 + 3000 + 540 + 840 + 3000


def test_receive_digits_listens_in_the_background(service: CallService, directory: FakeDirectory) -> None:
    record = call_scenario(service, directory, "listen")
    listened = record["invocations"][1]
    assert listened["eventType"] == "ACTION_SUCCESSFUL"
    assert listened["event"]["ActionData"]["Type"] == "Speak"  # the list's last action
    assert record["status"] == "active" and record["waitingFor"] == "idle"

    done = admin_post(service, record["transactionId"], "digits", {"digits": "42#"})
    received = next(i for i in done["invocations"] if i["eventType"] == "DIGITS_RECEIVED")
    assert received["event"]["ActionData"]["ReceivedDigits"] == "42#"
    assert received["event"]["ActionData"]["Type"] == "ReceiveDigits"
    assert spoken(done) == ["listening", "got 42#"] and done["status"] == "completed"


def test_receive_digits_alone_reports_success_with_no_digits_yet(
    service: CallService, directory: FakeDirectory
) -> None:
    record = call_scenario(service, directory, "listen", digits="77")  # does not match ^\d{2}#$: flushed
    assert "DIGITS_RECEIVED" not in event_types(record)
    assert any("flushed" in n["note"] for n in record["notes"])


def test_call_and_bridge_adds_an_answering_leg_b(service: CallService, directory: FakeDirectory) -> None:
    directory.route(NUMBERS["bridge"], "scenarios")
    directory.numbers.add(CALLER_ID)
    record = place_call(service, NUMBERS["bridge"])
    bridged = record["invocations"][1]
    assert bridged["eventType"] == "ACTION_SUCCESSFUL"
    legs = {p["ParticipantTag"]: p for p in bridged["event"]["CallDetails"]["Participants"]}
    assert legs["LEG-B"]["Direction"] == "Outbound" and legs["LEG-B"]["Status"] == "Connected"
    assert legs["LEG-B"]["To"] == "+15557770000" and legs["LEG-B"]["From"] == CALLER_ID
    assert legs["LEG-A"]["Status"] == "Connected" and record["status"] == "active"

    done = admin_post(service, record["transactionId"], "hangup", {"participantTag": "LEG-A"})
    hangups = [i for i in done["invocations"] if i["eventType"] == "HANGUP"]
    assert [h["event"]["ActionData"]["Parameters"]["ParticipantTag"] for h in hangups] == ["LEG-A", "LEG-B"]
    assert [h["responseUsed"] for h in hangups] == [True, False]  # LEG-B still up → the answer is run
    assert done["status"] == "completed"


@pytest.mark.parametrize(
    ("flow", "bridge", "error_type"),
    [
        ("bad_caller_id", "answer", "InvalidActionParameter"),
        ("bridge", "busy", "CallNotAnswered"),
        ("bridge", "no-answer", "CallNotAnswered"),
    ],
)
def test_call_and_bridge_failures(
    service: CallService, directory: FakeDirectory, flow: str, bridge: str, error_type: str
) -> None:
    directory.route(NUMBERS[flow], "scenarios")
    directory.numbers.add(CALLER_ID)
    record = place_call(service, NUMBERS[flow], bridge=bridge)
    failed = record["invocations"][1]
    assert failed["eventType"] == "ACTION_FAILED"
    assert failed["event"]["ActionData"]["ErrorType"] == error_type
    assert spoken(record) == [f"bridge failed {error_type}"]


def test_an_action_on_an_unknown_call_id_fails_and_drops_the_rest(
    service: CallService, directory: FakeDirectory
) -> None:
    record = call_scenario(service, directory, "wrong_call_id")
    failed = record["invocations"][1]
    assert failed["eventType"] == "ACTION_FAILED"
    assert failed["event"]["ActionData"]["ErrorType"] == "InvalidActionParameter"
    assert failed["event"]["ActionData"]["Parameters"]["CallId"] == "no-such-call"
    assert spoken(record) == ["failed InvalidActionParameter"]  # the queued Speak was dropped


def test_an_invalid_response_gets_invalid_lambda_response_and_the_call_continues(
    service: CallService, directory: FakeDirectory
) -> None:
    record = call_scenario(service, directory, "invalid")
    first, invalid = record["invocations"][:2]
    assert first["validationError"]["errorType"] == "TooManyActions" and not first["responseUsed"]
    assert first["validationError"]["detail"] == "11 actions"
    assert invalid["eventType"] == "INVALID_LAMBDA_RESPONSE"
    assert invalid["event"]["ErrorType"] == "TooManyActions"
    assert invalid["event"]["ErrorMessage"] == "Too many actions specified in a response."
    assert "ActionData" not in invalid["event"]
    assert spoken(record)[0].startswith("TooManyActions: ")
    assert record["status"] == "completed"


def test_the_tutorial_handler_speaks_then_its_hangup_fails_until_the_invocation_limit(
    service: CallService, directory: FakeDirectory
) -> None:
    """Speak without CallId runs on LEG-A; Hangup "200" is ACTION_FAILED; the handler answers that with
    the same two actions, so the greeting repeats until the 1,000-invocation limit."""
    directory.route(NUMBER, "tutorial")
    record = place_call(service, NUMBER)
    types = event_types(record)
    assert types[0] == "NEW_INBOUND_CALL" and set(types[1:]) == {"ACTION_FAILED"}
    assert all(i["validationError"] is None for i in record["invocations"])
    failed = record["invocations"][1]["event"]["ActionData"]
    assert failed == {
        "Type": "Hangup",
        "Parameters": {"SipResponseCode": "200"},
        "ErrorType": "InvalidActionParameter",
        "ErrorMessage": "SipResponseCode parameter value is invalid.",
    }
    assert len(types) == 1000 and record["invocations"][-1]["event"]["Sequence"] == 1000
    assert record["status"] == "failed" and "invocation limit" in record["endReason"]
    assert len(spoken(record)) == 1000  # one greeting per answer, the last one's too


def test_a_mid_call_failure_is_retried_once_then_the_call_ends_480(
    service: CallService, directory: FakeDirectory
) -> None:
    record = call_scenario(service, directory, "fail_midcall")
    tail = [(i["eventType"], i["sequence"], i["attempt"], i["outcome"]) for i in record["invocations"][1:]]
    assert tail == [("ACTION_SUCCESSFUL", 2, 1, "error"), ("ACTION_SUCCESSFUL", 2, 2, "error")]
    assert record["status"] == "failed" and record["sipResponseCode"] == "480"


def test_update_reaches_an_idle_call_then_the_caller_hangs_up(
    service: CallService, directory: FakeDirectory
) -> None:
    record = call_scenario(service, directory, "idle")
    assert record["status"] == "active" and record["waitingFor"] == "idle"
    updated = update_and_settle(service, record, {"message": "hi"})
    update = next(i for i in updated["invocations"] if i["eventType"] == "CALL_UPDATE_REQUESTED")
    assert update["event"]["ActionData"] == {
        "Type": "CallUpdateRequest",
        "Parameters": {"Arguments": {"message": "hi"}},
    }
    assert spoken(updated) == ["hold on", "update says hi"] and updated["status"] == "active"

    done = admin_post(service, record["transactionId"], "hangup", {})
    assert done["status"] == "completed" and event_types(done)[-1] == "HANGUP"
    with pytest.raises(NotFoundError):
        service.update_call("us-east-1", record["sipMediaApplicationId"], record["transactionId"], {})
    with pytest.raises(NotFoundError):
        admin_post(service, record["transactionId"], "digits", {"digits": "1"})


def test_update_of_an_unknown_call_or_another_application_is_not_found(
    service: CallService, directory: FakeDirectory
) -> None:
    record = call_scenario(service, directory, "idle")
    with pytest.raises(NotFoundError):
        service.update_call(
            "us-east-1", record["sipMediaApplicationId"], "00000000-0000-0000-0000-000000000000", {}
        )
    with pytest.raises(NotFoundError):
        service.update_call("us-east-1", "another-sma", record["transactionId"], {})
    with pytest.raises(NotFoundError):
        service.update_call("us-west-2", record["sipMediaApplicationId"], record["transactionId"], {})


def test_lambda_context_and_environment(service: CallService, directory: FakeDirectory) -> None:
    directory.route(NUMBER, "probe")
    record = place_call(service, NUMBER)
    attrs = record["invocations"][-1]["event"]["CallDetails"]["TransactionAttributes"]
    assert attrs["function_name"] == attrs["env_name"] == "probe"
    assert attrs["env_region"] == "us-east-1" and attrs["arn"] == function_arn("probe")
    assert 0 < int(attrs["remaining_ms"]) <= LAMBDA_TIMEOUT * 1000
    assert attrs["path0"].endswith("tests/simulator/fixtures")
    assert attrs["pid"] == attrs["pid2"]  # warm: one process served both invocations
    again = place_call(service, NUMBER)
    assert again["invocations"][-1]["event"]["CallDetails"]["TransactionAttributes"]["pid"] == attrs["pid"]


def test_handler_folder_is_on_sys_path(service: CallService, directory: FakeDirectory) -> None:
    directory.route(NUMBER, "uses-import")
    assert spoken(place_call(service, NUMBER)) == ["imported from the bundle root"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from": CALLER}, "to"),
        ({"to": NUMBER}, "from"),
        ({"to": NUMBER, "from": CALLER, "digits": "12a"}, "digits"),
        ({"to": NUMBER, "from": CALLER, "requestUriHostname": 5}, "requestUriHostname"),
        ({"to": NUMBER, "from": CALLER, "bridge": "maybe"}, "bridge"),
        ([], "body"),
    ],
)
def test_bad_admin_requests_name_the_field(service: CallService, body: Any, field: str) -> None:
    with pytest.raises(BadRequestError, match=field):
        service.handle_admin("POST", "/_emulator/calls", body)


def test_unknown_calls_and_paths_are_not_found(service: CallService) -> None:
    with pytest.raises(NotFoundError):
        service.handle_admin("GET", "/_emulator/calls/nope", None)
    with pytest.raises(NotFoundError):
        service.handle_admin("DELETE", "/_emulator/calls", None)


def test_list_and_reset(service: CallService, directory: FakeDirectory) -> None:
    record = call_scenario(service, directory, "idle")
    status, listing = service.handle_admin("GET", "/_emulator/calls", None)
    assert status == 200 and [c["transactionId"] for c in listing["calls"]] == [record["transactionId"]]
    service.reset()
    assert service.handle_admin("GET", "/_emulator/calls", None)[1] == {"calls": []}
    with pytest.raises(NotFoundError):
        service.update_call("us-east-1", record["sipMediaApplicationId"], record["transactionId"], {})
