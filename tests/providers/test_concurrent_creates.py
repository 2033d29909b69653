"""Creates side by side, as the engine sends them: up to four at once into one provider process
(the server's worker threads), where tests/providers' other tests send one at a time. Searches
alike created at once each order a number of their own, one order each; the shared emulator takes
0.2 s per order, so every create is in flight together."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from testbed.emulator_process import RunningEmulator
from tests.providers.harness import DynamicHost, ResourceState
from tests.providers.test_grpc_phone_number import MARKER, TYPE, inputs

SEARCH = {"phone_number_type": "TollFree", "country": "US", "toll_free_prefix": "844"}


def test_alike_searches_created_at_once_each_order_a_number_of_their_own(
        dynamic_host: DynamicHost, emulator: RunningEmulator, chime: Any) -> None:
    states = [ResourceState(TYPE, f"number-{i}") for i in range(4)]
    news = [inputs(search=SEARCH, order_marker=f"{MARKER}-{i}") for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda pair: dynamic_host.up(*pair), zip(states, news, strict=True)))
    assert done == ["create"] * 4
    ids = [state.id for state in states]
    assert len(set(ids)) == 4 and all(i.startswith("+1844") for i in ids)
    assert Counter(emulator.operations())["CreatePhoneNumberOrder"] == 4
    orders = chime.list_phone_number_orders()["PhoneNumberOrders"]
    assert sorted(o["Status"] for o in orders) == ["Successful"] * 4
