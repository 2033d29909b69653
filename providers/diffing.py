"""Pure helpers for `diff`: compare old outputs with new inputs without calling AWS."""

from __future__ import annotations

from typing import Any

from providers.input_checks import contains_unknown


def differs(old: Any, new: Any) -> bool:
    """True when `new` may differ from `old`; an unknown (preview) value may differ."""
    if contains_unknown(new):
        return True
    return bool(_normal(old) != _normal(new))


def _normal(value: Any) -> Any:
    # The engine turns ints into floats and drops None-valued keys: compare modulo both.
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value
