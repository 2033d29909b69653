"""Checks of operator input, with messages that name the flag, before any request is sent.

What the service model can say about a value (E.164 numbers, the search criteria's enums and
patterns, map and range limits) is read from it; the rest (blank values, KEY=VALUE syntax) is
checked here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from awsutil.chime_values import is_e164
from awsutil.number_search import SearchField
from awsutil.service_model import compiled_pattern, member_shape
from ops.errors import usage_error


def phone_number(flag: str, value: str) -> str:
    """An E.164 number (its plus sign optional, as in the model), returned with the plus sign."""
    cleaned = value.strip()
    if not is_e164(cleaned, plus_required=False):
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


def key_values(flag: str, pairs: Sequence[str] | None, structure: str, member: str) -> dict[str, str]:
    """`k=v` items (repeatable flag) into a dict; the value may contain `=`. At most as many pairs
    as the model allows in `structure.member`."""
    result: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise usage_error(f"{flag}: {pair!r} is not KEY=VALUE")
        if key in result:
            raise usage_error(f"{flag}: key {key!r} is given twice")
        result[key] = value
    limit = member_shape(structure, member).get("max")
    if limit is not None and len(result) > limit:
        raise usage_error(f"{flag}: at most {limit} pairs are allowed, got {len(result)}")
    return result


def choice(flag: str, value: str | None, allowed: Sequence[str]) -> str | None:
    if value is not None and value not in allowed:
        raise usage_error(f"{flag}: {value!r} is not one of {', '.join(allowed)}")
    return value


def matching(flag: str, value: str | None, pattern: re.Pattern[str], example: str) -> str | None:
    if value is not None and not pattern.fullmatch(value):
        raise usage_error(f"{flag}: {value!r} must look like {example}")
    return value


def in_range(flag: str, value: int | None, structure: str, member: str) -> int | None:
    """An integer within the model's min and max for `structure.member`."""
    limits: dict[str, Any] = member_shape(structure, member)
    low, high = limits.get("min"), limits.get("max")
    if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
        raise usage_error(f"{flag}: {value} is not between {low} and {high}")
    return value


def search_criterion(field: SearchField, value: str | None) -> str | None:
    """One search criterion against its member's enum or pattern; not blank when the model has
    neither."""
    if value is None:
        return None
    constraints = field.constraints()
    if "enum" in constraints:
        return choice(field.flag, value, constraints["enum"])
    if "pattern" in constraints:
        return matching(field.flag, value, compiled_pattern(constraints["pattern"]),
                        f"{field.example}: {field.description}")
    return not_blank(field.flag, value)


_DURATION = re.compile(r"(\d+)\s*([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def since(flag: str, value: str, now: dt.datetime) -> int:
    """A start time as epoch milliseconds: a duration back from `now` (`90s`, `10m`, `2h`, `1d`, `1w`)
    or an ISO 8601 time (UTC unless it names an offset)."""
    text = value.strip()
    duration = _DURATION.fullmatch(text)
    if duration:
        start = now - dt.timedelta(seconds=int(duration.group(1)) * _UNIT_SECONDS[duration.group(2)])
    else:
        try:
            start = dt.datetime.fromisoformat(text)
        except ValueError:
            raise usage_error(
                f"{flag}: {value!r} is neither a duration (30s, 10m, 2h, 1d, 1w) nor an ISO 8601 time "
                "(2026-05-01T09:30:00Z)"
            ) from None
        if start.tzinfo is None:
            start = start.replace(tzinfo=dt.UTC)
        if start > now:
            raise usage_error(f"{flag}: {value!r} is in the future")
    return max(0, int(start.timestamp() * 1000))
