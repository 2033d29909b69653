"""Timers for parked calls (idle hang-up, scaled media) without a thread per call.

One timer thread keeps a heap of deadlines and hands due callbacks to a small pool, so a slow
Lambda behind one call's timer never delays another call's.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

_LONGEST_WAIT = 3600.0  # seconds; the loop simply waits again


class Timer:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    def __init__(self, workers: int = 16) -> None:
        self._heap: list[tuple[float, int, Timer, Callable[[], None]]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._closed = False
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="call")
        self._thread = threading.Thread(target=self._run, name="call-timers", daemon=True)
        self._thread.start()

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        if math.isnan(delay):  # NaN compares false with everything and would break the heap's order
            raise ValueError("delay must be a number of seconds, not NaN")
        timer = Timer()
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._counter), timer, callback))
            self._cond.notify()
        return timer

    def submit(self, callback: Callable[[], Any]) -> Future[Any]:
        return self._pool.submit(callback)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (not self._heap or self._heap[0][0] > time.monotonic()):
                    # Capped: a wait beyond threading.TIMEOUT_MAX (a Pause of centuries, scaled) raises
                    # OverflowError, which would end this thread and every call's timers with it.
                    due = None if not self._heap else self._heap[0][0] - time.monotonic()
                    self._cond.wait(None if due is None else min(max(0.0, due), _LONGEST_WAIT))
                if self._closed:
                    return
                _, _, timer, callback = heapq.heappop(self._heap)
            if not timer.cancelled:
                try:
                    self._pool.submit(callback)
                except RuntimeError:  # pool shut down while closing
                    return

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify()
        self._pool.shutdown(wait=False, cancel_futures=True)
