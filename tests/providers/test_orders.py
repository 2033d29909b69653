"""Phone number orders that do not simply succeed: timeout (and the run after it), partial
orders, a release that must wait for a rule's association to go, and empty searches."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from providers.client import Connection, ProviderError
from providers.phone_number import PhoneNumberProvider
from tests.providers.conftest import REGION, configured, create_sma
from tests.support.emulator import RunningEmulator, running_emulator


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
        for wanted in (named, searched):
            with pytest.raises(ProviderError) as timed_out:
                provider.create(wanted)
            order = [o for o in chime.list_phone_number_orders()["PhoneNumberOrders"]
                     if str(o["PhoneNumberOrderId"]) in str(timed_out.value)]
            assert len(order) == 1, str(timed_out.value)
            ordered = order[0]["OrderedPhoneNumbers"][0]["E164PhoneNumber"]
            assert f"{ordered}: Processing" in str(timed_out.value)
            assert "NOT cancelled" in str(timed_out.value)
            assert f"set e164_phone_number: {ordered} to adopt it" in str(timed_out.value)

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


def test_partial_order_releases_what_it_acquired(emulator: RunningEmulator, chime: Any,
                                                 fast_retries: None) -> None:
    good = chime.search_available_phone_numbers(AreaCode="512", MaxResults=1)["E164PhoneNumbers"][0]
    order = chime.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[good, "+15125550100"])["PhoneNumberOrder"]
    provider = provider_for(emulator)
    with pytest.raises(ProviderError) as failed:
        provider._wait_for_order(Connection(REGION, emulator.url).client(REGION), order, 10)
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
