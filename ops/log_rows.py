"""A handler's CloudWatch log events as readable rows.

The handlers write one JSON object per line (`handlers/sma/log.py`): `level`, `message`, then flat
fields such as `handler`, `transaction_id`, `event_type`, `sequence`, `actions`, `duration_ms`,
`from`, `to`. Phone numbers are already masked to their last four digits when they are logged, and
nothing here unmasks or re-formats them. Lines that are not such objects (Lambda's START, END and
REPORT lines, a traceback) are kept as text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Fields a row shows in its own columns, and those an invocation's summary folds in: neither is
# repeated as key=value.
_COLUMNS = ("level", "message", "handler", "transaction_id")
_INVOCATION = ("event_type", "sequence", "actions", "duration_ms", "from", "to")


@dataclass(frozen=True)
class LogLine:
    timestamp_ms: int
    stream: str
    event_id: str
    text: str  # the line as logged
    record: Mapping[str, Any] | None  # the JSON object, when the line is one of ours

    @property
    def transaction_id(self) -> str | None:
        value = self.record.get("transaction_id") if self.record is not None else None
        return value if isinstance(value, str) else None


def _record(text: str) -> Mapping[str, Any] | None:
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, dict) and isinstance(value.get("level"), str) and "message" in value:
        return value
    return None


def lines(event: Mapping[str, Any]) -> Iterator[LogLine]:
    """The lines of one FilterLogEvents event (an event may hold several)."""
    for text in str(event.get("message", "")).splitlines():
        if text.strip():
            yield LogLine(int(event.get("timestamp", 0)), str(event.get("logStreamName", "")),
                          str(event.get("eventId", "")), text.rstrip(), _record(text.strip()))


def timestamp(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"


def _value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return ",".join(_value(v) for v in value) or "[]"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    text = str(value)
    return json.dumps(text) if not text or any(c.isspace() or c in '"=' for c in text) else text


def _invocation(record: Mapping[str, Any]) -> str:
    """`NEW_INBOUND_CALL #1 -> Speak, Hangup (0.4 ms) ***0199 -> ***0102`: what one invocation did."""
    actions = record.get("actions")
    answer = "keeps the pending actions" if actions is None else (
        ", ".join(_value(a) for a in actions) if isinstance(actions, list) and actions else "[]")
    parts = [f"{record.get('event_type') or '?'} #{_value(record.get('sequence'))} -> {answer}"]
    if isinstance(record.get("duration_ms"), int | float):
        parts.append(f"({record['duration_ms']:g} ms)")
    if record.get("from") is not None or record.get("to") is not None:
        parts.append(f"{_value(record.get('from'))} -> {_value(record.get('to'))}")
    return " ".join(parts)


def row(line: LogLine) -> str:
    """One readable line: time, level, handler, transaction, what happened, then the other fields."""
    when = timestamp(line.timestamp_ms)
    record = line.record
    if record is None:
        return f"{when}  {line.text}"
    invocation = record.get("message") == "invocation"
    what = _invocation(record) if invocation else str(record.get("message"))
    shown = _COLUMNS + (_INVOCATION if invocation else ())
    extra = " ".join(f"{k}={_value(v)}" for k, v in record.items() if k not in shown)
    columns = [when, f"{record.get('level', '?'):<7}", _value(record.get("handler")),
               line.transaction_id or "-", what]
    return "  ".join([*columns, extra] if extra else columns)


def as_json(line: LogLine) -> dict[str, Any]:
    """The line for `--json`: the record (or the text) with when and where it was logged."""
    base: dict[str, Any] = {"timestamp": timestamp(line.timestamp_ms), "logStreamName": line.stream}
    if line.record is None:
        return {**base, "text": line.text}
    return {**base, **line.record}


def in_order(found: Sequence[LogLine]) -> list[LogLine]:
    return sorted(found, key=lambda line: (line.timestamp_ms, line.stream, line.event_id))
