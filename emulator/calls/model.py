"""A simulated call's state, and the invocation events built from it.

Plain objects: the engine mutates them under `Call.lock`; readers take `to_dict()` snapshots under
the same lock.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.calls.parties import CalleeProfile, Party
from emulator.calls.timeline import Timeline, Timer

SCHEMA_VERSION = "1.0"

# InvocationEventTypes whose response the service acts on (others: the answer is ignored, except that
# its TransactionAttributes are kept: handlers copy ArgumentsMap into TransactionAttributes on
# NEW_OUTBOUND_CALL, which only works if those are honoured).
RESPONSE_USED = frozenset(
    {
        "NEW_INBOUND_CALL",
        "CALL_ANSWERED",
        "ACTION_SUCCESSFUL",
        "ACTION_FAILED",
        "INVALID_LAMBDA_RESPONSE",
        "DIGITS_RECEIVED",
        "CALL_UPDATE_REQUESTED",
        "HANGUP",
    }
)


def now_ms() -> int:
    return int(time.time() * 1000)


def clone(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars), several times cheaper than copy.deepcopy."""
    if type(value) is dict:
        return {key: clone(item) for key, item in value.items()}
    if type(value) is list:
        return [clone(item) for item in value]
    return value


@dataclass
class Listener:
    """A ReceiveDigits action listening on one leg for the rest of the call."""

    params: dict[str, Any]
    buffer: str = ""
    between: Timer | None = None
    flush: Timer | None = None

    def cancel(self) -> None:
        for timer in (self.between, self.flush):
            if timer is not None:
                timer.cancel()
        self.between = self.flush = None


@dataclass
class CallRecording:
    """StartCallRecording's state on one leg."""

    track: str
    bucket: str
    key: str
    state: str  # "recording" | "paused" | "stopped"
    started_ms: int
    pauses: int = 0


@dataclass
class Leg:
    tag: str
    call_id: str
    to: str
    from_: str
    direction: str
    start_ms: int
    status: str | None  # None until an outbound leg is answered
    sip_headers: dict[str, str] | None = None  # what an inbound INVITE carried, as the events show it
    kind: str = "pstn"  # "pstn" | "aws" (a Voice Connector endpoint) | "meeting"
    party: Party | None = None
    listener: Listener | None = None
    voice_focus: bool = False
    recording: CallRecording | None = None
    meeting: tuple[str, str] | None = None  # (meeting id, attendee id) of a meeting leg

    def to_event(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "CallId": self.call_id,
            "ParticipantTag": self.tag,
            "To": self.to,
            "From": self.from_,
            "Direction": self.direction,
            "StartTimeInMilliseconds": str(self.start_ms),
        }
        if self.status is not None:
            out["Status"] = self.status
        if self.sip_headers:
            out["SipHeaders"] = dict(self.sip_headers)
        return out

    @property
    def connected(self) -> bool:
        return self.status == "Connected"

    def state(self) -> dict[str, Any]:
        """The simulator's view of the leg beyond the event fields (for the call record)."""
        return {
            "participantTag": self.tag,
            "kind": self.kind,
            "voiceFocus": self.voice_focus,
            "listening": self.listener.params.get("InputDigitsRegex") if self.listener else None,
            "recording": self.recording.state if self.recording else None,
            "meeting": {"meetingId": self.meeting[0], "attendeeId": self.meeting[1]}
            if self.meeting
            else None,
            "party": self.party.to_dict() if self.party else None,
        }


@dataclass(frozen=True)
class Target:
    """The SIP media application serving a call, and where it sat in the rule."""

    sip_media_application_id: str
    region: str
    lambda_arn: str
    priority: int | None


@dataclass
class Stimulus:
    kind: str  # "digits" | "say" | "hangup" | "update" | "idle" | "tick" | "meeting-left"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Running:
    """The action running now: its timers, and how it reacts to what happens meanwhile."""

    action: dict[str, Any]
    kind: str
    params: dict[str, Any]
    leg: Leg | None
    label: str = "running"  # what the call record says it waits for
    interruptible: bool = False
    started_ms: int = 0
    timers: list[Timer] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    on_digit: Callable[[Leg, str], bool] | None = None  # True when the action took the digit
    on_say: Callable[[Leg, str], bool] | None = None
    on_silence: Callable[[Leg], None] | None = None
    on_stop: Callable[[str], None] | None = (
        None  # "interrupted" | "abandoned": clean up (a recording's object)
    )

    def cancel_timers(self) -> None:
        for timer in self.timers:
            timer.cancel()
        self.timers.clear()


