"""The smallest meeting service JoinChimeMeeting and ModifyChimeMeetingAttendees need: meetings, their
attendees' join tokens, mute state and which call joined as which attendee. A test tool, not the
Amazon Chime SDK Meetings API (no media, no other attendees' audio, no namespaces).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Attendee:
    attendee_id: str
    join_token: str
    external_user_id: str = ""
    muted: bool = False
    transaction_id: str | None = None  # the simulated call that joined with this token

    def to_dict(self) -> dict[str, Any]:
        return {
            "AttendeeId": self.attendee_id,
            "JoinToken": self.join_token,
            "ExternalUserId": self.external_user_id,
            "muted": self.muted,
            "joinedBy": self.transaction_id,
        }


@dataclass
class Meeting:
    meeting_id: str
    attendees: dict[str, Attendee] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"MeetingId": self.meeting_id, "Attendees": [a.to_dict() for a in self.attendees.values()]}


class MeetingBook:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._meetings: dict[str, Meeting] = {}

    def create(
        self, names: list[str], meeting_id: str | None = None, tokens: list[str] | None = None
    ) -> Meeting:
        meeting = Meeting(meeting_id or str(uuid.uuid4()))
        for index, name in enumerate(names):
            token = tokens[index] if tokens and index < len(tokens) else uuid.uuid4().hex
            attendee = Attendee(str(uuid.uuid4()), token, name)
            meeting.attendees[attendee.attendee_id] = attendee
        with self._lock:
            self._meetings[meeting.meeting_id] = meeting
        return meeting

    def by_token(self, token: str) -> tuple[Meeting, Attendee] | None:
        with self._lock:
            for meeting in self._meetings.values():
                for attendee in meeting.attendees.values():
                    if attendee.join_token == token:
                        return meeting, attendee
        return None

    def get(self, meeting_id: str) -> Meeting | None:
        with self._lock:
            return self._meetings.get(meeting_id)

    def join(self, meeting_id: str, attendee_id: str, transaction_id: str | None) -> None:
        with self._lock:
            meeting = self._meetings.get(meeting_id)
            if meeting is not None and attendee_id in meeting.attendees:
                meeting.attendees[attendee_id].transaction_id = transaction_id

    def set_muted(self, meeting_id: str, attendee_ids: list[str], muted: bool) -> list[str]:
        """Mute or unmute; the ids that are not attendees of the meeting (nothing changes then)."""
        with self._lock:
            meeting = self._meetings.get(meeting_id)
            if meeting is None:
                return list(attendee_ids)
            missing = [a for a in attendee_ids if a not in meeting.attendees]
            if not missing:
                for attendee_id in attendee_ids:
                    meeting.attendees[attendee_id].muted = muted
            return missing

    def delete(self, meeting_id: str) -> list[str] | None:
        """End a meeting; the calls that had joined it (None: no such meeting)."""
        with self._lock:
            meeting = self._meetings.pop(meeting_id, None)
        if meeting is None:
            return None
        return [a.transaction_id for a in meeting.attendees.values() if a.transaction_id]

    def remove_attendee(self, meeting_id: str, attendee_id: str) -> tuple[bool, str | None]:
        """(found, the call that had joined as this attendee)."""
        with self._lock:
            meeting = self._meetings.get(meeting_id)
            attendee = meeting.attendees.pop(attendee_id, None) if meeting else None
        return attendee is not None, attendee.transaction_id if attendee else None

    def listing(self) -> list[dict[str, Any]]:
        with self._lock:
            return [m.to_dict() for m in self._meetings.values()]

    def clear(self) -> None:
        with self._lock:
            self._meetings.clear()
