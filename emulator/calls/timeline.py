"""One call's virtual clock: what happens at which virtual millisecond (an action's end, a digit timer,
a scripted key press, a callee answering).

The engine fires due entries in time order and, with nothing else to do, moves the clock to the next
entry: at once when `--time-scale` is 0, after (gap x scale) real seconds otherwise. Nothing here
sleeps or knows about threads; the call's lock guards it.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable


class Timer:
    __slots__ = ("at", "callback", "cancelled", "label")

    def __init__(self, at: int, callback: Callable[[], None], label: str) -> None:
        self.at, self.callback, self.label = at, callback, label
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Timeline:
    def __init__(self) -> None:
        self.now = 0  # virtual milliseconds since the call started
        self._heap: list[tuple[int, int, Timer]] = []
        self._order = itertools.count()

    def after(self, delay_ms: int, callback: Callable[[], None], label: str = "") -> Timer:
        timer = Timer(self.now + max(0, int(delay_ms)), callback, label)
        heapq.heappush(self._heap, (timer.at, next(self._order), timer))
        return timer

    def next_timer(self) -> Timer | None:
        """The earliest entry not cancelled (cancelled ones are dropped on the way)."""
        while self._heap and self._heap[0][2].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0][2] if self._heap else None

    def pop_due(self) -> Timer | None:
        """The earliest entry whose time has come, removed; None if the next one is still ahead."""
        timer = self.next_timer()
        if timer is None or timer.at > self.now:
            return None
        heapq.heappop(self._heap)
        return timer

    def clear(self) -> None:
        for _, _, timer in self._heap:
            timer.cancel()
        self._heap.clear()