@dataclass
class Call:
    transaction_id: str
    direction: str
    account_id: str
    from_number: str
    to_number: str
    sip_rule_id: str | None = None
    request_uri_hostname: str | None = None
    target: Target | None = None
    legs: list[Leg] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    pending: deque[dict[str, Any]] = field(default_factory=deque)
    current: Running | None = None
    report: dict[str, Any] | None = None  # what ACTION_SUCCESSFUL will carry when the list has run
    listen_report: dict[str, Any] | None = None  # a ReceiveDigits' report, for a list of only those
    parked: str | None = None  # "idle" | "timer" while the driver is away
    park_real: float = 0.0  # monotonic time and virtual time when parked on a scaled timer
    park_virtual: int = 0
    park_target: int = 0
    sequence: int = 0
    status: str = "active"  # "active" | "completed" | "failed"
    sip_response_code: str | None = None
    end_reason: str | None = None
    answered: bool = False  # the SIP media application answered LEG-A (inbound)
    state_timer: Timer | None = None  # the 30 s attempt timeout of an inbound call nothing acts on
    bridges: int = 0  # CallAndBridge answered at least once: counts twice towards the quota
    bridge_profile: CalleeProfile | None = (
        None  # the `bridge` shorthand: how the first bridge's callee answers
    )
    inbox: deque[Stimulus] = field(default_factory=deque)
    driving: bool = True  # born busy: the engine drives a new call at once
    timer: Any = None  # the real-time timer of a parked call
    timer_token: int = 0
    timeline: Timeline = field(default_factory=Timeline)
    started_epoch_ms: int = field(default_factory=now_ms)
    steps: int = 0
    voice_focus_times: deque[int] = field(default_factory=deque)
    invocations: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=lambda: threading.Condition(threading.Lock()))

    @property
    def ended(self) -> bool:
        return self.status != "active"

    @property
    def settled(self) -> bool:
        return self.ended or (not self.driving and not self.inbox)

    @property
    def virtual_ms(self) -> int:
        return self.timeline.now

    def epoch_ms(self) -> int:
        """The wall-clock time of the call's virtual now."""
        return self.started_epoch_ms + self.timeline.now

    def leg(self, tag: str) -> Leg | None:
        return next((leg for leg in self.legs if leg.tag == tag), None)

    def leg_by_call_id(self, call_id: str) -> Leg | None:
        return next((leg for leg in self.legs if leg.call_id == call_id), None)

    def connected_legs(self) -> list[Leg]:
        return [leg for leg in self.legs if leg.connected]

    def bridged_leg(self) -> Leg | None:
        """LEG-B when it is a connected bridge (PSTN or Voice Connector), not a meeting."""
        leg = self.leg("LEG-B")
        return leg if leg is not None and leg.connected and leg.kind != "meeting" else None

    def meeting_leg(self) -> Leg | None:
        leg = self.leg("LEG-B")
        return leg if leg is not None and leg.connected and leg.kind == "meeting" else None

    def next_step(self) -> int:
        self.steps += 1
        return self.steps

    def note(self, text: str) -> None:
        self.notes.append({"step": self.next_step(), "virtualMs": self.timeline.now, "note": text})

    def build_event(
        self, event_type: str, action_data: dict[str, Any] | None = None, extra: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        assert self.target is not None
        details: dict[str, Any] = {"TransactionId": self.transaction_id}
        if self.attributes:
            details["TransactionAttributes"] = dict(self.attributes)
        details["AwsAccountId"] = self.account_id
        details["AwsRegion"] = self.target.region
        if self.sip_rule_id is not None:
            details["SipRuleId"] = self.sip_rule_id
        details["SipMediaApplicationId"] = self.target.sip_media_application_id
        details["Participants"] = [leg.to_event() for leg in self.legs]
        event: dict[str, Any] = {
            "SchemaVersion": SCHEMA_VERSION,
            "Sequence": self.sequence,
            "InvocationEventType": event_type,
        }
        if action_data is not None:
            event["ActionData"] = clone(action_data)
        event["CallDetails"] = details
        if extra:
            event.update(extra)
        return event

    def waiting_for(self) -> str | None:
        if self.ended:
            return None
        if self.current is not None:
            return self.current.label
        return "idle" if self.parked else None

    def to_dict(self, include_events: bool = True) -> dict[str, Any]:
        # Shallow copies are snapshots enough: an invocation's event and answer, an action's or a note's
        # record are never changed once appended (only an invocation's own top-level flags are).
        invocations = (
            [dict(r) for r in self.invocations]
            if include_events
            else [{k: v for k, v in r.items() if k not in ("event", "response")} for r in self.invocations]
        )
        caller = self.leg("LEG-A")
        return {
            "transactionId": self.transaction_id,
            "direction": self.direction,
            "status": self.status,
            "sipResponseCode": self.sip_response_code,
            "endReason": self.end_reason,
            "from": self.from_number,
            "to": self.to_number,
            "requestUriHostname": self.request_uri_hostname,
            "sipRuleId": self.sip_rule_id,
            "sipMediaApplicationId": self.target.sip_media_application_id if self.target else None,
            "region": self.target.region if self.target else None,
            "priority": self.target.priority if self.target else None,
            "answered": self.answered,
            "virtualMs": self.timeline.now,
            "participants": [leg.to_event() for leg in self.legs],
            "legs": [leg.state() for leg in self.legs],
            "transactionAttributes": dict(self.attributes),
            "pendingDigits": caller.party.typeahead if caller is not None and caller.party else "",
            "pendingActions": [a.get("Type") for a in self.pending],
            "runningAction": self.current.kind if self.current and not self.ended else None,
            "waitingFor": self.waiting_for(),
            "settled": self.settled,
            "invocationCount": len(self.invocations),
            "invocations": invocations,
            "actions": [dict(a) for a in self.actions],
            "notes": [dict(n) for n in self.notes],
        }


def new_id() -> str:
    return str(uuid.uuid4())
