"""Developer Guide, "Receiving an inbound call" (case-1) and "Debugging unexpected hangups" ("Actions
list is empty."): what the answer to NEW_INBOUND_CALL does to the call."""

from __future__ import annotations

from emulator.calls.service import CallService
from tests.simulator.plans import answer, hangup, on, speak
from tests.simulator.support import FakeDirectory, event_types, invocation, planned_call, spoken

NUMBER = "+15550200201"


def test_an_empty_action_list_releases_the_call_at_once(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL"))
    assert event_types(record) == ["NEW_INBOUND_CALL", "HANGUP"]
    assert record["status"] == "completed" and record["virtualMs"] == 0 and record["answered"] is False
    assert "Actions list is empty.: the call is released unanswered" in [n["note"] for n in record["notes"]]
    assert invocation(record, "HANGUP")["ActionData"]["Parameters"]["SipResponseCode"] == 480


def test_no_actions_at_all_time_out_after_30_seconds(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(service, directory, NUMBER, answer("NEW_INBOUND_CALL", {"SchemaVersion": "1.0"}))
    assert event_types(record) == ["NEW_INBOUND_CALL", "HANGUP"]
    assert record["invocations"][1]["virtualMs"] == 30_000  # on the virtual clock: no real wait
    assert (record["status"], record["sipResponseCode"]) == ("completed", "480")


def test_the_first_media_action_answers_the_call(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", speak("{A}", "hello"), hangup()))
    assert record["answered"] is True and spoken(record) == ["hello"]


def test_the_answer_to_invalid_lambda_response_is_used(
    service: CallService, directory: FakeDirectory
) -> None:
    """The samples answer INVALID_LAMBDA_RESPONSE with an error prompt and Hangup (call-forwarding,
    on-demand-recording, voice-focus); the event carries ErrorType/ErrorMessage at the top level."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        answer("NEW_INBOUND_CALL", {"SchemaVersion": "2.0", "Actions": []}),
        on("INVALID_LAMBDA_RESPONSE", speak("{A}", "sorry"), hangup()),
    )
    invalid = invocation(record, "INVALID_LAMBDA_RESPONSE")
    assert invalid["ErrorType"] == "InvalidSchemaVersion" and "ActionData" not in invalid
    assert invalid["ErrorMessage"].startswith("The schema version in the invocation request does not match")
    assert spoken(record) == ["sorry"] and record["status"] == "completed"
