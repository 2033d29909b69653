"""The people on a simulated call's legs: the caller of an inbound call and the callees of outbound calls
and bridges, each scriptable (a test tool, not AWS).

A `Party` is who is on one leg: digits it will type into the first prompt (`typeahead`), timed steps
(press digits, say something to a bot, fall silent, hang up), what it heard (digits sent to it by
SendDigits) and the SIP headers sent to it. A `CalleeProfile` says how a dialled number or Voice
Connector URI answers: at once (the default), after N seconds, busy, no answer, rejected or
unreachable, then the steps it takes once answered. `CalleeBook` keeps the profiles set through
`PUT /_emulator/callees/{number}`: `outcome`, `ringSeconds`, `noAnswerTimeoutSeconds` (outbound calls),
`rejectSipResponseCode`, `sendDigits` (typed into the first prompt that asks, like the caller's
`digits`), `hangupAfterSeconds` (+ `hangupSipResponseCode`), `silent`, `script`. Bodies are checked
here, each error naming the field.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from emulator.errors import BadRequestError

OUTCOMES = ("answer", "busy", "no-answer", "reject", "unreachable")
DTMF = frozenset("0123456789#*")
DEFAULT_RING_TIMEOUT_MS = 30_000  # an outbound call nobody answers; the guide gives no figure


@dataclass(frozen=True)
class Step:
    """At `at_ms` (from the call's start for a caller, from the answer for a callee) the party does
    one thing: `digits` (presses them), `say` (speaks to a bot), `silent` (True/False), `hangup`
    (with `sip_response_code`)."""

    at_ms: int
    kind: str
    value: Any = None


@dataclass
class Party:
    label: str
    typeahead: str = ""
    silent: bool = False
    silent_since: int | None = None
    steps: tuple[Step, ...] = ()
    utterances: deque[str] = field(default_factory=deque)
    heard_digits: list[str] = field(default_factory=list)
    sent_headers: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "typeahead": self.typeahead,
            "silent": self.silent,
            "heardDigits": list(self.heard_digits),
            "sentSipHeaders": dict(self.sent_headers),
        }


@dataclass(frozen=True)
class CalleeProfile:
    outcome: str = "answer"
    ring_ms: int = 0
    no_answer_timeout_ms: int = DEFAULT_RING_TIMEOUT_MS
    reject_code: str = "603"
    steps: tuple[Step, ...] = ()
    silent: bool = False
    typeahead: str = ""  # keys typed into the first prompt that asks, once answered

    def party(self, label: str) -> Party:
        return Party(label, typeahead=self.typeahead, silent=self.silent, steps=self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "ringSeconds": self.ring_ms / 1000,
            "noAnswerTimeoutSeconds": self.no_answer_timeout_ms / 1000,
            "rejectSipResponseCode": self.reject_code,
            "silent": self.silent,
            "sendDigits": self.typeahead,
            "script": [_step_dict(s) for s in self.steps],
        }


def _step_dict(step: Step) -> dict[str, Any]:
    value = {"sipResponseCode": step.value} if step.kind == "hangup" else step.value
    return {"at": step.at_ms / 1000, step.kind: value}


def seconds(value: object, name: str, minimum: float = 0.0) -> int:
    """Seconds (a JSON number) as whole virtual milliseconds."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadRequestError(f"{name} must be a number of seconds")
    if value < minimum:
        raise BadRequestError(f"{name} must be at least {minimum:g}")
    return round(value * 1000)


def digits_text(value: object, name: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not value and not allow_empty) or any(c not in DTMF for c in value):
        raise BadRequestError(f"{name} must be a {'' if allow_empty else 'non-empty '}string of 0-9, # and *")
    return value


def sip_code(value: object, name: str) -> str:
    text = str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not text.isdigit() or not (text == "0" or 100 <= int(text) <= 699):
        raise BadRequestError(f"{name} must be 0 or a SIP response code (100-699)")
    return text


def parse_steps(raw: object, name: str) -> tuple[Step, ...]:
    """`[{"at": seconds, "digits"|"say"|"silent"|"hangup": ...}, ...]` in any order; kept sorted by time."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise BadRequestError(f"{name} must be a list of steps")
    steps: list[Step] = []
    for index, item in enumerate(raw):
        where = f"{name}[{index}]"
        if not isinstance(item, dict):
            raise BadRequestError(f"{where} must be an object")
        kinds = [k for k in ("digits", "say", "silent", "hangup") if k in item]
        unknown = set(item) - {"at", "digits", "say", "silent", "hangup"}
        if len(kinds) != 1 or unknown:
            raise BadRequestError(f"{where} must have `at` and exactly one of digits, say, silent, hangup")
        at_ms = seconds(item.get("at", 0), f"{where}.at")
        kind = kinds[0]
        value = item[kind]
        if kind == "digits":
            value = digits_text(value, f"{where}.digits")
        elif kind == "say":
            if not isinstance(value, str) or not value.strip():
                raise BadRequestError(f"{where}.say must be a non-empty string")
        elif kind == "silent":
            if not isinstance(value, bool):
                raise BadRequestError(f"{where}.silent must be true or false")
        else:
            if value is True or value == {}:
                value = "0"
            elif isinstance(value, dict) and set(value) <= {"sipResponseCode"}:
                value = sip_code(value.get("sipResponseCode", "0"), f"{where}.hangup.sipResponseCode")
            else:
                raise BadRequestError(f'{where}.hangup must be true or {{"sipResponseCode": code}}')
        steps.append(Step(at_ms, kind, value))
    return tuple(sorted(steps, key=lambda s: s.at_ms))


def parse_profile(body: object) -> CalleeProfile:
    """The body of `PUT /_emulator/callees/{number}`."""
    if not isinstance(body, dict):
        raise BadRequestError("the callee body must be a JSON object")
    known = {
        "outcome",
        "ringSeconds",
        "noAnswerTimeoutSeconds",
        "rejectSipResponseCode",
        "hangupAfterSeconds",
        "hangupSipResponseCode",
        "sendDigits",
        "script",
        "silent",
    }
    unknown = sorted(set(body) - known)
    if unknown:
        raise BadRequestError(
            f"unknown callee field(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    outcome = body.get("outcome", "answer")
    if outcome not in OUTCOMES:
        raise BadRequestError(f"outcome must be one of {', '.join(OUTCOMES)}")
    steps = list(parse_steps(body.get("script"), "script"))
    if "hangupAfterSeconds" in body:
        code = sip_code(body.get("hangupSipResponseCode", "0"), "hangupSipResponseCode")
        steps.append(Step(seconds(body["hangupAfterSeconds"], "hangupAfterSeconds"), "hangup", code))
    silent = body.get("silent", False)
    if not isinstance(silent, bool):
        raise BadRequestError("silent must be true or false")
    return CalleeProfile(
        outcome=outcome,
        ring_ms=seconds(body.get("ringSeconds", 0), "ringSeconds"),
        no_answer_timeout_ms=seconds(body.get("noAnswerTimeoutSeconds", 30), "noAnswerTimeoutSeconds", 1),
        reject_code=sip_code(body.get("rejectSipResponseCode", "603"), "rejectSipResponseCode"),
        steps=tuple(sorted(steps, key=lambda s: s.at_ms)),
        silent=silent,
        typeahead=digits_text(body.get("sendDigits", ""), "sendDigits", allow_empty=True),
    )


class CalleeBook:
    """Profiles by dialled number (E.164) or Voice Connector URI; unknown ones answer at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._profiles: dict[str, CalleeProfile] = {}

    def set(self, address: str, profile: CalleeProfile) -> None:
        with self._lock:
            self._profiles[address] = profile

    def get(self, address: str) -> CalleeProfile:
        with self._lock:
            return self._profiles.get(address, CalleeProfile())

    def delete(self, address: str) -> bool:
        with self._lock:
            return self._profiles.pop(address, None) is not None

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            return {address: profile.to_dict() for address, profile in sorted(self._profiles.items())}

    def clear(self) -> None:
        with self._lock:
            self._profiles.clear()
