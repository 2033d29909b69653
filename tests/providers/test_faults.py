"""The full lifecycle of all three resources (an application with its logging) under throttling, 5xx
and dropped responses.

50 seeds: each test resets one emulator process (shared by the worker's tests, started with
the fault rates) with its own seed, so each lifecycle meets that seed's fault sequence from its
first draw, and the log proves it. After each run the emulator must hold no application, no
rule and no number (the providers delete only the ids they returned, so a duplicate made by a
retried create would still be there), and exactly one order for the run's number. Provider
methods are called directly here (the gRPC path is covered in test_grpc_*), with small backoff
settings so faults cost little time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from emulator.faults import FaultInjector
from providers.client import Connection
from providers.phone_number import PhoneNumberProvider
from providers.sip_media_application import SipMediaApplicationProvider
from providers.sip_rule import SipRuleProvider
from testbed.emulator_process import RunningEmulator, running_emulator
from tests.providers.conftest import REGION, configured, lambda_arn

SEEDS = range(1, 51)
RATES = {"throttle_rate": 0.3, "error_rate": 0.05, "drop_rate": 0.05}
FAULTS = [*(a for name, rate in RATES.items() for a in (f"--{name.replace('_', '-')}", str(rate))),
          "--order-delay", "0.02"]
# Fewer API requests than any lifecycle makes: without faults and with one order poll, 23
# (the test's own search and final checks included).
MIN_REQUESTS = 20
AREA_CODES = ("206", "212", "213", "303", "312", "415", "425", "512", "617", "646")


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production backoff starts at 1 s; these runs meet many faults."""
    monkeypatch.setenv("CHIME_PSTN_ORDER_POLL_SECONDS", "0.01")
    monkeypatch.setenv("CHIME_PSTN_RETRY_BASE_SECONDS", "0.002")


@pytest.fixture(scope="module")
def faulty_emulator() -> Iterator[RunningEmulator]:
    with running_emulator(FAULTS) as emulator:
        yield emulator


def seed_faults(seed: int, draws: int) -> list[str | None]:
    """The faults an emulator reset with `seed` gives its first `draws` API requests."""
    injector = FaultInjector(seed, **RATES)
    return [injector.next() for _ in range(draws)]


def leftovers(emulator: RunningEmulator, e164: str) -> dict[str, Any]:
    """What is left in the emulator: any duplicate a retried create made would still be here,
    since the providers delete only the ids they returned. Reads meet faults too, so they go
    through the providers' retrying client (botocore's modes do not retry this service's 429)."""
    chime = Connection(REGION, emulator.url).client(REGION)
    return {
        "applications": chime.list_sip_media_applications()["SipMediaApplications"],
        "rules": chime.list_sip_rules()["SipRules"],
        "held numbers": [n["E164PhoneNumber"] for n in chime.list_phone_numbers()["PhoneNumbers"]
                         if n["Status"] != "ReleaseInProgress"],
        "orders": len([o for o in chime.list_phone_number_orders()["PhoneNumberOrders"]
                       if any(n["E164PhoneNumber"] == e164 for n in o["OrderedPhoneNumbers"])]),
    }


def one_lifecycle(emulator: RunningEmulator, run: int) -> None:
    numbers = configured(PhoneNumberProvider(), emulator)
    apps = configured(SipMediaApplicationProvider(), emulator)
    rules = configured(SipRuleProvider(), emulator)
    area = AREA_CODES[run % len(AREA_CODES)]
    if run % 2:
        wanted: dict[str, Any] = {"search": {"area_code": area}}
    else:  # a named number: the test finds one available first
        chime = Connection(REGION, emulator.url).client(REGION)
        found = chime.search_available_phone_numbers(AreaCode=area, MaxResults=1)
        wanted = {"e164_phone_number": found["E164PhoneNumbers"][0]}
    number_props = {**wanted, "product_type": "SipMediaApplicationDialIn", "name": f"run {run}",
                    "release_on_delete": True, "order_timeout_seconds": 30.0}
    number = numbers.create(number_props)
    logs = "enable_sip_media_application_message_logs"
    app = apps.create({"name": f"app-{run}", "lambda_arn": lambda_arn(), "tags": {"run": str(run)},
                       "logging": {logs: True}})
    rule_props = {"name": f"rule-{run}", "trigger_type": "ToPhoneNumber", "trigger_value": number.id,
                  "targets": [{"sip_media_application_id": app.id, "priority": 1.0, "region": REGION}]}
    rule = rules.create(rule_props)

    assert number.outs is not None and app.outs is not None and rule.outs is not None
    rule_outs = rules.update(rule.id, rule.outs, {**rule_props, "name": f"rule-{run}-b"}).outs
    app_outs = apps.update(app.id, app.outs, {"name": f"app-{run}-b", "lambda_arn": lambda_arn(),
                                              "tags": {"run": str(run), "v": "2"},
                                              "logging": {logs: False}}).outs
    number_outs = numbers.update(number.id, number.outs, {**number_props, "name": f"run {run} b"}).outs
    assert rule_outs is not None and app_outs is not None and number_outs is not None
    assert app_outs["logging"] == {logs: False}
    # Reads agree with what create/update returned; the number is in use by the rule.
    assert rules.read(rule.id, rule_outs).outs == rule_outs
    assert apps.read(app.id, app_outs).outs == app_outs
    assert numbers.read(number.id, number_outs).outs == {**number_outs, "status": "Assigned"}

    rules.delete(rule.id, rule_outs)
    apps.delete(app.id, app_outs)
    numbers.delete(number.id, number_outs)
    left = leftovers(emulator, number.id)
    assert left == {"applications": [], "rules": [], "held numbers": [], "orders": 1}


@pytest.mark.parametrize("seed", SEEDS)
def test_lifecycle_under_faults_leaves_no_duplicates_and_nothing_behind(
        seed: int, faulty_emulator: RunningEmulator) -> None:
    faulty_emulator.reset(seed)
    one_lifecycle(faulty_emulator, seed)
    faults = [r["fault"] for r in faulty_emulator.requests()]
    # The run met exactly this seed's fault sequence, from its first draw.
    assert len(faults) >= MIN_REQUESTS and faults == seed_faults(seed, len(faults))
    assert "throttle" in faults


def test_the_seeds_put_every_fault_kind_in_the_runs() -> None:
    # With the test above (each run meets its seed's first MIN_REQUESTS draws or more), this
    # shows that throttling, 5xx and dropped responses all really happen across the 50 runs.
    met = Counter(f for seed in SEEDS for f in seed_faults(seed, MIN_REQUESTS) if f)
    assert met["throttle"] > 200 and met["error"] > 20 and met["drop"] > 20, met
