"""Fault soak: full lifecycles of all three providers under harsh faults, one seed each.

The emulator answers 50 % of API requests with throttling, 15 % with a 5xx and drops 15 % of the
answers after committing the change (`--throttle-rate 0.5 --error-rate 0.15 --drop-rate 0.15`);
`POST /_emulator/reset {"seed": N}` gives each lifecycle its own fault sequence from its first
draw. A lifecycle is what the engine does, run by run:

1. `pulumi up`: a number by search (named), a number by e164, an application (tagged) created
   in parallel (4 workers, as the dynamic-provider process serves them), then one rule per number;
2. `pulumi up`: rename both numbers, the application (name, tags) and both rules, in parallel;
3. `pulumi refresh`: read all five;
4. `pulumi destroy`: the rules, then the application and the numbers.

An operation that still fails is run again by a new run, as a user re-running `pulumi up` would
(a new provider process: the providers' in-process memory is forgotten); the lifecycle then
counts as needing a re-run. Reported: lifecycles that needed a re-run, duplicates (after step 1,
anything beyond one application, two rules, two held numbers and two successful orders), orphans
(after step 4, anything left), faults met, and wall time per lifecycle as a ratio to the same
lifecycle without faults, measured first in the same run.

Time is compressed 100x for the retry budget (first wait 10 ms instead of 1 s, cap 80 ms, API
deadline 3 s instead of 300 s) and order polls start at 20 ms: the number of attempts that fit in
a deadline, which decides whether an operation survives the faults, stays what it is in
production; only the waiting shrinks. `BENCH_SOAK_SEEDS=N` runs N seeds instead of 50.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from providers import adoptions
from providers.client import Connection
from providers.phone_number import PhoneNumberProvider
from providers.sip_media_application import SipMediaApplicationProvider
from providers.sip_rule import SipRuleProvider
from testbed.emulator_process import ACCOUNT_ID, RunningEmulator, start_emulator

REGION = "us-east-1"
ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:handler"
SEEDS = range(1, 1 + int(os.environ.get("BENCH_SOAK_SEEDS", "50")))  # fewer for a quick look
FAULTS = ["--throttle-rate", "0.5", "--error-rate", "0.15", "--drop-rate", "0.15"]
EMULATOR = ["--order-delay", "0.05", "--phone-number-quota", "100", "--seed", "0"]
# Production budget / 100 (awsutil.retry.PROVISIONING: 1 s first wait, 300 s deadline; 2 s polls).
COMPRESSED = {"CHIME_PSTN_RETRY_BASE_SECONDS": "0.01", "CHIME_PSTN_API_DEADLINE_SECONDS": "3",
              "CHIME_PSTN_ORDER_POLL_SECONDS": "0.02"}
RERUNS = 3  # runs a user would try after the first, per operation
AREA_CODES = ("206", "212", "303", "312", "415", "425", "512", "617", "646", "213")


@dataclass
class Outcome:
    seed: int
    seconds: float = 0.0
    reruns: int = 0
    failed: str | None = None  # an operation that failed even after RERUNS runs
    duplicates: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)


def _configured(provider: Any, emulator: RunningEmulator) -> Any:
    provider.configure(ConfigureRequest(Config({"chime-pstn-routing:chimeEndpoint": emulator.url,
                                                "aws:region": REGION}, "chime-pstn-routing")))
    return provider


class _Lifecycle:
    def __init__(self, emulator: RunningEmulator, seed: int) -> None:
        self.emulator, self.outcome = emulator, Outcome(seed)
        self.numbers = _configured(PhoneNumberProvider(), emulator)
        self.apps = _configured(SipMediaApplicationProvider(), emulator)
        self.rules = _configured(SipRuleProvider(), emulator)
        # Checks read through a retrying client with a long deadline: they meet faults too.
        self.chime = Connection(REGION, emulator.url, deadline_seconds=600).client(REGION)

    def run(self, what: str, operation: Callable[[], Any]) -> Any:
        """One provider operation; when it fails, a new run (a new provider process) repeats it."""
        for attempt in range(RERUNS + 1):
            try:
                return operation()
            except Exception as exc:
                if attempt == RERUNS:
                    self.outcome.failed = f"{what}: {exc}"
                    raise
                self.outcome.reruns += 1
                adoptions.forget()

    def parallel(self, steps: dict[str, Callable[[], Any]]) -> dict[str, Any]:
        with ThreadPoolExecutor(4) as pool:
            futures = {what: pool.submit(self.run, what, step) for what, step in steps.items()}
            return {what: future.result() for what, future in futures.items()}

    def census(self) -> dict[str, int]:
        numbers = self.chime.list_phone_numbers()["PhoneNumbers"]
        orders = self.chime.list_phone_number_orders()["PhoneNumberOrders"]
        return {"applications": len(self.chime.list_sip_media_applications()["SipMediaApplications"]),
                "rules": len(self.chime.list_sip_rules()["SipRules"]),
                "held numbers": sum(n["Status"] != "ReleaseInProgress" for n in numbers),
                "successful orders": sum(o["Status"] == "Successful" for o in orders)}

    def lifecycle(self) -> None:
        seed, bind = self.outcome.seed, self._bind
        area = AREA_CODES[seed % len(AREA_CODES)]
        found = self.chime.search_available_phone_numbers(
            AreaCode=AREA_CODES[(seed + 1) % len(AREA_CODES)], MaxResults=1)
        listed = found["E164PhoneNumbers"][0]
        base = {"product_type": "SipMediaApplicationDialIn", "release_on_delete": True,
                "order_timeout_seconds": 60}
        number_props = {
            "searched": {**base, "search": {"area_code": area}, "name": "front desk",
                         "avoid_numbers": [listed],
                         "order_marker": f"chime-pstn-routing.soak.searched-{seed}"},
            "listed": {**base, "e164_phone_number": listed,
                       "order_marker": f"chime-pstn-routing.soak.listed-{seed}"},
        }
        app_props = {"name": f"app-{seed}", "lambda_arn": ARN, "tags": {"seed": str(seed)},
                     "resource_marker": f"chime-pstn-routing.soak.app-{seed}"}

        adoptions.forget()  # `pulumi up`
        made = self.parallel({"create application": bind(self.apps.create, app_props),
                              **{f"create {key} number": bind(self.numbers.create, props)
                                 for key, props in number_props.items()}})
        app = made["create application"]
        numbers = {key: made[f"create {key} number"] for key in number_props}
        target = [{"sip_media_application_id": app.id, "priority": 1.0, "region": REGION}]
        rule_props = {key: {"name": f"rule-{key}-{seed}", "trigger_type": "ToPhoneNumber",
                            "trigger_value": numbers[key].id, "targets": target} for key in numbers}
        made = self.parallel({f"create {key} rule": bind(self.rules.create, props)
                              for key, props in rule_props.items()})
        rules = {key: made[f"create {key} rule"] for key in rule_props}
        expected = {"applications": 1, "rules": 2, "held numbers": 2, "successful orders": 2}
        self.outcome.duplicates += [f"{kind}: {count} (expected {expected[kind]})"
                                    for kind, count in self.census().items() if count > expected[kind]]

        adoptions.forget()  # `pulumi up` with changes
        renamed = self.parallel({
            "update application": bind(self.apps.update, app.id, app.outs,
                                       {**app_props, "name": f"app-{seed}-b", "tags": {"v": "2"}}),
            **{f"rename {key} number": bind(self.numbers.update, numbers[key].id, numbers[key].outs,
                                            {**number_props[key], "name": f"{key} {seed}"})
               for key in numbers},
            **{f"rename {key} rule": bind(self.rules.update, rules[key].id, rules[key].outs,
                                          {**rule_props[key], "name": f"rule-{key}-{seed}-b"})
               for key in rules},
        })
        app_outs = renamed["update application"].outs
        number_outs = {key: renamed[f"rename {key} number"].outs for key in numbers}
        rule_outs = {key: renamed[f"rename {key} rule"].outs for key in rules}

        adoptions.forget()  # `pulumi refresh`
        self.parallel({"read application": bind(self.apps.read, app.id, app_outs),
                       **{f"read {key} number": bind(self.numbers.read, numbers[key].id, number_outs[key])
                          for key in numbers},
                       **{f"read {key} rule": bind(self.rules.read, rules[key].id, rule_outs[key])
                          for key in rules}})

        adoptions.forget()  # `pulumi destroy`: the rules first, as the dependencies say
        self.parallel({f"delete {key} rule": bind(self.rules.delete, rules[key].id, rule_outs[key])
                       for key in rules})
        self.parallel({"delete application": bind(self.apps.delete, app.id, app_outs),
                       **{f"release {key} number": bind(self.numbers.delete, numbers[key].id,
                                                        number_outs[key]) for key in numbers}})
        self.outcome.orphans += [f"{kind}: {count}" for kind, count in self.census().items()
                                 if count and kind != "successful orders"]

    @staticmethod
    def _bind(operation: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        return lambda: operation(*args)


def _lifecycle(emulator: RunningEmulator, seed: int) -> Outcome:
    emulator.reset(seed)
    soak = _Lifecycle(emulator, seed)
    started = time.perf_counter()
    try:
        soak.lifecycle()
    except Exception as exc:
        soak.outcome.failed = soak.outcome.failed or repr(exc)
    soak.outcome.seconds = time.perf_counter() - started
    soak.outcome.faults = Counter(r["fault"] for r in emulator.requests() if r["fault"])
    return soak.outcome


def _baseline() -> float:
    """Median wall time of the same lifecycle without faults (a few seeds)."""
    emulator = start_emulator(EMULATOR)
    try:
        return statistics.median(_lifecycle(emulator, seed).seconds for seed in (101, 102, 103))
    finally:
        emulator.stop()


def main() -> None:
    saved = {k: os.environ.get(k) for k in (*COMPRESSED, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ.update(COMPRESSED)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    try:
        baseline = _baseline()
        emulator = start_emulator([*FAULTS, *EMULATOR])
        try:
            outcomes = [_lifecycle(emulator, seed) for seed in SEEDS]
        finally:
            emulator.stop()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    _report(outcomes, baseline)


def _report(outcomes: list[Outcome], baseline: float) -> None:
    faults = sum((o.faults for o in outcomes), Counter())
    seconds = [o.seconds for o in outcomes]
    clean = [o for o in outcomes if not o.reruns and not o.failed]
    print(f"{len(outcomes)} lifecycles (seeds {outcomes[0].seed}-{outcomes[-1].seed}) at "
          f"{' '.join(FAULTS)}; faults met: {faults['throttle']} throttled, {faults['error']} 5xx, "
          f"{faults['drop']} dropped answers")
    print(f"{'completed without a re-run':<36} {len(clean):>5} of {len(outcomes)}")
    print(f"{'needed a re-run (operations re-run)':<36} {sum(1 for o in outcomes if o.reruns):>5} "
          f"({sum(o.reruns for o in outcomes)})")
    print(f"{'failed even after re-runs':<36} {sum(1 for o in outcomes if o.failed):>5}")
    print(f"{'duplicates':<36} {sum(len(o.duplicates) for o in outcomes):>5}")
    print(f"{'orphans':<36} {sum(len(o.orphans) for o in outcomes):>5}")
    median = statistics.median(seconds)
    print(f"{'wall time per lifecycle, median (s)':<36} {median:>8.2f}   "
          f"ratio to no faults: {median / baseline:.1f}x")
    print(f"{'wall time per lifecycle, max (s)':<36} {max(seconds):>8.2f}   "
          f"ratio to no faults: {max(seconds) / baseline:.1f}x   (no faults: {baseline:.2f} s)")
    for outcome in outcomes:
        for problem in ([outcome.failed] if outcome.failed else []) + outcome.duplicates + outcome.orphans:
            print(f"  seed {outcome.seed}: {problem}")
    print("(time compressed 100x for the retry budget and order polls: the attempts that fit in a "
          "deadline are production's; goal: every lifecycle without a re-run, 0 duplicates, 0 orphans)")


if __name__ == "__main__":
    main()
