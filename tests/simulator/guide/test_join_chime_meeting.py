"""Developer Guide pages "JoinChimeMeeting", "ModifyChimeMeetingAttendee (muting and unmuting audio)",
"Understanding end-to-end calls" and "Ending a call": the meeting leg, what ends it, muting, and the
failures the pages list, against the simulator's meeting registry (no meeting service)."""

from __future__ import annotations

from typing import Any

from emulator.calls.service import CallService
from tests.simulator.plans import action, bridge, hangup, on
from tests.simulator.support import FakeDirectory, admin_post, event_types, invocation, planned_call

NUMBER = "+15550201001"


def meeting(service: CallService, attendees: int = 2) -> dict[str, Any]:
    status, created = service.handle_admin("POST", "/_emulator/meetings", {"attendees": attendees})
    assert status == 201
    return dict(created)


def join(token: str, **params: Any) -> dict[str, Any]:
    return action("JoinChimeMeeting", JoinToken=token, CallId="{A}", **params)


def test_joining_adds_the_meeting_leg(service: CallService, directory: FakeDirectory) -> None:
    room = meeting(service)
    token = room["Attendees"][0]["JoinToken"]
    record = planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", join(token, MeetingId=room["MeetingId"]))
    )
    success = invocation(record, "ACTION_SUCCESSFUL")
    assert success["ActionData"]["Type"] == "JoinChimeMeeting"
    caller, meeting_leg = success["CallDetails"]["Participants"]
    assert (caller["ParticipantTag"], caller["Status"]) == ("LEG-A", "Connected")
    assert {k: meeting_leg[k] for k in ("ParticipantTag", "To", "From", "Direction", "Status")} == {
        "ParticipantTag": "LEG-B",
        "To": "+17035550122",
        "From": "SMA",
        "Direction": "Outbound",
        "Status": "Connected",
    }
    joined = service.handle_admin("GET", "/_emulator/meetings", None)[1]["meetings"][0]["Attendees"][0]
    assert joined["joinedBy"] == record["transactionId"]


def test_a_token_of_no_attendee_is_invalid(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", join("nope")), on("ACTION_FAILED", hangup())
    )
    assert (
        invocation(record, "ACTION_FAILED")["ActionData"]["ErrorMessage"]
        == "JoinToken parameter value is invalid."
    )


def test_not_on_a_bridged_call(service: CallService, directory: FakeDirectory) -> None:
    token = meeting(service)["Attendees"][0]["JoinToken"]
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge("+15550201099"), join(token)),
        on("ACTION_FAILED", hangup("{B}")),
    )
    assert invocation(record, "ACTION_FAILED")["ActionData"]["ErrorMessage"] == "Invalid action on the call."


def test_the_caller_hanging_up_ends_both_legs_with_one_hangup(
    service: CallService, directory: FakeDirectory
) -> None:
    """use-cases: HANGUP for LEG-A lists both legs Disconnected; its answer is ignored."""
    token = meeting(service)["Attendees"][0]["JoinToken"]
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", join(token)))
    done = admin_post(service, record["transactionId"], "hangup", {})
    hangups = [i for i in done["invocations"] if i["eventType"] == "HANGUP"]
    assert len(hangups) == 1 and not hangups[0]["responseUsed"]
    assert [p["Status"] for p in hangups[0]["event"]["CallDetails"]["Participants"]] == ["Disconnected"] * 2


def test_the_meeting_ending_hangs_up_the_meeting_leg(service: CallService, directory: FakeDirectory) -> None:
    """case-5: HANGUP for LEG-B with LEG-A still connected; its answer is run."""
    room = meeting(service)
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", join(room["Attendees"][0]["JoinToken"])),
        on("HANGUP", hangup(), tag="LEG-B"),
    )
    assert service.handle_admin("DELETE", f"/_emulator/meetings/{room['MeetingId']}", None)[0] == 204
    done = service.handle_admin("GET", f"/_emulator/calls/{record['transactionId']}/ended", None)[1]
    assert event_types(done)[-2:] == ["HANGUP", "HANGUP"]
    first = next(i for i in done["invocations"] if i["eventType"] == "HANGUP")
    assert first["event"]["ActionData"]["Parameters"]["ParticipantTag"] == "LEG-B" and first["responseUsed"]


def test_hangup_of_the_meeting_leg_leaves_the_meeting_without_a_hangup_event(
    service: CallService, directory: FakeDirectory
) -> None:
    token = meeting(service)["Attendees"][0]["JoinToken"]
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", join(token)),
        on("ACTION_SUCCESSFUL", action("Hangup", ParticipantTag="LEG-B"), type="JoinChimeMeeting"),
    )
    assert event_types(record) == ["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL", "ACTION_SUCCESSFUL"]
    assert invocation(record, "ACTION_SUCCESSFUL", 1)["ActionData"]["Type"] == "Hangup"
    assert [p["Status"] for p in record["participants"]] == ["Connected", "Disconnected"]


def mute(meeting_id: str, attendees: list[str], operation: str = "Mute") -> dict[str, Any]:
    return action(
        "ModifyChimeMeetingAttendees",
        Operation=operation,
        MeetingId=meeting_id,
        ParticipantTag="LEG-B",
        AttendeeList=attendees,
    )


def test_muting_attendees(service: CallService, directory: FakeDirectory) -> None:
    room = meeting(service)
    other = room["Attendees"][1]["AttendeeId"]
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", join(room["Attendees"][0]["JoinToken"])),
        on("ACTION_SUCCESSFUL", mute(room["MeetingId"], [other]), type="JoinChimeMeeting"),
    )
    assert invocation(record, "ACTION_SUCCESSFUL", 1)["ActionData"]["Type"] == "ModifyChimeMeetingAttendees"
    attendees = service.handle_admin("GET", "/_emulator/meetings", None)[1]["meetings"][0]["Attendees"]
    assert [a["muted"] for a in attendees] == [False, True]


def test_mute_failures_carry_an_error_list(service: CallService, directory: FakeDirectory) -> None:
    room = meeting(service)
    cases = [
        (
            mute(room["MeetingId"], ["stranger"]),
            "One or more attendees are not part of this meeting. All attendees must be part of this meeting.",
            ["stranger"],
        ),
        (
            mute("another-meeting", [room["Attendees"][1]["AttendeeId"]]),
            "The meeting ID parameter is invalid.",
            [],
        ),
        (mute(room["MeetingId"], []), "Attendee List parameter is invalid.", []),
    ]
    for modify, message, error_list in cases:
        service.handle_admin("DELETE", f"/_emulator/meetings/{room['MeetingId']}", None)
        room = meeting(service)
        modify["Parameters"]["MeetingId"] = (
            room["MeetingId"] if modify["Parameters"]["MeetingId"] != "another-meeting" else "another-meeting"
        )
        if error_list == [] and modify["Parameters"]["AttendeeList"]:
            modify["Parameters"]["AttendeeList"] = [room["Attendees"][1]["AttendeeId"]]
        record = planned_call(
            service,
            directory,
            NUMBER,
            on("NEW_INBOUND_CALL", join(room["Attendees"][0]["JoinToken"]), modify),
            on("ACTION_FAILED", hangup()),
        )
        failed = invocation(record, "ACTION_FAILED")["ActionData"]
        assert (failed["ErrorMessage"], failed["ErrorList"]) == (message, error_list)


def test_muting_on_a_call_with_no_meeting(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", mute("m", ["a"])), on("ACTION_FAILED", hangup())
    )
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorMessage"], failed["ErrorList"]) == ("Call is not connected to Chime Meeting.", [])
