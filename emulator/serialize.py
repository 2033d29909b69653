"""Output serialisation driven by an operation's output shape.

Only members the shape declares are written (backends may keep private fields next to them), and
timestamps go out as ISO 8601 (`Iso8601Timestamp`), whatever the backend stored (epoch seconds).
Each shape is compiled once into a small function, so answering walks no botocore objects.
Compiling happens under a lock and a writer is published only once it is complete: the HTTP server
is multi-threaded, and a structure writer is registered before its members are filled in (shapes
may be recursive), so a second thread must never see one half-built.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

Writer = Callable[[Any], Any]
_compiled: dict[tuple[str, str], Writer] = {}  # read and written only under _lock
_ready: dict[tuple[str, str], Writer] = {}  # complete writers, read without the lock
_lock = threading.Lock()


@lru_cache(maxsize=4096)
def iso8601(epoch: float) -> str:
    # Cached: a resource's timestamps are written again on every Get/List of it.
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _identity(value: Any) -> Any:
    return value


def _timestamp(value: Any) -> Any:
    return iso8601(float(value)) if isinstance(value, (int, float)) else value


def _compile(shape: Shape) -> Writer:
    key = (shape.type_name, shape.name)
    if key in _compiled:
        return _compiled[key]
    writer: Writer
    if isinstance(shape, StructureShape):
        fields: list[tuple[str, str, Writer]] = []

        def write_structure(value: Any) -> Any:
            out: dict[str, Any] = {}
            for name, wire, write in fields:
                item = value.get(name)
                if item is not None:
                    out[wire] = write(item)
            return out

        _compiled[key] = write_structure  # registered first: shapes may be recursive
        for name, member in shape.members.items():
            if not member.serialization.get("location"):  # header/URI members never reach a body
                fields.append((name, member.serialization.get("name", name), _compile(member)))
        return write_structure
    if isinstance(shape, ListShape):
        item_writer = _compile(shape.member)
        writer = (lambda value: list(value)) if item_writer is _identity else (
            lambda value: [item_writer(v) for v in value])
    elif isinstance(shape, MapShape):
        value_writer = _compile(shape.value)
        writer = lambda value: {k: value_writer(v) for k, v in value.items()}  # noqa: E731
    elif shape.type_name == "timestamp":
        writer = _timestamp
    else:
        writer = _identity
    _compiled[key] = writer
    return writer


def serialize(shape: Shape, value: Any) -> Any:
    key = (shape.type_name, shape.name)
    writer = _ready.get(key)
    if writer is None:
        with _lock:
            writer = _compile(shape)  # returns with every writer it reaches complete
            _ready[key] = writer
    return writer(value)
