"""Structured logging: one JSON object per line on stdout, which Lambda ships to CloudWatch Logs.

Every field (its name too) passes through `sma.masking`, so a phone number reaches the log only
as its last four digits, whoever wrote the call. Neither `logging` nor `json` is imported: together with
`re` (which `json` pulls in) they would cost more at cold start than this whole library, and a log
record is a flat object of strings, numbers and short lists. Strings are escaped by the C encoder
the `json` package itself uses, to ASCII, so no raw U+2028/U+0085 can split a line.
"""

from __future__ import annotations

import sys

from sma.masking import mask_text, masked

try:  # CPython's C JSON string encoder, exactly what json.dumps(..., ensure_ascii=True) uses
    from _json import encode_basestring_ascii as _quote
except ImportError:  # another interpreter: the public (heavier) route
    from json.encoder import encode_basestring_ascii as _quote

DEBUG, INFO, WARNING, ERROR = "DEBUG", "INFO", "WARNING", "ERROR"
# Field names, masked and quoted once: the same few names come back on every invocation.
_NAMES: dict[str, str] = {}
_NAMES_MAX = 256


def emit(level: str, message: str, **fields: object) -> None:
    """Write one log line; never raises (a log failure must not fail a call)."""
    try:
        parts = [f'{{"level":{_quote(level)},"message":{_quote(str(masked(message)))}']
        for key, value in fields.items():
            parts.append(f",{_name(key)}:{to_json(masked(value, key))}")
        parts.append("}\n")
        sys.stdout.write("".join(parts))
    except Exception:  # the last resort: a log line that cannot be written is dropped, not raised
        return


def _name(key: str) -> str:
    """A field name as JSON, masked like any value (a caller may build names from data)."""
    quoted = _NAMES.get(key)
    if quoted is None:
        quoted = _quote(mask_text(key))
        if len(_NAMES) < _NAMES_MAX:
            _NAMES[key] = quoted
    return quoted


def to_json(value: object) -> str:
    """Compact JSON for the plain values a log record holds; anything else is logged as its str()."""
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        # JSON has no NaN/Infinity; a log record should still be parseable.
        return float.__repr__(value) if value - value == 0 else _quote(repr(value))
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(to_json(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_quote(str(k))}:{to_json(v)}" for k, v in value.items()) + "}"
    return _quote(str(value))
