"""Search-based numbers created at the same time, as the engine does (the dynamic provider process
serves 4 gRPC workers): each gets a number of its own, and no order fails because a sibling took
its number. A number taken by someone outside the process between search and order fails that
order: the create searches again, a bounded number of times."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from providers.errors import ProviderError
from providers.phone_number import SEARCH_ATTEMPTS, PhoneNumberProvider
from testbed.emulator_process import RunningEmulator, running_emulator
from testbed.program_mocks import evaluate, stack_config
from tests.providers.conftest import FAST_ENV, REGION, configured
from tests.providers.harness import DynamicHost, ResourceState, provider_blob

TYPE = "pulumi-python:dynamic/chime:PhoneNumber"
BLOB = provider_blob(PhoneNumberProvider())


def inputs(resource: str) -> dict[str, Any]:
    return {"__provider": BLOB, "search": {"area_code": "206"}, "product_type": "SipMediaApplicationDialIn",
            "release_on_delete": True, "order_timeout_seconds": 600,
            "order_marker": f"chime-pstn-routing.test.{resource}"}


@pytest.fixture(scope="module")
def roomy_emulator() -> Iterator[RunningEmulator]:
    """Orders take 0.2 s (as on the shared emulator); the quota leaves room for ten numbers."""
    with running_emulator(["--order-delay", "0.2", "--phone-number-quota", "20"]) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def host(roomy_emulator: RunningEmulator) -> Iterator[DynamicHost]:
    dynamic_host = DynamicHost(env=FAST_ENV)
    try:
        dynamic_host.configure({"chime-pstn-routing:chimeEndpoint": roomy_emulator.url, "aws:region": REGION})
        yield dynamic_host
    finally:
        dynamic_host.close()


@pytest.mark.parametrize("count", [2, 10])
def test_parallel_searches_get_one_number_each(count: int, host: DynamicHost,
                                               roomy_emulator: RunningEmulator) -> None:
    roomy_emulator.reset()
    chime, dynamic_host, emulator = roomy_emulator.client(), host, roomy_emulator
    states = [ResourceState(TYPE, f"number-{i}") for i in range(count)]
    with ThreadPoolExecutor(count) as pool:
        outcomes = list(pool.map(lambda s: dynamic_host.up(s, inputs(s.name)), states))
    assert outcomes == ["create"] * count
    ids = [s.id for s in states]
    assert len(set(ids)) == count and all(i.startswith("+1206") for i in ids)
    orders = chime.list_phone_number_orders()["PhoneNumberOrders"]
    assert sorted(o["Status"] for o in orders) == ["Successful"] * count
    assert sorted(n["E164PhoneNumber"] for n in chime.list_phone_numbers()["PhoneNumbers"]) == sorted(ids)
    # Not vacuous: the creates really overlapped (all of them searched before any order completed).
    operations = emulator.operations()
    assert operations.count("SearchAvailablePhoneNumbers") >= count


def _taken_by_someone_else(monkeypatch: pytest.MonkeyPatch, chime: Any, times: int) -> list[str]:
    """The first `times` numbers the provider picks are ordered by someone else right after its
    search (before its own order): what another stack or a person racing it looks like."""
    original = PhoneNumberProvider._pick
    taken: list[str] = []

    def pick(*args: Any) -> str:
        e164 = original(*args)
        if len(taken) < times:
            chime.create_phone_number_order(ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[e164])
            taken.append(e164)
        return e164

    monkeypatch.setattr(PhoneNumberProvider, "_pick", staticmethod(pick))
    return taken


def test_an_order_failed_because_its_number_was_taken_searches_again(
        emulator: RunningEmulator, chime: Any, monkeypatch: pytest.MonkeyPatch, fast_retries: None) -> None:
    taken = _taken_by_someone_else(monkeypatch, chime, 2)
    provider = configured(PhoneNumberProvider(), emulator)
    created = provider.create({"search": {"area_code": "206"}, "order_marker": "chime-pstn-routing.test.n",
                               "order_timeout_seconds": 30})
    assert len(taken) == 2 and created.id not in taken
    statuses = {o["OrderedPhoneNumbers"][0]["E164PhoneNumber"]: o["Status"]
                for o in chime.list_phone_number_orders()["PhoneNumberOrders"] if o["Status"] != "Successful"}
    assert sorted(statuses.values()) == ["Failed", "Failed"]  # ours, for the two taken numbers


def test_searching_again_is_bounded(emulator: RunningEmulator, chime: Any, monkeypatch: pytest.MonkeyPatch,
                                    fast_retries: None) -> None:
    taken = _taken_by_someone_else(monkeypatch, chime, SEARCH_ATTEMPTS)
    provider = configured(PhoneNumberProvider(), emulator)
    with pytest.raises(ProviderError, match=f"{SEARCH_ATTEMPTS} orders for search .* failed") as failed:
        provider.create({"search": {"area_code": "206"}, "order_timeout_seconds": 30})
    assert all(f"{e164}: Failed" in str(failed.value) for e164 in taken)
    ours = [o for o in chime.list_phone_number_orders()["PhoneNumberOrders"] if o["Status"] == "Failed"]
    assert len(ours) == SEARCH_ATTEMPTS


def test_a_search_never_takes_a_number_listed_elsewhere(emulator: RunningEmulator, chime: Any,
                                                        fast_retries: None) -> None:
    first, second = chime.search_available_phone_numbers(AreaCode="206", MaxResults=2)["E164PhoneNumbers"]
    provider = configured(PhoneNumberProvider(), emulator)
    created = provider.create({"search": {"area_code": "206"}, "avoid_numbers": [first],
                               "order_timeout_seconds": 30})
    assert created.id == second


def test_the_program_tells_each_search_which_numbers_are_listed() -> None:
    config = {**stack_config("dev"), "chime-pstn-routing:phoneNumbers": json.dumps(
        [{"e164": "+18445550100"}, {"search": {"areaCode": "206"}}, {"e164": "+18445550101"}])}
    run = evaluate("dev", config)
    assert run.error is None, run.error
    numbers = {r.name: r.inputs for r in run.of_type(TYPE)}
    searches = [inputs for inputs in numbers.values() if inputs.get("search")]
    assert len(numbers) == 3 and len(searches) == 1
    assert searches[0]["avoid_numbers"] == ["+18445550100", "+18445550101"]
    assert all("avoid_numbers" not in inputs for inputs in numbers.values() if not inputs.get("search"))
