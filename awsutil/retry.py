"""The retry policy for AWS calls: one loop, exponential backoff, a deadline, and each caller's budget.

botocore's own retries are switched off for every client built here (`BOTOCORE_RETRIES_OFF`):
in botocore 1.44 neither its `standard` nor its `adaptive` mode retries chime-sdk-voice's
throttling error (ThrottledClientException is a modelled error without the `retryable` trait, so a
429 comes back with RetryAttempts 0), and botocore would resend a request whose answer was lost,
which for a create or a call start is not safe. Callers decide what to retry with
`awsutil.classify`; this module decides how long to wait and when to give up.

A budget is counted in time, not in attempts: one operation (an API call with all its retries,
or a create with its look-ups) ends by its deadline, whatever the faults. Another attempt starts
only if it can end before the deadline, judged by the slowest attempt so far: against a hung
endpoint each attempt takes its read timeout, so the operation still fails within its deadline.
Giving up raises `RetriesExhausted`, which names the operation, the attempts and the time spent.

Two budgets, side by side, because their callers differ:
- `PROVISIONING` (the Pulumi providers): a deadline of minutes with full jitter. A deployment must
  ride out sustained throttling and faults, and up to four provider workers send at once, so
  their waits must not line up.
- `OPERATOR` (`python -m ops`): a deadline of seconds with plain doubling. One operator sends one
  request at a time and should hear about a persistent failure quickly.
"""

from __future__ import annotations

import contextvars
import os
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from awsutil.classify import describe

T = TypeVar("T")

# For `botocore.config.Config(retries=...)`: one attempt, so only our policy retries.
BOTOCORE_RETRIES_OFF: dict[str, Any] = {"mode": "standard", "total_max_attempts": 1}

# The absolute (monotonic) deadline of the operation the current code runs inside, if any: a
# nested operation (a look-up inside a create) never outlives the one that started it.
_ENCLOSING: contextvars.ContextVar[float | None] = contextvars.ContextVar("retry_deadline", default=None)


class RetriesExhausted(Exception):
    """An operation that kept failing until its budget ran out; `last` is its last error."""

    def __init__(self, what: str, attempts: int, elapsed: float, deadline: float,
                 last: BaseException) -> None:
        self.what, self.attempts, self.elapsed, self.deadline = what, attempts, elapsed, deadline
        self.last = last
        plural = "attempt" if attempts == 1 else "attempts"
        super().__init__(f"{what}: gave up after {attempts} {plural} in {elapsed:.1f} s "
                         f"(deadline {deadline:g} s); last error: {describe(last)}")


