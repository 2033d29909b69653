"""Local validation of operator input, with messages that name the flag, before any request."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ops.errors import usage_error

# The service model's E164PhoneNumber pattern (a leading + is optional there; we print the + form).
E164 = re.compile(r"\+?[1-9]\d{1,14}")
COUNTRY = re.compile(r"[A-Z]{2}")
TOLL_FREE_PREFIX = re.compile(r"8(00|33|44|55|66|77|88)")
PHONE_NUMBER_TYPES = ("Local", "TollFree")
MAX_ARGUMENTS = 20  # ArgumentsMap / Arguments / SipHeaders: at most 20 entries


def phone_number(flag: str, value: str) -> str:
    cleaned = value.strip()
    if not E164.fullmatch(cleaned):
        raise usage_error(
            f"{flag}: {value!r} is not an E.164 phone number (a + then the country code and number, "
            "up to 15 digits, e.g. +12065550100)"
        )
    return cleaned if cleaned.startswith("+") else "+" + cleaned


def not_blank(flag: str, value: str | None) -> str:
    if value is None or not value.strip():
        raise usage_error(f"{flag} must not be empty")
    if value != value.strip():
        raise usage_error(f"{flag}: {value!r} has leading or trailing spaces")
    return value


def key_values(flag: str, pairs: Sequence[str] | None) -> dict[str, str]:
    """`k=v` items (repeatable flag) into a dict; the value may contain `=`."""
    result: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise usage_error(f"{flag}: {pair!r} is not KEY=VALUE")
        if key in result:
            raise usage_error(f"{flag}: key {key!r} is given twice")
        result[key] = value
    if len(result) > MAX_ARGUMENTS:
        raise usage_error(f"{flag}: at most {MAX_ARGUMENTS} pairs are allowed, got {len(result)}")
    return result


def choice(flag: str, value: str | None, allowed: Sequence[str]) -> str | None:
    if value is not None and value not in allowed:
        raise usage_error(f"{flag}: {value!r} is not one of {', '.join(allowed)}")
    return value


def matching(flag: str, value: str | None, pattern: re.Pattern[str], example: str) -> str | None:
    if value is not None and not pattern.fullmatch(value):
        raise usage_error(f"{flag}: {value!r} must look like {example}")
    return value


def int_between(flag: str, value: int | None, low: int, high: int) -> int | None:
    if value is not None and not low <= value <= high:
        raise usage_error(f"{flag}: {value} is not between {low} and {high}")
    return value
