"""Checks shared by every action builder: each returns the value to put on the wire, or raises a
ValueError naming the action and parameter (`"Speak.Text: ..."`). The checks only the less common
builders need live with them in `sma.actions`."""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from collections.abc import Iterable

Action = dict  # an action's wire shape; kept a plain dict so it serialises without a copy

PARTICIPANT_TAGS = ("LEG-A", "LEG-B")
ENGINES = ("standard", "neural")
TEXT_TYPES = ("text", "ssml")
HANGUP_CODES = ("0", "480", "486")  # normal, unavailable, busy: the documented SipResponseCodes
MAX_SPEAK_TEXT = 1000


def fail(where: str, problem: str) -> ValueError:
    return ValueError(f"{where}: {problem}")


def string(where: str, value: object, max_len: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(where, f"is required and must be a non-empty string (got {type(value).__name__})")
    if max_len is not None and len(value) > max_len:
        raise fail(where, f"must be at most {max_len} characters (got {len(value)})")
    return value


def choice(where: str, value: object, allowed: Iterable[str]) -> str:
    options = tuple(allowed)
    if value not in options:
        raise fail(where, f"must be one of {', '.join(options)} (got {value!r})")
    return str(value)


def leg(where: str, params: dict[str, object], call_id: str | None, participant_tag: str | None,
        call_id_required: bool = False) -> None:
    if call_id is not None or call_id_required:
        params["CallId"] = string(f"{where}.CallId", call_id)
    if participant_tag is not None:
        params["ParticipantTag"] = choice(f"{where}.ParticipantTag", participant_tag, PARTICIPANT_TAGS)


def action(kind: str, params: dict[str, object]) -> Action:
    return {"Type": kind, "Parameters": params}
