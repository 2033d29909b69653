"""Numbers this provider process is ordering right now, so that concurrent searches order
distinct numbers.

The engine creates resources in parallel and one dynamic-provider process serves them all on 4
gRPC worker threads: two searches sent together see the same first result, and the second order
for that number would fail. A create claims the number it orders here first (`Claims`), skips
numbers another create holds, and lets them go when it ends. Claims are per inventory (`scope`:
AWS, whose inventory is the account's across Regions, or one endpoint such as an emulator).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from types import TracebackType

_LOCK = threading.Lock()
_HELD: dict[tuple[str, str], Claims] = {}  # (scope, E.164 number) -> the create ordering it


def held(scope: str, e164: str) -> bool:
    """Whether some create in this process is ordering `e164` from the `scope` inventory."""
    with _LOCK:
        return (scope, e164) in _HELD


def held_count(scope: str) -> int:
    with _LOCK:
        return sum(1 for held_scope, _ in _HELD if held_scope == scope)


class Claims:
    """The numbers one create holds in one inventory (`with Claims(scope) as claims:`); all let
    go when it ends."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def __enter__(self) -> Claims:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        with _LOCK:
            for key in [key for key, holder in _HELD.items() if holder is self]:
                del _HELD[key]

    def first_free(self, candidates: Iterable[str], skip: Iterable[str] = ()) -> str | None:
        """Claim and return the first candidate no create holds (and not in `skip`); None if none."""
        excluded = set(skip)
        with _LOCK:
            for e164 in candidates:
                if e164 not in excluded and _HELD.get((self.scope, e164), self) is self:
                    _HELD[(self.scope, e164)] = self
                    return e164
        return None

    def let_go(self, e164: str) -> None:
        with _LOCK:
            if _HELD.get((self.scope, e164)) is self:
                del _HELD[(self.scope, e164)]
