"""Creates racing each other or an earlier run, as they do under the engine (tests/engine found
both): up to four creates at once in one provider process (the server's worker threads), where
tests/providers' other tests send one at a time; and a create by number while an interrupted run's
order for it completes."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from providers import phone_number
from providers.order_marker import order_name
from providers.phone_number import PhoneNumberProvider
from testbed.emulator_process import RunningEmulator, running_emulator
from tests.providers.conftest import configured
from tests.providers.harness import DynamicHost, ResourceState
from tests.providers.test_grpc_phone_number import MARKER, TYPE, inputs
from tests.support.phone_numbers import wait_order

SEARCH = {"phone_number_type": "TollFree", "country": "US", "toll_free_prefix": "844"}


def test_alike_searches_created_at_once_each_order_a_number_of_their_own(
        dynamic_host: DynamicHost, emulator: RunningEmulator, chime: Any) -> None:
    # The shared emulator takes 0.2 s per order: every create is in flight together.
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


def test_an_order_that_completes_between_the_looks_is_adopted_not_placed_again(
        monkeypatch: pytest.MonkeyPatch, fast_retries: None) -> None:
    # An `up` after an interrupted one: its create looks in the inventory (the number is still only
    # reserved by the earlier run's order), then for orders in flight, and the order completes in
    # between. Seen under the engine when the second `up` met the order's completion.
    with running_emulator(["--order-delay", "0.5"]) as emulator:
        chime = emulator.client()
        e164 = chime.search_available_phone_numbers(AreaCode="512", MaxResults=1)["E164PhoneNumbers"][0]
        earlier = chime.create_phone_number_order(ProductType="SipMediaApplicationDialIn",
                                                  E164PhoneNumbers=[e164])["PhoneNumberOrder"]
        looked: list[str] = []
        in_flight = phone_number.pending_order

        def completes_first(client: Any, *args: Any, **kwargs: Any) -> Any:
            wait_order(chime, earlier["PhoneNumberOrderId"])  # the earlier order completes now
            looked.append("orders")
            return in_flight(client, *args, **kwargs)

        monkeypatch.setattr(phone_number, "pending_order", completes_first)
        provider = configured(PhoneNumberProvider(), emulator)
        created = provider.create({"e164_phone_number": e164, "product_type": "SipMediaApplicationDialIn"})
        assert looked == ["orders"]  # the interleaving really happened
        assert created.id == e164 and created.outs
        assert created.outs["order_id"] == earlier["PhoneNumberOrderId"]
        assert Counter(emulator.operations())["CreatePhoneNumberOrder"] == 1  # the test's own, only


def test_a_searched_order_that_completes_between_the_looks_is_adopted_not_ordered_again(
        monkeypatch: pytest.MonkeyPatch, fast_retries: None) -> None:
    # The same for a search: the earlier run's order carries this resource's order name, so its
    # number is found by that name once it is in the inventory.
    with running_emulator(["--order-delay", "0.5"]) as emulator:
        chime = emulator.client()
        props = {"search": {"area_code": "303"}, "product_type": "SipMediaApplicationDialIn",
                 "order_marker": MARKER}
        ordered_as = order_name(props, "us-east-1", "SipMediaApplicationDialIn")
        e164 = chime.search_available_phone_numbers(AreaCode="303", MaxResults=1)["E164PhoneNumbers"][0]
        earlier = chime.create_phone_number_order(ProductType="SipMediaApplicationDialIn", Name=ordered_as,
                                                  E164PhoneNumbers=[e164])["PhoneNumberOrder"]
        in_flight = phone_number.pending_order

        def completes_first(client: Any, *args: Any, **kwargs: Any) -> Any:
            wait_order(chime, earlier["PhoneNumberOrderId"])
            return in_flight(client, *args, **kwargs)

        monkeypatch.setattr(phone_number, "pending_order", completes_first)
        created = configured(PhoneNumberProvider(), emulator).create(props)
        assert created.id == e164
        assert Counter(emulator.operations())["CreatePhoneNumberOrder"] == 1  # the test's own, only
