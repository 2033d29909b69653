"""Phone number orders that do not simply succeed: timeout (and the run after it), partial
orders, a release that must wait for a rule's association to go, and empty searches."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from providers.client import Connection
from providers.errors import ProviderError
from providers.number_orders import PollSchedule, wait_for_order
from providers.phone_number import PhoneNumberProvider
from testbed.emulator_process import RunningEmulator, running_emulator
from tests.providers.conftest import REGION, configured, create_sma
from tests.support.phone_numbers import wait_order


def wait_until_in_inventory(chime: Any, e164: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while e164 not in {n["E164PhoneNumber"] for n in chime.list_phone_numbers()["PhoneNumbers"]}:
        assert time.monotonic() < deadline, e164
        time.sleep(0.05)


def provider_for(emulator: RunningEmulator) -> PhoneNumberProvider:
    return configured(PhoneNumberProvider(), emulator)


def props(**extra: Any) -> dict[str, Any]:
    return {"product_type": "SipMediaApplicationDialIn", "release_on_delete": True, **extra}


def test_order_timeout_names_the_order_and_the_next_run_resumes_it(fast_retries: None) -> None:
    with running_emulator(["--order-delay", "0.6"]) as emulator:
        provider, chime = provider_for(emulator), emulator.client()
        e164 = chime.search_available_phone_numbers(AreaCode="415", MaxResults=1)["E164PhoneNumbers"][0]
        named = props(e164_phone_number=e164, order_timeout_seconds=0.1)
        searched = props(search={"area_code": "617"}, order_timeout_seconds=0.1)
        # Without an order marker (a provider driven directly), only the named number can be
        # adopted after its order completed; the search's order only while in flight.
        advice = {id(named): "adopts {}, whether the order is still in flight or has completed",
                  id(searched): "resumes this order while it is in flight; after it completes, "
                                "set e164_phone_number: {} to adopt it"}
        for wanted in (named, searched):
            with pytest.raises(ProviderError) as timed_out:
                provider.create(wanted)
            order = [o for o in chime.list_phone_number_orders()["PhoneNumberOrders"]
                     if str(o["PhoneNumberOrderId"]) in str(timed_out.value)]
            assert len(order) == 1, str(timed_out.value)
            ordered = order[0]["OrderedPhoneNumbers"][0]["E164PhoneNumber"]
            assert f"{ordered}: Processing" in str(timed_out.value)
            assert "NOT cancelled" in str(timed_out.value)
            assert advice[id(wanted)].format(ordered) in str(timed_out.value)

        # The search's order is still in flight: resumed. By then the named number's order has
        # completed: the number is in inventory and adopted. Nothing is ordered twice.
        emulator.reset_requests()
        second = provider.create({**searched, "order_timeout_seconds": 10})
        assert "CreatePhoneNumberOrder" not in emulator.operations()
        first = provider.create({**named, "order_timeout_seconds": 10})
        assert "CreatePhoneNumberOrder" not in emulator.operations()
        assert first.id == e164 and second.id.startswith("+1617")
        orders = chime.list_phone_number_orders()["PhoneNumberOrders"]
        assert sorted(o["Status"] for o in orders) == ["Successful", "Successful"]
        inventory = {n["E164PhoneNumber"] for n in chime.list_phone_numbers()["PhoneNumbers"]}
        assert inventory == {first.id, second.id}


def _time_out(provider: PhoneNumberProvider, chime: Any, wanted: dict[str, Any]) -> tuple[str, str]:
    """Create `wanted` with a timeout shorter than the emulator's order delay: (order id, number)."""
    before = {o["PhoneNumberOrderId"] for o in chime.list_phone_number_orders()["PhoneNumberOrders"]}
    with pytest.raises(ProviderError) as timed_out:
        provider.create({**wanted, "order_timeout_seconds": 0.05})
    [order] = [o for o in chime.list_phone_number_orders()["PhoneNumberOrders"]
               if o["PhoneNumberOrderId"] not in before]
    assert order["PhoneNumberOrderId"] in str(timed_out.value)
    return order["PhoneNumberOrderId"], order["OrderedPhoneNumbers"][0]["E164PhoneNumber"]


