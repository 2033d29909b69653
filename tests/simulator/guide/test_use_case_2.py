"""Developer Guide, "Specifying actions in response to telephony events" (use-case-2) and "Understanding
telephony events": one ACTION_SUCCESSFUL per action list, ACTION_FAILED clears what follows; with the
readings AWS's samples rely on for which action the success reports."""

from __future__ import annotations

from emulator.calls.service import CallService
from tests.simulator.plans import action, bridge, hangup, on, pause, play, receive_digits, speak
from tests.simulator.support import FakeDirectory, event_types, invocation, planned_call, spoken

NUMBER = "+15550200001"
CALLEE = "+15550209999"


def test_one_action_successful_when_the_whole_list_has_run(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", speak("{A}", "one"), pause(100), speak("{A}", "two")),
        on("ACTION_SUCCESSFUL", hangup()),
    )
    assert event_types(record) == ["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL", "HANGUP"]
    success = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    assert success == {
        "Type": "Speak",
        "Parameters": {"CallId": record["participants"][0]["CallId"], "Text": "two"},
    }
    assert spoken(record) == ["one", "two"]


def test_a_failed_action_clears_the_rest_of_the_list(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", speak("{A}", "before"), pause(50), speak("{A}", "never")),
        on("ACTION_FAILED", hangup()),
    )
    assert event_types(record) == ["NEW_INBOUND_CALL", "ACTION_FAILED", "HANGUP"]
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert failed["Type"] == "Pause" and failed["ErrorMessage"] == "The Duration parameter is invalid."
    assert spoken(record) == ["before"]
    assert [a["outcome"] for a in record["actions"]] == ["succeeded", "failed", "succeeded"]  # Hangup last


def test_a_trailing_receive_digits_does_not_take_the_report(
    service: CallService, directory: FakeDirectory
) -> None:
    """amazon-chime-sma-update-call answers [ReceiveDigits, PlayAudio] and waits for ACTION_SUCCESSFUL of
    PlayAudio; amazon-chime-sma-on-demand-recording answers [..., CallAndBridge, ReceiveDigits] and
    starts recording on ACTION_SUCCESSFUL of CallAndBridge."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", play("welcome.wav"), bridge(CALLEE), receive_digits(r"\d")),
        on("ACTION_SUCCESSFUL", speak("{A}", "bridged"), type="CallAndBridge", once=True),
    )
    success = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    assert success["Type"] == "CallAndBridge"
    assert success["Parameters"]["CallId"] == record["participants"][0]["CallId"]
    assert spoken(record) == ["bridged"]


def test_a_list_of_only_receive_digits_reports_it_with_no_digits(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", receive_digits(r"\d")))
    success = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    assert success["Type"] == "ReceiveDigits" and success["ReceivedDigits"] == ""


def test_speak_with_an_empty_call_id_runs_on_the_invoked_leg(
    service: CallService, directory: FakeDirectory
) -> None:
    """amazon-chime-sma-bridging sends Speak {CallId: ''} and Hangup {ParticipantTag: ''}; both run on AWS."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on(
            "NEW_INBOUND_CALL",
            speak("", "empty call id"),
            action("Hangup", SipResponseCode="0", ParticipantTag=""),
        ),
    )
    assert spoken(record) == ["empty call id"]
    assert (
        record["status"] == "completed" and [a["participantTag"] for a in record["actions"]] == ["LEG-A"] * 2
    )


def test_call_id_wins_over_participant_tag(service: CallService, directory: FakeDirectory) -> None:
    """amazon-chime-sdk-lex-lambda sends both; the pages say ParticipantTag is ignored with a CallId."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", speak("{A}", "both", ParticipantTag="LEG-B"), hangup()),
    )
    assert spoken(record) == ["both"]


def test_a_call_id_of_no_connected_participant_fails_the_action(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", speak("no-such-call", "lost")),
        on("ACTION_FAILED", hangup()),
    )
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "InvalidActionParameter",
        "CallId or ParticipantTag parameter for action is invalid.",
    )
    assert failed["Parameters"] == {"CallId": "no-such-call", "Text": "lost"}
