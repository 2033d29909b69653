"""Program evaluation under Pulumi mocks for 1, 10 and 100 phone numbers: does it grow linearly?

Each size runs the whole `__main__.py` (settings, components, every resource registration, the
exports) against fresh mocks, best of a few repeats. Reported as ratios against the 1-number run
measured in the same process, plus the marginal cost per added number.
"""

from __future__ import annotations

import json
import time

from testbed.program_mocks import evaluate, stack_config

SIZES = (1, 10, 100)
REPEATS = 3


def _config(numbers: int) -> dict[str, str]:
    config = stack_config("prod")  # two Regions: the largest topology per number
    config["chime-pstn-routing:phoneNumbers"] = json.dumps(
        [{"e164": f"+1844555{i:04d}"} for i in range(numbers)])
    return config


def _measure(numbers: int) -> tuple[float, int]:
    best = float("inf")
    resources = 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        run = evaluate("prod", _config(numbers))
        elapsed = time.perf_counter() - started
        if run.error is not None:
            raise run.error
        resources = len(run.registrations)
        best = min(best, elapsed)
    return best, resources


def main() -> None:
    evaluate("prod", _config(1))  # warm imports and caches so the baseline is not a cold start
    results = {n: _measure(n) for n in SIZES}
    base, _ = results[SIZES[0]]
    print(f"{'numbers':>8} {'resources':>9} {'seconds':>8} {'x 1-number':>11} {'ms/number':>10} "
          f"{'marginal ms/number':>19}")
    previous: tuple[int, float] | None = None
    for n in SIZES:
        seconds, resources = results[n]
        marginal = "" if previous is None else f"{(seconds - previous[1]) / (n - previous[0]) * 1000:.1f}"
        print(f"{n:>8} {resources:>9} {seconds:>8.3f} {seconds / base:>11.2f} {seconds / n * 1000:>10.1f} "
              f"{marginal:>19}")
        previous = (n, seconds)
    s10, s100 = results[10][0], results[100][0]
    linearity = ((s100 - s10) / 90) / ((s10 - base) / 9) if s10 > base else float("nan")
    print(f"marginal cost 10→100 vs 1→10: {linearity:.2f} (≈1 means linear); "
          f"100 numbers {'under' if s100 < 10 else 'OVER'} the 10 s budget")


if __name__ == "__main__":
    main()
