"""The building blocks of the providers' `check`: one input property against one rule, as
`CheckFailure`s naming the property. Pure, no API calls, tolerant of preview unknowns.

Constraints come from the botocore service model (`awsutil.service_model`): the botocore client
itself only enforces `min` and required members, so `check` enforces pattern, enum and max the way
the service does (a pattern must match the WHOLE value).
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure
from pulumi.output import Unknown

from awsutil.chime_values import hostname_problem, is_e164, pstn_audio_regions
from awsutil.service_model import compiled_pattern, member_shape, shape


def is_unknown(value: Any) -> bool:
    """True for a preview placeholder: an `Unknown` instance, or the engine's raw unknown sentinel."""
    from pulumi.runtime.rpc import UNKNOWN

    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def string_failures(prop: str, value: Any, constraints: dict[str, Any]) -> list[CheckFailure]:
    """Check a string against a model shape's min/max/pattern/enum; the failure names `prop`."""
    if is_unknown(value):
        return []
    if not isinstance(value, str):
        return [CheckFailure(prop, f"{prop} must be a string, got {type(value).__name__}")]
    lo, hi = constraints.get("min"), constraints.get("max")
    if lo is not None and len(value) < lo:
        return [CheckFailure(prop, f"{prop} must be at least {lo} characters long")]
    if hi is not None and len(value) > hi:
        return [CheckFailure(prop, f"{prop} must be at most {hi} characters long")]
    enum = constraints.get("enum")
    if enum is not None and value not in enum:
        return [CheckFailure(prop, f"{prop} must be one of {', '.join(enum)}; got {value!r}")]
    pattern = constraints.get("pattern")
    if pattern is not None and compiled_pattern(pattern).fullmatch(value) is None:
        return [CheckFailure(prop, f"{prop} {value!r} does not match the pattern {pattern}")]
    return []


def e164_failures(prop: str, value: Any) -> list[CheckFailure]:
    """An E.164 number with its plus sign, as inventory ids are written."""
    if is_unknown(value):
        return []
    if not is_e164(value):
        return [CheckFailure(prop, f"{prop} must be an E.164 number like +12065550100; got {value!r}")]
    return []


def hostname_failures(prop: str, value: Any) -> list[CheckFailure]:
    if is_unknown(value):
        return []
    if not isinstance(value, str):
        return [CheckFailure(prop, f"{prop} must be a string, got {type(value).__name__}")]
    problem = hostname_problem(value)
    return [CheckFailure(prop, f"{prop}: {problem}")] if problem else []


def region_failures(prop: str, value: Any) -> list[CheckFailure]:
    """A Region where the PSTN audio service runs."""
    return string_failures(prop, value, {"enum": pstn_audio_regions()})


def bool_failures(prop: str, value: Any) -> list[CheckFailure]:
    if is_unknown(value) or isinstance(value, bool):
        return []
    return [CheckFailure(prop, f"{prop} must be true or false; got {value!r}")]


def as_int(value: Any) -> int | None:
    """The engine sends every number as a float: accept 2.0, refuse 2.5, True and strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def tags_failures(prop: str, value: Any) -> list[CheckFailure]:
    if is_unknown(value):
        return []
    if not isinstance(value, dict):
        return [CheckFailure(prop, f"{prop} must be a mapping of tag keys to values")]
    limits = member_shape("CreateSipMediaApplicationRequest", "Tags")
    if len(value) > limits["max"]:
        return [CheckFailure(prop, f"{prop} may hold at most {limits['max']} tags")]
    failures: list[CheckFailure] = []
    for key, val in value.items():
        key_limits = {k: v for k, v in shape("TagKey").items() if k in ("min", "max")}
        failures += string_failures(prop, key, key_limits)
        if not is_unknown(val):
            failures += [CheckFailure(prop, f"{prop}[{key}] " + f.reason.split(" ", 1)[1])
                         for f in string_failures(prop, val, {"max": shape("TagValue")["max"]})]
    return failures
