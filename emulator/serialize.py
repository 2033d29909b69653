"""Output serialisation driven by an operation's output shape.

Only members the shape declares are written (backends may keep private fields next to them), and
timestamps go out as ISO 8601 (`Iso8601Timestamp`), whatever the backend stored (epoch seconds).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape


def iso8601(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def serialize(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            if member.serialization.get("location"):
                continue  # headers/URI members never reach this service's output bodies
            item = value.get(name)
            if item is not None:
                out[member.serialization.get("name", name)] = serialize(member, item)
        return out
    if kind == "list":
        assert isinstance(shape, ListShape)
        return [serialize(shape.member, v) for v in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        return {k: serialize(shape.value, v) for k, v in value.items()}
    if kind == "timestamp":
        return iso8601(float(value)) if isinstance(value, (int, float)) else value
    return value
