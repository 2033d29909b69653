"""The retry policy for AWS calls: one loop, exponential backoff, and each caller's budget.

botocore's own retries are switched off for every client built here (`BOTOCORE_RETRIES_OFF`):
in botocore 1.44 neither its `standard` nor its `adaptive` mode retries chime-sdk-voice's
throttling error (ThrottledClientException is a modelled error without the `retryable` trait, so a
429 comes back with RetryAttempts 0), and botocore would resend a request whose answer was lost,
which for a create or a call start is not safe. Callers decide what to retry with
`awsutil.classify`; this module decides how often and how long to wait.

Two budgets, side by side, because their callers differ:
- `PROVISIONING` (the Pulumi providers): many attempts with full jitter. A deployment must ride
  out sustained throttling and faults, and up to four provider workers send at once, so their
  waits must not line up.
- `OPERATOR` (`python -m ops`): a few attempts with plain doubling. One operator sends one request
  at a time and should hear about a persistent failure within seconds.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

# For `botocore.config.Config(retries=...)`: one attempt, so only our policy retries.
BOTOCORE_RETRIES_OFF: dict[str, Any] = {"mode": "standard", "total_max_attempts": 1}


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int  # total attempts, the first one included
    cap_seconds: float  # the longest single wait
    jitter: bool  # full jitter: each wait uniform in [0, its exponential ceiling]
    base_env: str  # environment variable overriding the first wait (tests shrink it)
    base_seconds: float = 1.0  # the first wait, doubled per attempt

    def base(self) -> float:
        return float(os.environ.get(self.base_env, self.base_seconds))

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt `attempt` (0-based): min(base * 2**attempt, cap),
        jittered if the policy says so."""
        ceiling = min(self.base() * 2**attempt, self.cap_seconds)
        return random.random() * ceiling if self.jitter else ceiling

    def call(self, send: Callable[[], T], retryable: Callable[[Exception], bool]) -> T:
        """`send()` until it answers, an error is not `retryable`, or the attempts run out (the
        last error is raised)."""
        for attempt in range(self.attempts):
            try:
                return send()
            except Exception as exc:
                if attempt == self.attempts - 1 or not retryable(exc):
                    raise
                time.sleep(self.delay(attempt))
        raise AssertionError("unreachable")


# Every fault counts (throttle + error + drop: 0.4 in the fault tests), so 16 attempts all fail
# together with p = 0.4**16 ~ 4e-7 (10 attempts gave 1e-4: seen in a bench). Botocore's own
# throttling base is 1 s.
PROVISIONING = RetryPolicy(attempts=16, cap_seconds=20.0, jitter=True,
                           base_env="CHIME_PSTN_RETRY_BASE_SECONDS")
# CreateSipMediaApplicationCall allows 1 request/s: a 1 s first wait, then 2, 4, 8, 8 s.
OPERATOR = RetryPolicy(attempts=6, cap_seconds=8.0, jitter=False, base_env="OPS_RETRY_BASE_SECONDS")
