"""API calls the dynamic providers spend per lifecycle operation, and how long an order waits.

1. Calls per operation, counted from the emulator's `/_emulator/requests`, beside the minimum the
   API allows (e.g. 1 to create an application, 2 to delete an enabled rule): the ratio is the
   providers' overhead. A second column repeats each lifecycle under the fault profile the tests
   use (30% throttling, 5% 5xx, 5% dropped responses) and reports the mean, to show what the
   safe retries cost.
2. Order waiting: with the production poll schedule (2 s, then x1.5 per poll), the polls and the
   delay between an order completing (the emulator's completion time) and `create` returning,
   side by side with a baseline that polls every 10 s like the CDK custom resources do.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from providers.client import Connection
from providers.number_orders import PollSchedule
from providers.phone_number import PhoneNumberProvider
from providers.sip_media_application import SipMediaApplicationProvider
from providers.sip_rule import SipRuleProvider
from testbed.emulator_process import ACCOUNT_ID, RunningEmulator, start_emulator

REGION = "us-east-1"
ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:handler"
ARN2 = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:handler-v2"
FAULTS = ["--throttle-rate", "0.3", "--error-rate", "0.05", "--drop-rate", "0.05"]
FAULT_RUNS = 8
ORDER_DELAYS = (0.5, 3.0, 6.0)

# (resource, operation, minimum calls the API allows)
MINIMUM = {
    ("PhoneNumber", "create: order by e164"): 3,  # CreatePhoneNumberOrder + >=1 GetPhoneNumberOrder + Get
    ("PhoneNumber", "create: order by search"): 4,  # + SearchAvailablePhoneNumbers
    ("PhoneNumber", "create: adopt from inventory"): 1,
    ("PhoneNumber", "update name"): 1,
    ("PhoneNumber", "read"): 1,
    ("PhoneNumber", "delete (release)"): 1,
    ("SipMediaApplication", "create"): 1,
    ("SipMediaApplication", "update name + Lambda"): 1,
    ("SipMediaApplication", "read"): 1,
    ("SipMediaApplication", "delete"): 1,
    ("SipRule", "create"): 1,
    ("SipRule", "update targets + name"): 1,
    ("SipRule", "read"): 1,
    ("SipRule", "delete (enabled)"): 2,
    ("all three", "check + diff (preview)"): 0,
}


def _configured(provider: Any, emulator: RunningEmulator) -> Any:
    provider.configure(ConfigureRequest(Config({"chime-pstn-routing:chimeEndpoint": emulator.url,
                                                "aws:region": REGION}, "chime-pstn-routing")))
    return provider


def _lifecycle(emulator: RunningEmulator, run: int) -> dict[tuple[str, str], int]:
    """One lifecycle of all three; API requests (incl. retries) per operation."""
    counts: dict[tuple[str, str], int] = {}
    numbers = _configured(PhoneNumberProvider(), emulator)
    apps = _configured(SipMediaApplicationProvider(), emulator)
    rules = _configured(SipRuleProvider(), emulator)
    chime = Connection(REGION, emulator.url).client(REGION)

    def measure(key: tuple[str, str], action: Callable[[], Any]) -> Any:
        emulator.reset_requests()
        result = action()
        counts[key] = len(emulator.requests())
        return result

    area = ("206", "212", "303", "415", "512", "617", "646", "425")[run % 8]
    e164 = chime.search_available_phone_numbers(AreaCode=area, MaxResults=1)["E164PhoneNumbers"][0]
    base = {"product_type": "SipMediaApplicationDialIn", "release_on_delete": True,
            "order_timeout_seconds": 60, "order_marker": f"chime-pstn-routing.bench.number-{run}"}
    number = measure(("PhoneNumber", "create: order by e164"),
                     lambda: numbers.create({**base, "e164_phone_number": e164}))
    searched = measure(("PhoneNumber", "create: order by search"),
                       lambda: numbers.create({**base, "search": {"area_code": area}}))
    adopted = measure(("PhoneNumber", "create: adopt from inventory"),
                      lambda: numbers.create({**base, "e164_phone_number": searched.id}))
    number_outs = measure(("PhoneNumber", "update name"),
                          lambda: numbers.update(number.id, number.outs, {**base, "e164_phone_number": e164,
                                                                          "name": "main"})).outs
    measure(("PhoneNumber", "read"), lambda: numbers.read(number.id, number_outs))

    app = measure(("SipMediaApplication", "create"), lambda: apps.create(
        {"name": "app", "lambda_arn": ARN, "resource_marker": f"chime-pstn-routing.bench.app-{run}"}))
    app_outs = measure(("SipMediaApplication", "update name + Lambda"),
                       lambda: apps.update(app.id, app.outs, {"name": "app2", "lambda_arn": ARN2})).outs
    measure(("SipMediaApplication", "read"), lambda: apps.read(app.id, app_outs))

    target = [{"sip_media_application_id": app.id, "priority": 1.0, "region": REGION}]
    rule_props = {"name": "rule", "trigger_type": "ToPhoneNumber", "trigger_value": e164, "targets": target}
    rule = measure(("SipRule", "create"), lambda: rules.create(rule_props))
    rule_outs = measure(("SipRule", "update targets + name"),
                        lambda: rules.update(rule.id, rule.outs, {**rule_props, "name": "rule2"})).outs
    measure(("SipRule", "read"), lambda: rules.read(rule.id, rule_outs))

    def preview() -> None:
        numbers.diff(number.id, number_outs, numbers.check({}, {**base, "e164_phone_number": e164}).inputs)
        apps.diff(app.id, app_outs, apps.check({}, {"name": "app3", "lambda_arn": ARN}).inputs)
        rules.diff(rule.id, rule_outs, rules.check({}, {**rule_props, "disabled": True}).inputs)

    measure(("all three", "check + diff (preview)"), preview)
    measure(("SipRule", "delete (enabled)"), lambda: rules.delete(rule.id, rule_outs))
    measure(("SipMediaApplication", "delete"), lambda: apps.delete(app.id, app_outs))
    measure(("PhoneNumber", "delete (release)"), lambda: numbers.delete(number.id, number_outs))
    numbers.delete(adopted.id, adopted.outs)  # the resource that holds the searched number now
    return counts


def _calls_table() -> None:
    os.environ.setdefault("CHIME_PSTN_ORDER_POLL_SECONDS", "0.05")
    clean = start_emulator(["--order-delay", "0.02"])
    try:
        calm = _lifecycle(clean, 0)
    finally:
        clean.stop()
    os.environ.setdefault("CHIME_PSTN_RETRY_BASE_SECONDS", "0.01")
    faulty = start_emulator([*FAULTS, "--order-delay", "0.02", "--seed", "7", "--phone-number-quota", "100"])
    try:
        runs = [_lifecycle(faulty, run) for run in range(FAULT_RUNS)]
    finally:
        faulty.stop()
    print(f"{'resource':<20} {'operation':<30} {'calls':>5} {'min':>4} {'ratio':>6}   "
          f"{'faults: mean':>12} {'ratio':>6}")
    for (resource, operation), minimum in MINIMUM.items():
        calls = calm[(resource, operation)]
        mean = statistics.mean(r[(resource, operation)] for r in runs)
        ratio = f"{calls / minimum:.2f}" if minimum else ("1.00" if calls == 0 else "inf")
        fault_ratio = f"{mean / minimum:.2f}" if minimum else "-"
        print(f"{resource:<20} {operation:<30} {calls:>5} {minimum:>4} {ratio:>6}   "
              f"{mean:>12.1f} {fault_ratio:>6}")
    print("(create by e164: GetPhoneNumber + ListPhoneNumberOrders first, to adopt or resume rather than"
          " double-order, and GetPhoneNumber again (an order completing in between); by search:"
          " ListPhoneNumbers (a timed-out order's number, by its marker name), ListPhoneNumberOrders (one"
          " still in flight) and ListPhoneNumbers again first; an application: ListSipMediaApplications"
          " and ListTagsForResource per application in the Region, for an earlier attempt's marker tag;"
          " a rule: ListSipRules, for an earlier attempt's rule on its trigger)")


class _FixedTenSecondPolls(PhoneNumberProvider):
    """Baseline: poll every 10 s, as the CDK custom resources do."""

    poll = PollSchedule(first_seconds=10.0, growth=1.0)


def _order_wait(provider_class: type[PhoneNumberProvider], delay: float) -> tuple[int, float]:
    emulator = start_emulator(["--order-delay", str(delay)])
    try:
        provider = _configured(provider_class(), emulator)
        chime = emulator.client()
        e164 = chime.search_available_phone_numbers(AreaCode="206", MaxResults=1)["E164PhoneNumbers"][0]
        emulator.reset_requests()
        created = provider.create({"e164_phone_number": e164, "product_type": "SipMediaApplicationDialIn",
                                   "order_timeout_seconds": 120})
        returned = time.time()
        polls = Counter(emulator.operations())["GetPhoneNumberOrder"]
        order = chime.get_phone_number_order(PhoneNumberOrderId=created.outs["order_id"])["PhoneNumberOrder"]
        completed = order["UpdatedTimestamp"]
        completed_at = completed.timestamp() if isinstance(completed, dt.datetime) else float(completed)
        return polls, returned - completed_at
    finally:
        emulator.stop()


def _order_table() -> None:
    os.environ.pop("CHIME_PSTN_ORDER_POLL_SECONDS", None)  # the production schedule
    jobs = [(cls, delay) for delay in ORDER_DELAYS for cls in (PhoneNumberProvider, _FixedTenSecondPolls)]
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = dict(zip(jobs, pool.map(lambda job: _order_wait(*job), jobs), strict=True))
    print(f"{'order takes':>11} {'polls':>6} {'late by':>8}   {'baseline polls':>14} {'late by':>8}   "
          f"{'lateness ratio':>14}")
    for delay in ORDER_DELAYS:
        polls, late = results[(PhoneNumberProvider, delay)]
        base_polls, base_late = results[(_FixedTenSecondPolls, delay)]
        print(f"{delay:>10.1f}s {polls:>6} {late:>7.2f}s   {base_polls:>14} {base_late:>7.2f}s   "
              f"{late / base_late:>14.2f}")
    print("(late by = create returned minus order completed; baseline polls every 10 s)")


def main() -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    saved = {k: os.environ.get(k) for k in ("CHIME_PSTN_ORDER_POLL_SECONDS", "CHIME_PSTN_RETRY_BASE_SECONDS")}
    try:
        _calls_table()
        print()
        _order_table()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


if __name__ == "__main__":
    main()