def test_a_timed_out_order_that_completed_is_adopted_by_its_marker_only(fast_retries: None) -> None:
    with running_emulator(["--order-delay", "0.6"]) as emulator:
        provider, chime = provider_for(emulator), emulator.client()
        mine = props(search={"area_code": "617"}, order_marker="chime-pstn-routing.test.mine",
                     order_timeout_seconds=10)
        order_id, ordered = _time_out(provider, chime, mine)
        assert wait_order(chime, order_id)["Status"] == "Successful"
        left = chime.get_phone_number(PhoneNumberId=ordered)["PhoneNumber"]
        assert left["Status"] == "Unassigned" and left["Name"].startswith("chime-pstn-routing.test.mine ")

        # The user re-runs `pulumi up` after the order completed: adopted, nothing ordered again.
        emulator.reset_requests()
        again = provider.create({**mine, "name": "front desk"})
        assert again.id == ordered and again.outs is not None and again.outs["order_id"] == order_id
        assert not {"SearchAvailablePhoneNumbers", "CreatePhoneNumberOrder"} & set(emulator.operations())
        assert [o["PhoneNumberOrderId"] for o in chime.list_phone_number_orders()["PhoneNumberOrders"]] \
            == [order_id]
        live_name = chime.get_phone_number(PhoneNumberId=ordered)["PhoneNumber"]["Name"]
        assert live_name == f"front desk {left['Name']}"  # the order name stays after the user's
        assert again.outs["name"] == "front desk"

        # A number left by another resource's order (another marker) is never taken: ordered fresh.
        _, theirs = _time_out(provider, chime, {**mine, "order_marker": "chime-pstn-routing.test.theirs"})
        chime.update_phone_number(PhoneNumberId=ordered, Name=left["Name"])  # ours looks orphaned again
        wait_until_in_inventory(chime, theirs)
        other = provider.create({**mine, "order_marker": "chime-pstn-routing.test.other"})
        assert other.id not in (ordered, theirs)
        assert len(chime.list_phone_number_orders()["PhoneNumberOrders"]) == 3


def test_an_order_in_flight_for_another_resource_is_not_taken(fast_retries: None) -> None:
    with running_emulator(["--order-delay", "0.6"]) as emulator:
        provider, chime = provider_for(emulator), emulator.client()
        first = props(search={"area_code": "617"}, order_marker="chime-pstn-routing.test.first",
                      order_timeout_seconds=10)
        _, first_number = _time_out(provider, chime, first)
        # A sibling with the same search starts while the first order is in flight: it waits for
        # that order, sees the number named for the first resource, and orders its own.
        second = provider.create({**first, "order_marker": "chime-pstn-routing.test.second"})
        assert second.id != first_number
        adopted = provider.create(first)
        assert adopted.id == first_number
        # Released since (say, a destroy): the marked number is restored, not ordered again.
        chime.delete_phone_number(PhoneNumberId=first_number)
        emulator.reset_requests()
        assert provider.create(first).id == first_number
        assert "RestorePhoneNumber" in emulator.operations()
        orders = chime.list_phone_number_orders()["PhoneNumberOrders"]
        assert sorted(o["OrderedPhoneNumbers"][0]["E164PhoneNumber"] for o in orders) \
            == sorted([first_number, second.id])


def test_an_unnamed_order_in_flight_is_not_taken_by_a_marked_search(fast_retries: None) -> None:
    # Someone orders a matching number by hand (no Name) while `pulumi up` creates a search number.
    # The provider waits on that order, but its number does not carry this resource's marker: it is
    # not ours, so it must be left alone (adopting it would release their number on destroy).
    with running_emulator(["--order-delay", "1.5"]) as emulator:
        provider, chime = provider_for(emulator), emulator.client()
        found = chime.search_available_phone_numbers(TollFreePrefix="844", MaxResults=1)
        theirs = found["E164PhoneNumbers"][0]
        chime.create_phone_number_order(ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[theirs])
        emulator.reset_requests()
        ours = provider.create(props(search={"toll_free_prefix": "844"}, order_timeout_seconds=10,
                                     order_marker="chime-pstn-routing.test.mine"))
        assert ours.id != theirs and ours.id.startswith("+1844")
        ops = emulator.operations()
        # Not vacuous: their order was still in flight, so the provider waited on it before searching.
        assert ops.index("GetPhoneNumber") < ops.index("SearchAvailablePhoneNumbers"), ops
        assert chime.get_phone_number(PhoneNumberId=theirs)["PhoneNumber"].get("Name") in (None, "")


def test_partial_order_releases_what_it_acquired(emulator: RunningEmulator, chime: Any,
                                                 fast_retries: None) -> None:
    good = chime.search_available_phone_numbers(AreaCode="512", MaxResults=1)["E164PhoneNumbers"][0]
    order = chime.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[good, "+15125550100"])["PhoneNumberOrder"]
    with pytest.raises(ProviderError) as failed:
        wait_for_order(Connection(REGION, emulator.url).client(REGION), order, 10, PollSchedule())
    message = str(failed.value)
    assert order["PhoneNumberOrderId"] in message and "ended Partial" in message
    assert f"{good}: Acquired" in message and "+15125550100: Failed" in message
    assert f"released what it acquired: {good}" in message
    assert chime.get_phone_number(PhoneNumberId=good)["PhoneNumber"]["Status"] == "ReleaseInProgress"


