"""JoinChimeMeeting and ModifyChimeMeetingAttendees against the simulator's meeting registry
(`emulator.calls.meetings`; pages JoinChimeMeeting, ModifyChimeMeetingAttendee (muting and unmuting
audio), Understanding end-to-end calls, Ending a call).

JoinChimeMeeting: LEG-A only, not on a bridged call; the JoinToken must be an attendee's of a
registered meeting (and of MeetingId when given), else "JoinToken parameter value is invalid.".
Joining adds LEG-B, the meeting leg: Direction Outbound, To the meeting dial-in number, From "SMA"
(the *Ending a call* page's orientation; *Understanding end-to-end calls* swaps them), Connected.
Ending the meeting or removing the attendee hangs LEG-B up (HANGUP, answer run); the caller hanging
up ends both legs with one HANGUP for LEG-A (answer ignored); Hangup on LEG-B leaves the meeting
with ACTION_SUCCESSFUL and no HANGUP.

ModifyChimeMeetingAttendees: on the meeting leg (LEG-B by default); its failures carry ErrorList.
Not modelled: media, other attendees, the Meetings API and its namespaces (MeetingId is only compared
with the registry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.calls.model import Call, Leg, new_id
from pstn.action_checks import LEG_INVALID, given

if TYPE_CHECKING:
    from emulator.calls.engine import Engine, Runner

MEETING_NUMBER = "+17035550122"  # the meeting leg's number in the guide's examples
INVALID_ON_CALL = "Invalid action on the call."
BAD_TOKEN = "JoinToken parameter value is invalid."


def _join(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = engine.resolve_leg(call, params)
    if leg is None or leg.tag != "LEG-A":
        engine.fail(call, action, "InvalidActionParameter", LEG_INVALID)
        return
    if call.bridged_leg() is not None or call.meeting_leg() is not None:
        engine.fail(call, action, "InvalidActionParameter", INVALID_ON_CALL)
        return
    found = engine.meetings.by_token(str(params["JoinToken"]))
    if (
        found is None
        or (given(params, "MeetingId") and params["MeetingId"] != found[0].meeting_id)
        or found[1].transaction_id not in (None, call.transaction_id)
    ):
        engine.fail(call, action, "InvalidActionParameter", BAD_TOKEN)
        return
    meeting, attendee = found
    old = call.leg("LEG-B")
    if old is not None:
        call.legs.remove(old)
    engine.start(call, action, leg, "joining")
    meeting_leg = Leg(
        "LEG-B",
        new_id(),
        MEETING_NUMBER,
        "SMA",
        "Outbound",
        call.epoch_ms(),
        "Connected",
        kind="meeting",
        meeting=(meeting.meeting_id, attendee.attendee_id),
    )
    call.legs.append(meeting_leg)
    engine.meetings.join(meeting.meeting_id, attendee.attendee_id, call.transaction_id)
    engine.finish(
        call,
        {"Type": "JoinChimeMeeting", "Parameters": params},
        meeting_leg,
        f"meeting {meeting.meeting_id} as {attendee.attendee_id}",
    )


def _modify(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    def fail(message: str, error_list: list[str] | None = None) -> None:
        engine.fail(call, action, "InvalidActionParameter", message, {"ErrorList": error_list or []})

    meeting_leg = call.meeting_leg()
    if meeting_leg is None or meeting_leg.meeting is None:
        fail("Call is not connected to Chime Meeting.")
        return
    leg = engine.resolve_leg(call, params, default="LEG-B")
    if leg is None:
        fail(LEG_INVALID)
        return
    if leg is not meeting_leg:
        fail(INVALID_ON_CALL)
        return
    meeting_id = meeting_leg.meeting[0]
    if params["MeetingId"] != meeting_id:
        fail("The meeting ID parameter is invalid.")
        return
    attendees = [str(a) for a in params["AttendeeList"]]
    missing = engine.meetings.set_muted(meeting_id, attendees, params["Operation"] == "Mute")
    if missing:
        fail(
            "One or more attendees are not part of this meeting. All attendees must be part of this meeting.",
            missing,
        )
        return
    engine.start(call, action, leg, "meeting")
    engine.finish(
        call,
        {"Type": "ModifyChimeMeetingAttendees", "Parameters": params},
        leg,
        f"{params['Operation']} {', '.join(attendees)}",
    )


RUNNERS: dict[str, Runner] = {"JoinChimeMeeting": _join, "ModifyChimeMeetingAttendees": _modify}
