"""Handlers written from the Developer Guide's own examples (tests/simulator/fixtures/guide_examples.py) run
through the simulator unchanged, and get the events their pages show, field by field where the page is
explicit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.calls.service import CallService
from tests.simulator.support import (
    CALLER,
    FakeDirectory,
    admin_post,
    call_record,
    event_types,
    handler_specs,
    invocation,
    place_call,
)

NUMBER = "+15550201401"


def test_understanding_end_to_end_calls(service: CallService, directory: FakeDirectory) -> None:
    service.handle_admin(
        "POST",
        "/_emulator/meetings",
        {"attendees": ["caller"], "joinTokens": ["meeting-attendee-join-token"]},
    )
    directory.route(NUMBER, "guide-end-to-end")
    # The welcome prompt (1 s) and the PIN prompt (1 s) play; the caller types the PIN during the wait.
    record = place_call(service, NUMBER, script=[{"at": 3, "digits": "12345"}])
    pin = invocation(record, "ACTION_SUCCESSFUL")
    assert pin["Sequence"] == 2 and pin["ActionData"]["ReceivedDigits"] == "12345"
    assert pin["ActionData"]["Parameters"]["MaxNumberOfDigits"] == 5
    joined = invocation(record, "ACTION_SUCCESSFUL", 1)
    assert joined["Sequence"] == 3
    assert joined["ActionData"] == {
        "Type": "JoinChimeMeeting",
        "Parameters": {"JoinToken": "meeting-attendee-join-token"},
    }
    caller, meeting_leg = joined["CallDetails"]["Participants"]
    assert (caller["ParticipantTag"], caller["Direction"], caller["Status"]) == (
        "LEG-A",
        "Inbound",
        "Connected",
    )
    assert (meeting_leg["ParticipantTag"], meeting_leg["Direction"], meeting_leg["Status"]) == (
        "LEG-B",
        "Outbound",
        "Connected",
    )
    assert record["status"] == "active"  # the answer `Actions: []` stops the actions, not the call

    done = admin_post(service, record["transactionId"], "hangup", {})
    hung = invocation(done, "HANGUP")
    assert hung["Sequence"] == 4
    assert hung["ActionData"]["Type"] == "Hangup"
    assert {k: hung["ActionData"]["Parameters"][k] for k in ("CallId", "ParticipantTag")} == {
        "CallId": caller["CallId"],
        "ParticipantTag": "LEG-A",
    }
    assert [p["Status"] for p in hung["CallDetails"]["Participants"]] == ["Disconnected", "Disconnected"]
    assert not done["invocations"][-1]["responseUsed"] and done["status"] == "completed"


@pytest.fixture
def scaled() -> Iterator[tuple[CallService, FakeDirectory]]:
    directory = FakeDirectory()
    service = CallService(directory, handler_specs(), lambda_timeout=5.0, idle_hangup=30, time_scale=0.1)
    yield service, directory
    service.close()


def test_updating_in_progress_calls(scaled: tuple[CallService, FakeDirectory]) -> None:
    service, directory = scaled
    service.handle_admin(
        "PUT", "/_emulator/objects/chime-meeting-audio-files-bucket/welcome.wav", {"durationSeconds": 600}
    )
    service.handle_admin("POST", "/_emulator/meetings", {"attendees": 1, "joinTokens": ["abc123"]})
    directory.route(NUMBER, "guide-update")
    record = place_call(service, NUMBER)
    assert record["waitingFor"] == "media"
    service.update_call(
        "us-east-1", record["sipMediaApplicationId"], record["transactionId"], {"JoinToken": "abc123"}
    )
    done = call_record(
        service, record["transactionId"], "settled"
    )  # the update is queued before this returns
    assert event_types(done) == [
        "NEW_INBOUND_CALL",
        "CALL_UPDATE_REQUESTED",
        "ACTION_INTERRUPTED",
        "ACTION_SUCCESSFUL",
    ]
    update = invocation(done, "CALL_UPDATE_REQUESTED")["ActionData"]
    assert update == {"Type": "CallUpdateRequest", "Parameters": {"Arguments": {"JoinToken": "abc123"}}}
    assert invocation(done, "ACTION_INTERRUPTED")["ActionData"]["Type"] == "PlayAudio"
    assert invocation(done, "ACTION_SUCCESSFUL")["ActionData"]["Type"] == "JoinChimeMeeting"


def test_using_transaction_attributes(service: CallService, directory: FakeDirectory) -> None:
    directory.route(NUMBER, "guide-attributes")
    record = place_call(service, NUMBER)
    seen = [
        (i["eventType"], i["event"]["CallDetails"].get("TransactionAttributes"))
        for i in record["invocations"]
    ]
    assert seen[:4] == [
        ("NEW_INBOUND_CALL", None),
        ("ACTION_SUCCESSFUL", {"key1": "value1", "key2": "value2"}),  # attribute-trans-success
        (
            "ACTION_SUCCESSFUL",
            {"key1": "value1", "key2": "value2", "NewKey1": "NewValue1", "NewKey2": "NewValue2"},
        ),
        ("ACTION_SUCCESSFUL", None),  # {} erased them all
    ]
    invalid = invocation(record, "INVALID_LAMBDA_RESPONSE")  # attribute-trans-invalid, with the 100 limit
    assert invalid["ErrorType"] == "TransactionAttributesInvalidMapSize"
    assert (
        invalid["ErrorMessage"]
        == "Transaction Attributes has too many mappings. Maximum number of mappings is 100"
    )
    assert "ActionData" not in invalid and record["status"] == "completed"


def test_receiving_caller_input(service: CallService, directory: FakeDirectory) -> None:
    directory.route(NUMBER, "guide-caller-input")
    record = place_call(service, NUMBER, script=[{"at": 2, "digits": "11#"}])
    assert event_types(record) == ["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL", "DIGITS_RECEIVED", "HANGUP"]
    listening = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    assert (listening["ReceivedDigits"], listening["Type"]) == ("", "ReceiveDigits")
    received = invocation(record, "DIGITS_RECEIVED")["ActionData"]
    assert (received["ReceivedDigits"], received["Type"]) == ("11#", "ReceiveDigits")


def test_call_and_bridge(service: CallService, directory: FakeDirectory) -> None:
    directory.route(NUMBER, "guide-call-and-bridge")
    record = place_call(service, NUMBER)
    bridged = invocation(record, "ACTION_SUCCESSFUL")
    assert (
        bridged["ActionData"]["Parameters"]["CallId"] == bridged["CallDetails"]["Participants"][0]["CallId"]
    )
    assert [p["Status"] for p in bridged["CallDetails"]["Participants"]] == ["Connected", "Connected"]

    service.handle_admin("PUT", "/_emulator/callees/+12065550100", {"outcome": "no-answer"})
    record = place_call(service, NUMBER)
    failed = invocation(record, "ACTION_FAILED")
    assert (failed["ActionData"]["ErrorType"], failed["ActionData"]["ErrorMessage"]) == (
        "CallNotAnswered",
        "Call not answered",
    )
    assert len(failed["CallDetails"]["Participants"]) == 1 and record["invocations"][1]["virtualMs"] == 30000


def test_making_an_outbound_call(service: CallService, directory: FakeDirectory) -> None:
    sma = directory.add_sma("guide-outbound")
    answered = call_record(
        service, service.start_outbound("us-east-1", sma, CALLER, "+12065550100", {}, {}), "ended"
    )
    assert event_types(answered) == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED", "HANGUP"]
    service.handle_admin("PUT", "/_emulator/callees/+12065550100", {"outcome": "busy"})
    busy = call_record(
        service, service.start_outbound("us-east-1", sma, CALLER, "+12065550100", {}, {}), "ended"
    )
    assert event_types(busy) == ["NEW_OUTBOUND_CALL", "HANGUP"]
    assert invocation(busy, "HANGUP")["ActionData"]["Parameters"]["SipResponseCode"] == 486
