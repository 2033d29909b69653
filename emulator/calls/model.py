"""A simulated call's state, and the invocation events built from it.

Plain objects: the engine mutates them under `Call.lock`; readers take `to_dict()` snapshots under
the same lock.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

# InvocationEventTypes whose response the service acts on (others: the answer is ignored, except that
# its TransactionAttributes are kept: the guide says handlers copy ArgumentsMap into
# TransactionAttributes on NEW_OUTBOUND_CALL, which only works if those are honoured).
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


@dataclass
class Leg:
    tag: str
    call_id: str
    to: str
    from_: str
    direction: str
    start_ms: int
    status: str | None  # None until an outbound leg is answered

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
        return out

    @property
    def connected(self) -> bool:
        return self.status == "Connected"


@dataclass(frozen=True)
class Target:
    """The SIP media application serving a call, and where it sat in the rule."""

    sip_media_application_id: str
    region: str
    lambda_arn: str
    priority: int | None


@dataclass
class Stimulus:
    kind: str  # "digits" | "hangup" | "update" | "idle" | "media-done"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Call:
    transaction_id: str
    direction: str
    account_id: str
    from_number: str
    to_number: str
    sip_rule_id: str | None = None
    request_uri_hostname: str | None = None
    bridge_outcome: str = "answer"
    target: Target | None = None
    legs: list[Leg] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    digits: str = ""
    pending: deque[dict[str, Any]] = field(default_factory=deque)
    current: dict[str, Any] | None = None  # the action running (parked on) now
    digit_attempts: int = 0
    listener: dict[str, Any] | None = None  # a ReceiveDigits action listening in the background
    parked: str | None = None  # "idle" | "digits" | "media" while waiting for the outside world
    sequence: int = 0
    status: str = "active"  # "active" | "completed" | "failed"
    sip_response_code: str | None = None
    end_reason: str | None = None
    inbox: deque[Stimulus] = field(default_factory=deque)
    driving: bool = True  # born busy: the engine drives a new call at once
    timer: Any = None
    virtual_ms: int = 0
    steps: int = 0
    invocations: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=lambda: threading.Condition(threading.Lock()))
    timer_token: int = 0

    @property
    def ended(self) -> bool:
        return self.status != "active"

    @property
    def settled(self) -> bool:
        return self.ended or (not self.driving and not self.inbox)

    def leg(self, tag: str) -> Leg | None:
        return next((leg for leg in self.legs if leg.tag == tag), None)

    def connected_legs(self) -> list[Leg]:
        return [leg for leg in self.legs if leg.connected]

    def next_step(self) -> int:
        self.steps += 1
        return self.steps

    def note(self, text: str) -> None:
        self.notes.append({"step": self.next_step(), "virtualMs": self.virtual_ms, "note": text})

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
            event["ActionData"] = copy.deepcopy(action_data)
        event["CallDetails"] = details
        if extra:
            event.update(extra)
        return event

    def to_dict(self, include_events: bool = True) -> dict[str, Any]:
        invocations = (
            self.invocations
            if include_events
            else [{k: v for k, v in r.items() if k not in ("event", "response")} for r in self.invocations]
        )
        waiting = self.parked if not self.ended else None
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
            "participants": [leg.to_event() for leg in self.legs],
            "transactionAttributes": dict(self.attributes),
            "pendingDigits": self.digits,
            "pendingActions": [a.get("Type") for a in self.pending],
            "waitingFor": waiting,
            "settled": self.settled,
            "invocationCount": len(self.invocations),
            "invocations": copy.deepcopy(invocations),
            "actions": copy.deepcopy(self.actions),
            "notes": list(self.notes),
        }


def new_id() -> str:
    return str(uuid.uuid4())
