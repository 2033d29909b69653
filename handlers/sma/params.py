"""Checks shared by the action builders: each returns the value to put on the wire, or raises a
ValueError naming the action and parameter (`"Speak.Text: ..."`)."""

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
DTMF = frozenset("0123456789*#")


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


def integer(where: str, value: object, low: int | None = None, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise fail(where, f"must be an integer (got {type(value).__name__})")
    if low is not None and value < low:
        raise fail(where, f"must be at least {low} (got {value})")
    if high is not None and value > high:
        raise fail(where, f"must be at most {high} (got {value})")
    return value


def dtmf(where: str, value: object, allowed: frozenset[str], max_len: int) -> str:
    text = string(where, value, max_len)
    bad = sorted(set(text) - allowed)
    if bad:
        raise fail(where, f"has characters outside {''.join(sorted(allowed))}: {''.join(bad)!r}")
    return text


def regex(where: str, value: object) -> str:
    text = string(where, value)
    import re  # only builders that take a pattern pay for the check

    try:
        re.compile(text)
    except re.error as exc:
        raise fail(where, f"is not a valid regular expression ({exc})") from None
    return text


def s3_object(where: str, source: object, needs_key: bool = True) -> dict[str, str]:
    if not isinstance(source, dict):
        raise fail(where, "is required: {Type: S3, BucketName, Key}")
    out = {"Type": choice(f"{where}.Type", source.get("Type", "S3"), ("S3",)),
           "BucketName": string(f"{where}.BucketName", source.get("BucketName"))}
    if needs_key or source.get("Key") is not None:
        out["Key"] = string(f"{where}.Key", source.get("Key"))
    if source.get("Prefix") is not None:
        out["Prefix"] = string(f"{where}.Prefix", source.get("Prefix"))
    return out


def leg(where: str, params: dict[str, object], call_id: str | None, participant_tag: str | None,
        call_id_required: bool = False) -> None:
    if call_id is not None or call_id_required:
        params["CallId"] = string(f"{where}.CallId", call_id)
    if participant_tag is not None:
        params["ParticipantTag"] = choice(f"{where}.ParticipantTag", participant_tag, PARTICIPANT_TAGS)


def action(kind: str, params: dict[str, object]) -> Action:
    return {"Type": kind, "Parameters": params}


def e164(where: str, value: object) -> str:
    text = string(where, value, 16)
    if not (text.startswith("+") and text[1:].isdigit() and 2 <= len(text) <= 16):
        raise fail(where, "must be an E.164 number such as +12065550100")
    return text


def string_map(where: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise fail(where, "must be an object of strings")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise fail(f"{where}.{key}", "keys and values must be strings")
    return dict(value)
