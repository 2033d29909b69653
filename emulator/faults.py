"""Seeded fault injection for AWS API requests (never the `/_emulator/` admin endpoints).

One draw from a seeded RNG per API request, in arrival order, so the same seed and the same
sequence of requests give the same faults.
"""

from __future__ import annotations

import random
import threading

THROTTLE, ERROR, DROP = "throttle", "error", "drop"


class FaultInjector:
    def __init__(
        self, seed: int, throttle_rate: float = 0.0, error_rate: float = 0.0, drop_rate: float = 0.0
    ) -> None:
        for name, rate in (("throttle", throttle_rate), ("error", error_rate), ("drop", drop_rate)):
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"--{name}-rate must be between 0 and 1, got {rate}")
        if throttle_rate + error_rate + drop_rate > 1.0:
            raise ValueError("--throttle-rate + --error-rate + --drop-rate must not exceed 1")
        self._seed = seed
        self._rates = (throttle_rate, error_rate, drop_rate)
        self._lock = threading.Lock()
        self._rng = random.Random(seed)

    @property
    def active(self) -> bool:
        return any(self._rates)

    def next(self) -> str | None:
        """The fault for the next API request, or None."""
        throttle, error, drop = self._rates
        with self._lock:
            roll = self._rng.random()
        if roll < throttle:
            return THROTTLE
        if roll < throttle + error:
            return ERROR
        if roll < throttle + error + drop:
            return DROP
        return None

    def reset(self, seed: int | None = None) -> None:
        """Back to the first draw of `seed`, else of the seed the injector was built with: a reset
        emulator repeats a run, a reset with another seed meets another fault sequence. The given
        seed lasts until the next reset (which, without one, goes back to the original)."""
        with self._lock:
            self._rng = random.Random(self._seed if seed is None else seed)