def test_release_waits_for_a_rule_association_to_go(emulator: RunningEmulator, chime: Any,
                                                    fast_retries: None) -> None:
    provider = provider_for(emulator)
    number = provider.create(props(search={"area_code": "646"}, order_timeout_seconds=10))
    rule = chime.create_sip_rule(
        Name="lingering", TriggerType="ToPhoneNumber", TriggerValue=number.id,
        TargetApplications=[{"SipMediaApplicationId": create_sma(chime), "Priority": 1, "AwsRegion": REGION}],
    )["SipRule"]
    emulator.reset_requests()
    errors: list[BaseException] = []

    def release() -> None:
        try:
            assert number.outs is not None
            provider.delete(number.id, number.outs)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=release)
    worker.start()
    deadline = time.monotonic() + 10
    while not any(r["operation"] == "DeletePhoneNumber" and r["status"] == 400 for r in emulator.requests()):
        assert time.monotonic() < deadline
        time.sleep(0.005)
    chime.update_sip_rule(SipRuleId=rule["SipRuleId"], Name="lingering", Disabled=True)
    chime.delete_sip_rule(SipRuleId=rule["SipRuleId"])
    worker.join(30)
    assert errors == []
    assert chime.get_phone_number(PhoneNumberId=number.id)["PhoneNumber"]["Status"] == "ReleaseInProgress"


def test_release_gives_up_clearly_while_the_number_stays_assigned(
        emulator: RunningEmulator, chime: Any, monkeypatch: pytest.MonkeyPatch, fast_retries: None) -> None:
    monkeypatch.setenv("CHIME_PSTN_RETRY_BASE_SECONDS", "0.001")
    provider = provider_for(emulator)
    number = provider.create(props(search={"area_code": "646"}, order_timeout_seconds=10))
    chime.create_sip_rule(
        Name="stays", TriggerType="ToPhoneNumber", TriggerValue=number.id,
        TargetApplications=[{"SipMediaApplicationId": create_sma(chime), "Priority": 1, "AwsRegion": REGION}])
    assert number.outs is not None
    with pytest.raises(ProviderError, match=rf"cannot release phone number \{number.id} \(status Assigned\)"):
        provider.delete(number.id, number.outs)
    assert chime.get_phone_number(PhoneNumberId=number.id)["PhoneNumber"]["Status"] == "Assigned"


def test_search_without_matches_fails_before_ordering(emulator: RunningEmulator, fast_retries: None) -> None:
    provider = provider_for(emulator)
    with pytest.raises(ProviderError, match="no available phone number matches search"):
        provider.create(props(search={"area_code": "999"}, order_timeout_seconds=10))
    assert emulator.operations() == ["ListPhoneNumberOrders", "SearchAvailablePhoneNumbers"]


def test_a_named_number_whose_order_is_in_flight_resumes_that_order(fast_retries: None) -> None:
    with running_emulator(["--order-delay", "0.6"]) as emulator:
        provider, chime = provider_for(emulator), emulator.client()
        e164 = chime.search_available_phone_numbers(AreaCode="312", MaxResults=1)["E164PhoneNumbers"][0]
        earlier = chime.create_phone_number_order(ProductType="SipMediaApplicationDialIn",
                                                  E164PhoneNumbers=[e164])["PhoneNumberOrder"]
        emulator.reset_requests()
        created = provider.create(props(e164_phone_number=e164))
        assert created.id == e164 and created.outs is not None
        assert created.outs["order_id"] == earlier["PhoneNumberOrderId"]
        assert "CreatePhoneNumberOrder" not in emulator.operations()


def test_a_search_resumes_only_an_order_for_one_number(fast_retries: None) -> None:
    # An order in flight for two numbers is not what an earlier attempt of one resource placed.
    with running_emulator(["--order-delay", "0.6"]) as emulator:
        provider, chime = provider_for(emulator), emulator.client()
        two = chime.search_available_phone_numbers(AreaCode="646", MaxResults=2)["E164PhoneNumbers"]
        assert len(two) == 2
        chime.create_phone_number_order(ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=two)
        emulator.reset_requests()
        created = provider.create(props(search={"area_code": "646"}))
        assert created.id.startswith("+1646") and created.id not in two
        assert emulator.operations().count("CreatePhoneNumberOrder") == 1


def test_a_resumed_order_that_times_out_again_gives_the_same_advice(fast_retries: None) -> None:
    # Without an order marker the number cannot be recognised once the order completes: the advice
    # says so again on the run that resumed the order.
    with running_emulator(["--order-delay", "3"]) as emulator:
        provider = provider_for(emulator)
        searched = props(search={"area_code": "415"}, order_timeout_seconds=0.1)
        with pytest.raises(ProviderError):
            provider.create(searched)
        emulator.reset_requests()
        with pytest.raises(ProviderError) as again:
            provider.create(searched)
        assert "CreatePhoneNumberOrder" not in emulator.operations()  # resumed, not ordered again
        assert "resumes this order while it is in flight; after it completes, set e164_phone_number" \
            in str(again.value)
