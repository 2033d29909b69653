"""Numbers this provider process is ordering right now, so that concurrent searches order
distinct numbers.

The engine creates resources in parallel and one dynamic-provider process serves them all on 4
gRPC worker threads: two searches sent together see the same first result, and the second order
for that number would fail. A create claims the number it orders here first (`Claims`), skips
numbers another create holds, and lets them go when it ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from types import TracebackType

_LOCK = threading.Lock()
_HELD: dict[str, Claims] = {}  # E.164 number -> the create ordering it


def held(e164: str) -> bool:
    """Whether some create in this process is ordering `e164`."""
    with _LOCK:
        return e164 in _HELD


def held_count() -> int:
    with _LOCK:
        return len(_HELD)


class Claims:
    """The numbers one create holds (`with Claims() as claims:`); all let go when it ends."""

    def __enter__(self) -> Claims:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        with _LOCK:
            for e164 in [n for n, holder in _HELD.items() if holder is self]:
                del _HELD[e164]

    def first_free(self, candidates: Iterable[str], skip: Iterable[str] = ()) -> str | None:
        """Claim and return the first candidate no create holds (and not in `skip`); None if none."""
        excluded = set(skip)
        with _LOCK:
            for e164 in candidates:
                if e164 not in excluded and _HELD.get(e164, self) is self:
                    _HELD[e164] = self
                    return e164
        return None

    def let_go(self, e164: str) -> None:
        with _LOCK:
            if _HELD.get(e164) is self:
                del _HELD[e164]
