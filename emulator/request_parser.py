"""Request parsing and validation driven by an operation's input shape.

Members are pulled from where the model says they live (`location`: uri, querystring, header, or the
JSON body), converted to the shape's type, and checked against every constraint the model carries:
required, type, min/max (length for strings, lists and maps; value for numbers), enum, and pattern.
A pattern must match the WHOLE value, as Java's `String.matches` does on the service side. All
violations are reported at once, worded like the service:
`1 validation error detected: Value 'bad*name' at 'name' failed to satisfy constraint: ...`.
Values of `sensitive` shapes (phone numbers, ARNs, SIP headers) are never echoed back.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from emulator.errors import BadRequestError

_MAX_VALUE_ECHO = 128


@lru_cache(maxsize=512)
def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def _sensitive(shape: Shape, seen: frozenset[str] = frozenset()) -> bool:
    """True if the shape or anything inside it is `sensitive` (its value is then never echoed)."""
    if shape.metadata.get("sensitive"):
        return True
    if shape.name in seen:
        return False
    inner = seen | {shape.name}
    if isinstance(shape, StructureShape):
        return any(_sensitive(m, inner) for m in shape.members.values())
    if isinstance(shape, ListShape):
        return _sensitive(shape.member, inner)
    if isinstance(shape, MapShape):
        return _sensitive(shape.key, inner) or _sensitive(shape.value, inner)
    return False


def field_name(member: str) -> str:
    """Messages name fields lowerCamelCase: `TargetApplications` is `targetApplications`."""
    return member[:1].lower() + member[1:]


class _Collector:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, path: str, shape: Shape, value: Any, constraint: str) -> None:
        if _sensitive(shape):
            self.errors.append(f"Value at '{path}' failed to satisfy constraint: {constraint}")
            return
        shown = value if isinstance(value, str) else json.dumps(value, default=str)
        if len(shown) > _MAX_VALUE_ECHO:
            shown = shown[:_MAX_VALUE_ECHO] + "..."
        self.errors.append(f"Value '{shown}' at '{path}' failed to satisfy constraint: {constraint}")

    def raise_if_any(self) -> None:
        if self.errors:
            count = len(self.errors)
            noun = "error" if count == 1 else "errors"
            raise BadRequestError(f"{count} validation {noun} detected: " + "; ".join(self.errors))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# The JSON type each shape kind accepts, and how the service words the violation.
_TYPE_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "structure": (lambda v: isinstance(v, dict), "Member must be a structure"),
    "list": (lambda v: isinstance(v, list), "Member must be a list"),
    "map": (lambda v: isinstance(v, dict), "Member must be a map"),
    "string": (lambda v: isinstance(v, str), "Member must be of type string"),
    "integer": (_is_int, "Member must be of type integer"),
    "long": (_is_int, "Member must be of type integer"),
    "float": (_is_number, "Member must be of type double"),
    "double": (_is_number, "Member must be of type double"),
    "boolean": (lambda v: isinstance(v, bool), "Member must be of type boolean"),
}


def _check(shape: Shape, value: Any, path: str, out: _Collector) -> Any:
    """Type-check and constrain one value; returns it (containers rebuilt with checked members)."""
    kind = shape.type_name
    meta = shape.metadata
    rule = _TYPE_RULES.get(kind)
    if rule is not None and not rule[0](value):
        out.add(path, shape, value, rule[1])
        return None
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _check_structure(shape, value, path, out)
    if kind == "list":
        assert isinstance(shape, ListShape)
        _length(shape, value, len(value), path, out)
        return [_check(shape.member, v, f"{path}.{i + 1}.member", out) for i, v in enumerate(value)]
    if kind == "map":
        assert isinstance(shape, MapShape)
        _length(shape, value, len(value), path, out)
        checked: dict[str, Any] = {}
        for k, v in value.items():
            _check(shape.key, k, f"{path}.key", out)
            checked[k] = _check(shape.value, v, f"{path}.value", out)
        return checked
    if kind == "string":
        _length(shape, value, len(value), path, out)
        if "enum" in meta and value not in meta["enum"]:
            allowed = ", ".join(meta["enum"])
            out.add(path, shape, value, f"Member must satisfy enum value set: [{allowed}]")
        elif "pattern" in meta and not _pattern(meta["pattern"]).fullmatch(value):
            out.add(path, shape, value, f"Member must satisfy regular expression pattern: {meta['pattern']}")
        return value
    if kind in ("integer", "long"):
        if "min" in meta and value < meta["min"]:
            out.add(path, shape, value, f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            out.add(path, shape, value, f"Member must have value less than or equal to {meta['max']}")
        return value
    if kind in ("float", "double"):
        return float(value)
    # booleans need nothing more; timestamps/blobs never appear in this service's inputs.
    return value


def _length(shape: Shape, value: Any, size: int, path: str, out: _Collector) -> None:
    meta = shape.metadata
    if "min" in meta and size < meta["min"]:
        out.add(path, shape, value, f"Member must have length greater than or equal to {meta['min']}")
    if "max" in meta and size > meta["max"]:
        out.add(path, shape, value, f"Member must have length less than or equal to {meta['max']}")


def _check_structure(
    shape: StructureShape, value: dict[str, Any], path: str, out: _Collector
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    prefix = f"{path}." if path else ""
    for name in shape.required_members:
        if value.get(name) is None:
            out.errors.append(f"Value null at '{prefix}{field_name(name)}' failed to satisfy constraint: "
                              "Member must not be null")
    for name, member in shape.members.items():
        if name in value and value[name] is not None:
            result[name] = _check(member, value[name], f"{prefix}{field_name(name)}", out)
    # Members the model does not know are ignored, as the service's JSON binding does.
    return result


def _from_text(shape: Shape, raw: list[str], path: str, out: _Collector) -> Any:
    """Convert querystring/URI/header text to the member's type before checking it."""
    kind = shape.type_name
    if kind == "list":
        assert isinstance(shape, ListShape)
        return [_from_text(shape.member, [r], path, out) for r in raw]
    text = raw[-1]
    if kind in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            out.add(path, shape, text, "Member must be of type integer")
            return None
    if kind == "boolean":
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        out.add(path, shape, text, "Member must be of type boolean")
        return None
    return text


def parse_request(
    operation: OperationModel,
    labels: dict[str, str],
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
) -> dict[str, Any]:
    """The operation's input as a dict keyed by member name, validated; raises BadRequestError."""
    shape = operation.input_shape
    if shape is None:
        return {}
    out = _Collector()
    raw: dict[str, Any] = {}
    body_members = [n for n, m in shape.members.items() if not m.serialization.get("location")]
    if body_members and body.strip():
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequestError(f"The request body is not valid JSON: {exc}") from None
        if not isinstance(document, dict):
            raise BadRequestError("The request body must be a JSON object")
        for name in body_members:
            if name in document:
                raw[name] = document[name]
    lowered = {k.lower(): v for k, v in headers.items()}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri" and wire in labels:
            raw[name] = _from_text(member, [labels[wire]], field_name(name), out)
        elif location == "querystring" and wire in query:
            raw[name] = _from_text(member, query[wire], field_name(name), out)
        elif location == "header" and wire.lower() in lowered:
            raw[name] = _from_text(member, [lowered[wire.lower()]], field_name(name), out)
    out.raise_if_any()
    params = _check_structure(shape, raw, "", out)
    out.raise_if_any()
    return params
