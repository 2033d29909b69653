"""Developer Guide, "Hangup" and "Ending a call" (case-5): which events a hang-up brings, on a one-leg and
a bridged call, and the reading the take-back-and-transfer sample relies on (ACTION_SUCCESSFUL for a
Hangup of one leg after its HANGUP)."""

from __future__ import annotations

from emulator.calls.service import CallService
from tests.simulator.plans import bridge, hangup, on, speak
from tests.simulator.support import FakeDirectory, admin_post, event_types, invocation, planned_call, spoken

NUMBER = "+15550200101"
CALLEE = "+15550200199"


def test_hangup_of_the_only_leg_ends_the_call_with_hangup_whose_answer_is_ignored(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", speak("{A}", "bye"), hangup(code="486")),
        on("HANGUP", speak("{A}", "never")),
    )
    assert event_types(record) == ["NEW_INBOUND_CALL", "HANGUP"]
    hung = invocation(record, "HANGUP")
    assert (
        hung["ActionData"]["Parameters"]["SipResponseCode"] == 486
    )  # a number, as the event reference shows
    assert hung["CallDetails"]["Participants"][0]["Status"] == "Disconnected"
    assert not record["invocations"][-1]["responseUsed"] and spoken(record) == ["bye"]
    assert (record["status"], record["sipResponseCode"]) == ("completed", "486")


def test_hangup_of_leg_b_brings_hangup_then_action_successful(
    service: CallService, directory: FakeDirectory
) -> None:
    """take-back-and-transfer: Hangup(LEG-B), its HANGUP answered with [], then ACTION_SUCCESSFUL(Hangup)."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge(CALLEE)),
        on("ACTION_SUCCESSFUL", hangup("{B}"), type="CallAndBridge"),
        on("HANGUP", tag="LEG-B"),
        on("ACTION_SUCCESSFUL", speak("{A}", "transferred"), type="Hangup", once=True),
    )
    assert event_types(record)[:4] == ["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL", "HANGUP", "ACTION_SUCCESSFUL"]
    hung = invocation(record, "HANGUP")
    legs = {p["ParticipantTag"]: p["Status"] for p in hung["CallDetails"]["Participants"]}
    assert legs == {"LEG-A": "Connected", "LEG-B": "Disconnected"}
    assert record["invocations"][2]["responseUsed"]  # LEG-A still up: the HANGUP's answer is run
    assert invocation(record, "ACTION_SUCCESSFUL", 1)["ActionData"]["Type"] == "Hangup"
    assert spoken(record) == ["transferred"] and record["status"] == "active"


def test_actions_in_the_hangup_answer_run_instead(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge(CALLEE)),
        on("ACTION_SUCCESSFUL", hangup("{B}"), type="CallAndBridge"),
        on("HANGUP", speak("{A}", "the other side left"), tag="LEG-B"),
        on("ACTION_SUCCESSFUL", hangup(), type="Speak"),
    )
    assert [e for e in event_types(record)] == [
        "NEW_INBOUND_CALL",
        "ACTION_SUCCESSFUL",
        "HANGUP",
        "ACTION_SUCCESSFUL",
        "HANGUP",
    ]
    assert invocation(record, "ACTION_SUCCESSFUL", 1)["ActionData"]["Type"] == "Speak"
    assert spoken(record) == ["the other side left"] and record["status"] == "completed"


def test_when_one_leg_hangs_up_the_other_stays_until_the_handler_ends_it(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", bridge(CALLEE)))
    done = admin_post(service, record["transactionId"], "hangup", {"participantTag": "LEG-B"})
    hung = [i for i in done["invocations"] if i["eventType"] == "HANGUP"]
    assert [h["event"]["ActionData"]["Parameters"]["ParticipantTag"] for h in hung] == ["LEG-B"]
    assert hung[0]["responseUsed"] and done["status"] == "active"  # the answer ([]) left LEG-A up
    assert [p["Status"] for p in done["participants"]] == ["Connected", "Disconnected"]


def test_hangup_before_anything_answers_rejects_the_call(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", hangup(code="480")))
    assert record["answered"] is False and "LEG-A rejected (not answered)" in [
        n["note"] for n in record["notes"]
    ]
    assert event_types(record) == ["NEW_INBOUND_CALL", "HANGUP"]