@dataclass(frozen=True)
class RetryPolicy:
    deadline_seconds: float  # one operation, every attempt and wait included, ends by then
    cap_seconds: float  # the longest single wait (at the default first wait; it scales with it)
    jitter: bool  # full jitter: each wait uniform in [0, its exponential ceiling]
    connect_timeout: float  # one attempt's limits, shortened for short deadlines (`timeouts`)
    read_timeout: float
    base_env: str  # environment variable overriding the first wait (tests and benchmarks shrink it)
    deadline_env: str  # environment variable overriding the deadline
    base_seconds: float = 1.0  # the first wait, doubled per attempt

    def base(self) -> float:
        return float(os.environ.get(self.base_env, self.base_seconds))

    def deadline(self, configured: float | None = None) -> float:
        """The deadline: `configured` (say, from stack config), else the environment, else the default."""
        if configured is not None:
            return float(configured)
        return float(os.environ.get(self.deadline_env, self.deadline_seconds))

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt `attempt` (0-based): min(base * 2**attempt, cap),
        jittered if the policy says so. The cap scales with the first wait."""
        base = self.base()
        ceiling = min(base * 2**attempt, self.cap_seconds * base / self.base_seconds)
        return random.random() * ceiling if self.jitter else ceiling

    def timeouts(self, deadline: float | None = None) -> tuple[float, float]:
        """(connect, read) timeouts of one attempt: the policy's, or an eighth and a quarter of a
        short deadline, so that even a hung endpoint gets retried before the deadline."""
        seconds = self.deadline(deadline)
        return min(self.connect_timeout, seconds / 8), min(self.read_timeout, seconds / 4)

    def client_config(self, deadline: float | None = None, **extra: Any) -> Any:
        """A botocore `Config` with botocore's retries off and this policy's timeouts."""
        from botocore.config import Config

        connect, read = self.timeouts(deadline)
        return Config(retries=BOTOCORE_RETRIES_OFF, connect_timeout=connect, read_timeout=read,  # type: ignore[arg-type]
                      **extra)

    @contextmanager
    def operation(self, what: str, deadline: float | None = None,
                  attempts: int | None = None) -> Iterator[Budget]:
        """The budget of one operation; operations started inside it end by its deadline too."""
        budget = Budget(self, what, self.deadline(deadline), attempts)
        token = _ENCLOSING.set(budget.ends_at)
        try:
            yield budget
        finally:
            _ENCLOSING.reset(token)

    def call(self, send: Callable[[], T], retryable: Callable[[Exception], bool], what: str,
             deadline: float | None = None) -> T:
        """`send()` until it answers or fails with an error that is not `retryable` (raised as
        is); `RetriesExhausted` once the budget cannot fit another attempt."""
        with self.operation(what, deadline) as budget:
            while True:
                started = time.monotonic()
                try:
                    return send()
                except Exception as exc:
                    if not retryable(exc):
                        raise
                    budget.retry_after(exc, time.monotonic() - started)


class Budget:
    """One operation's time: counts its attempts, waits between them, and gives up when the next
    attempt could not end before the deadline (or `max_attempts` were made)."""

    def __init__(self, policy: RetryPolicy, what: str, deadline: float,
                 max_attempts: int | None = None) -> None:
        self.policy, self.what, self.deadline, self.max_attempts = policy, what, deadline, max_attempts
        self.started = time.monotonic()
        enclosing = _ENCLOSING.get()
        own_end = self.started + deadline
        self.ends_at = own_end if enclosing is None else min(own_end, enclosing)
        self.attempts = 0
        self._slowest = 0.0  # the longest attempt so far: how long the next one may take

    def remaining(self) -> float:
        return self.ends_at - time.monotonic()

    def retry_after(self, error: BaseException, attempt_seconds: float = 0.0) -> None:
        """After a failed attempt (that took `attempt_seconds`): wait, if another attempt fits
        before the deadline; else raise `RetriesExhausted`."""
        self.attempts += 1
        self._slowest = max(self._slowest, attempt_seconds)
        wait = self.policy.delay(self.attempts - 1)
        out_of_attempts = self.max_attempts is not None and self.attempts >= self.max_attempts
        if out_of_attempts or wait + self._slowest > self.remaining():
            raise RetriesExhausted(self.what, self.attempts, time.monotonic() - self.started,
                                   self.deadline, error) from error
        time.sleep(wait)


# The range a stack may set the providers' deadline in (`apiDeadlineSeconds`), read by the
# program's settings and again by the providers from the raw config.
DEADLINE_RANGE = (1.0, 3600.0)
_SECONDS = re.compile(r"[0-9]+(\.[0-9]+)?")  # ASCII digits: float() would take any Unicode digits


def deadline_problem(value: str) -> str | None:
    """Why `value` is not a deadline in seconds within DEADLINE_RANGE, or None."""
    low, high = DEADLINE_RANGE
    if not _SECONDS.fullmatch(value) or not low <= float(value) <= high:
        return f"expected a number of seconds from {low:g} to {high:g}"
    return None


# 80 % of requests faulted (the soak in `make bench`) leaves an API call failing for its whole
# 300 s with p < 1e-6 at these waits (mean ~4 s once capped); 16 attempts left 3 %.
PROVISIONING = RetryPolicy(deadline_seconds=300.0, cap_seconds=8.0, jitter=True, connect_timeout=5.0,
                           read_timeout=20.0, base_env="CHIME_PSTN_RETRY_BASE_SECONDS",
                           deadline_env="CHIME_PSTN_API_DEADLINE_SECONDS")
# CreateSipMediaApplicationCall allows 1 request/s: a 1 s first wait, then 2, 4, 8, 8 s.
OPERATOR = RetryPolicy(deadline_seconds=30.0, cap_seconds=8.0, jitter=False, connect_timeout=10.0,
                       read_timeout=30.0, base_env="OPS_RETRY_BASE_SECONDS",
                       deadline_env="OPS_API_DEADLINE_SECONDS")
