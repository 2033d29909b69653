"""Phone numbers through boto3: search, orders, inventory, release and restore, quota."""

from __future__ import annotations

from typing import Any

import pytest

from testbed.emulator_process import RunningEmulator
from tests.emulator.helpers import (
    DIAL_IN,
    acquire,
    create_sma,
    raises_code,
    rule_for,
    unvalidated,
    wait_order,
)


def test_search_honours_every_criterion(chime: Any) -> None:
    toll_free = chime.search_available_phone_numbers(
        PhoneNumberType="TollFree", Country="US", TollFreePrefix="844", MaxResults=5
    )["E164PhoneNumbers"]
    assert len(toll_free) == 5 and all(n.startswith("+1844") for n in toll_free)
    by_area = chime.search_available_phone_numbers(AreaCode="415", MaxResults=7)["E164PhoneNumbers"]
    assert len(by_area) == 7 and all(n.startswith("+1415") for n in by_area)
    by_city = chime.search_available_phone_numbers(
        PhoneNumberType="Local", City="New York", State="NY", MaxResults=50
    )["E164PhoneNumbers"]
    assert {n[2:5] for n in by_city} <= {"212", "646"} and len(by_city) == 50
    by_state = chime.search_available_phone_numbers(State="WA", MaxResults=500)["E164PhoneNumbers"]
    assert len(by_state) == 500 and {n[2:5] for n in by_state} <= {"206", "425"}
    canada = chime.search_available_phone_numbers(Country="CA", AreaCode="604", MaxResults=3)[
        "E164PhoneNumbers"
    ]
    assert len(canada) == 3 and all(n.startswith("+1604") for n in canada)
    assert chime.search_available_phone_numbers(Country="FR", MaxResults=3)["E164PhoneNumbers"] == []
    assert chime.search_available_phone_numbers(AreaCode="999")["E164PhoneNumbers"] == []


def test_search_pages_with_next_token_and_is_deterministic(chime: Any) -> None:
    first = chime.search_available_phone_numbers(TollFreePrefix="800", MaxResults=4)
    second = chime.search_available_phone_numbers(
        TollFreePrefix="800", MaxResults=4, NextToken=first["NextToken"]
    )
    both = chime.search_available_phone_numbers(TollFreePrefix="800", MaxResults=8)["E164PhoneNumbers"]
    assert first["E164PhoneNumbers"] + second["E164PhoneNumbers"] == both
    assert both == sorted(both) and len(set(both)) == 8
    with raises_code("BadRequestException", mentions="NextToken"):
        chime.search_available_phone_numbers(TollFreePrefix="800", NextToken="garbage")


def test_search_rejects_contradictory_criteria(chime: Any) -> None:
    with raises_code("BadRequestException", mentions="tollFreePrefix"):
        chime.search_available_phone_numbers(PhoneNumberType="Local", TollFreePrefix="800")
    with raises_code("BadRequestException", mentions="areaCode"):
        chime.search_available_phone_numbers(PhoneNumberType="TollFree", AreaCode="206")
    with raises_code("BadRequestException", mentions="city requires state"):
        chime.search_available_phone_numbers(City="Seattle")


def test_order_is_processing_then_numbers_join_inventory_unassigned(
    emulator: RunningEmulator, chime: Any
) -> None:
    numbers = chime.search_available_phone_numbers(AreaCode="206", MaxResults=2)["E164PhoneNumbers"]
    order = chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=numbers, Name="front desk")
    placed = order["PhoneNumberOrder"]
    assert order["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert placed["Status"] == "Processing" and placed["OrderType"] == "New"
    assert [o["Status"] for o in placed["OrderedPhoneNumbers"]] == ["Processing", "Processing"]
    # Ordered numbers are no longer offered by search.
    assert not set(numbers) & set(
        chime.search_available_phone_numbers(AreaCode="206", MaxResults=20)["E164PhoneNumbers"]
    )
    done = wait_order(chime, placed["PhoneNumberOrderId"])
    assert done["Status"] == "Successful"
    assert {o["Status"] for o in done["OrderedPhoneNumbers"]} == {"Acquired"}
    listed = chime.list_phone_numbers()["PhoneNumbers"]
    assert [n["E164PhoneNumber"] for n in listed] == sorted(numbers)
    for number in listed:
        assert number["PhoneNumberId"] == number["E164PhoneNumber"]
        assert number["Status"] == "Unassigned" and number["ProductType"] == DIAL_IN
        assert number["Type"] == "Local" and number["Country"] == "US" and number["Name"] == "front desk"
        assert number["OrderId"] == placed["PhoneNumberOrderId"]
    orders = chime.list_phone_number_orders()["PhoneNumberOrders"]
    assert [o["PhoneNumberOrderId"] for o in orders] == [placed["PhoneNumberOrderId"]]
    # Numbers and orders belong to the account: every Region sees the same ones.
    west = emulator.client("eu-central-1")
    assert west.list_phone_numbers()["PhoneNumbers"] == listed
    seen = west.get_phone_number_order(PhoneNumberOrderId=placed["PhoneNumberOrderId"])
    assert seen["PhoneNumberOrder"] == done


def test_list_phone_number_orders_pages_in_creation_order(chime: Any) -> None:
    numbers = chime.search_available_phone_numbers(AreaCode="213", MaxResults=3)["E164PhoneNumbers"]
    ids = [
        chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=[n])["PhoneNumberOrder"][
            "PhoneNumberOrderId"
        ]
        for n in numbers
    ]
    first = chime.list_phone_number_orders(MaxResults=2)
    rest = chime.list_phone_number_orders(MaxResults=2, NextToken=first["NextToken"])
    assert [o["PhoneNumberOrderId"] for o in first["PhoneNumberOrders"] + rest["PhoneNumberOrders"]] == ids
    assert "NextToken" not in rest


def test_unavailable_or_owned_numbers_fail_partially_or_wholly(chime: Any) -> None:
    owned = acquire(chime, 1)
    fresh = chime.search_available_phone_numbers(AreaCode="312", MaxResults=1)["E164PhoneNumbers"]
    partial = chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=[owned[0], fresh[0]])
    done = wait_order(chime, partial["PhoneNumberOrder"]["PhoneNumberOrderId"])
    assert done["Status"] == "Partial"
    assert {o["E164PhoneNumber"]: o["Status"] for o in done["OrderedPhoneNumbers"]} == {
        owned[0]: "Failed",
        fresh[0]: "Acquired",
    }
    # +1206555xxxx is never in the pool (555 exchanges are fiction).
    failed = chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=["+12065550100"])
    assert wait_order(chime, failed["PhoneNumberOrder"]["PhoneNumberOrderId"])["Status"] == "Failed"
    with raises_code("NotFoundException", status=404):
        chime.get_phone_number(PhoneNumberId="+12065550100")
    with raises_code("BadRequestException", mentions="more than once"):
        chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=[fresh[0], fresh[0]])


def test_numbers_outside_the_us_need_the_dial_in_product(chime: Any) -> None:
    found = chime.search_available_phone_numbers(Country="CA", AreaCode="416", MaxResults=1)
    toronto = found["E164PhoneNumbers"]
    for outside in (toronto, ["+442071838750"]):
        with raises_code("BadRequestException", mentions="outside the U.S."):
            chime.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=outside)
    order = chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=toronto)
    assert wait_order(chime, order["PhoneNumberOrder"]["PhoneNumberOrderId"])["Status"] == "Successful"
    number = chime.get_phone_number(PhoneNumberId=toronto[0])["PhoneNumber"]
    assert (number["Country"], number["Type"]) == ("CA", "Local")
    with raises_code("BadRequestException", mentions="outside the U.S."):
        chime.update_phone_number(PhoneNumberId=toronto[0], ProductType="VoiceConnector")


def test_order_and_restore_respect_the_phone_number_quota(emulator: RunningEmulator) -> None:
    chime = emulator.client()
    numbers = acquire(chime, 5)
    extra = chime.search_available_phone_numbers(AreaCode="512", MaxResults=1)["E164PhoneNumbers"]
    with raises_code("ResourceLimitExceededException", status=400, mentions="quota"):
        chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=extra)
    # A released number leaves the quota; restoring it must fit again.
    chime.delete_phone_number(PhoneNumberId=numbers[0])
    order = chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=extra)
    assert wait_order(chime, order["PhoneNumberOrder"]["PhoneNumberOrderId"])["Status"] == "Successful"
    with raises_code("ResourceLimitExceededException"):
        chime.restore_phone_number(PhoneNumberId=numbers[0])


def test_release_moves_to_deletion_queue_and_restore_brings_back(chime: Any) -> None:
    (number,) = acquire(chime, 1)
    response = chime.delete_phone_number(PhoneNumberId=number)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    released = chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]
    assert released["Status"] == "ReleaseInProgress" and "DeletionTimestamp" in released
    with raises_code("BadRequestException", mentions="deletion queue"):
        chime.delete_phone_number(PhoneNumberId=number)
    with raises_code("ConflictException"):
        chime.update_phone_number(PhoneNumberId=number, Name="x")
    # A number in the deletion queue is not in inventory: no rule may use it.
    sma = create_sma(chime)
    with raises_code("BadRequestException", mentions="inventory"):
        rule_for(chime, number, sma["SipMediaApplicationId"])
    restored = chime.restore_phone_number(PhoneNumberId=number)["PhoneNumber"]
    assert restored["Status"] == "Unassigned" and "DeletionTimestamp" not in restored
    with raises_code("BadRequestException", mentions="deletion queue"):
        chime.restore_phone_number(PhoneNumberId=number)
    with raises_code("NotFoundException"):
        chime.restore_phone_number(PhoneNumberId="+18005550100")


def test_assigned_number_cannot_be_deleted_or_change_product(chime: Any) -> None:
    (number,) = acquire(chime, 1)
    rule = rule_for(chime, number, create_sma(chime)["SipMediaApplicationId"])
    with raises_code("BadRequestException", mentions="assigned"):
        chime.delete_phone_number(PhoneNumberId=number)
    with raises_code("ConflictException", mentions="assigned"):
        chime.update_phone_number(PhoneNumberId=number, ProductType="VoiceConnector")
    chime.update_sip_rule(SipRuleId=rule["SipRuleId"], Name="rule", Disabled=True)
    chime.delete_sip_rule(SipRuleId=rule["SipRuleId"])
    chime.delete_phone_number(PhoneNumberId=number)


def test_update_phone_number_one_detail_at_a_time(chime: Any) -> None:
    (number,) = acquire(chime, 1)
    named = chime.update_phone_number(PhoneNumberId=number, Name="sales line")["PhoneNumber"]
    assert named["Name"] == "sales line"
    calling = chime.update_phone_number(PhoneNumberId=number, CallingName="Acme Sales")["PhoneNumber"]
    assert calling["CallingName"] == "Acme Sales" and calling["CallingNameStatus"] == "UpdateInProgress"
    moved = chime.update_phone_number(PhoneNumberId=number, ProductType="VoiceConnector")["PhoneNumber"]
    assert moved["ProductType"] == "VoiceConnector"
    with raises_code("BadRequestException", mentions="one of"):
        chime.update_phone_number(PhoneNumberId=number, Name="a", CallingName="Acme")
    with raises_code("BadRequestException", mentions="callingName"):
        chime.update_phone_number(PhoneNumberId=number, CallingName="x")  # 2-15 characters
    with raises_code("NotFoundException"):
        chime.update_phone_number(PhoneNumberId="+18005550100", Name="x")


def test_list_phone_numbers_filters_and_pages(chime: Any) -> None:
    numbers = acquire(chime, 3)
    tf = acquire(chime, 1, product="VoiceConnector", TollFreePrefix="888")
    rule = rule_for(chime, numbers[1], create_sma(chime)["SipMediaApplicationId"])
    chime.delete_phone_number(PhoneNumberId=numbers[2])

    def listed(**kwargs: Any) -> list[str]:
        return [n["E164PhoneNumber"] for n in chime.list_phone_numbers(**kwargs)["PhoneNumbers"]]

    assert listed(Status="Assigned") == [numbers[1]]
    assert listed(Status="Unassigned") == sorted([numbers[0], tf[0]])
    assert listed(Status="ReleaseInProgress") == [numbers[2]]
    assert listed(ProductType="VoiceConnector") == tf
    assert listed(FilterName="SipRuleId", FilterValue=rule["SipRuleId"]) == [numbers[1]]
    vc = chime.create_voice_connector(Name="pbx", RequireEncryption=True)["VoiceConnector"]
    assert listed(FilterName="VoiceConnectorId", FilterValue=vc["VoiceConnectorId"]) == []
    chime.associate_phone_numbers_with_voice_connector(VoiceConnectorId=vc["VoiceConnectorId"],
                                                       E164PhoneNumbers=tf)
    assert listed(FilterName="VoiceConnectorId", FilterValue=vc["VoiceConnectorId"]) == tf
    assert listed(Status="Assigned") == sorted([numbers[1], tf[0]])
    assert listed(Status="Assigned", ProductType="VoiceConnector") == tf
    assert listed(Status="NoSuchStatus") == []  # a free string in the model: filters, never refuses
    assigned = chime.get_phone_number(PhoneNumberId=numbers[1])["PhoneNumber"]
    assert [(a["Name"], a["Value"]) for a in assigned["Associations"]] == [("SipRuleId", rule["SipRuleId"])]
    with raises_code("BadRequestException", mentions="together"):
        chime.list_phone_numbers(FilterName="SipRuleId")
    with raises_code("NotFoundException"):
        chime.list_phone_numbers(FilterName="SipRuleId", FilterValue="no-such-rule")
    with raises_code("NotFoundException", mentions="Voice Connector"):
        chime.list_phone_numbers(FilterName="VoiceConnectorId", FilterValue="abcdefghijklmnopqrstuv")
    with raises_code("NotFoundException", mentions="group"):
        chime.list_phone_numbers(FilterName="VoiceConnectorGroupId", FilterValue="g1")
    first = chime.list_phone_numbers(MaxResults=2)
    rest = chime.list_phone_numbers(MaxResults=2, NextToken=first["NextToken"])
    assert [n["E164PhoneNumber"] for n in first["PhoneNumbers"] + rest["PhoneNumbers"]] == listed()
    assert "NextToken" not in rest


@pytest.mark.parametrize("missing", ["+18005550100", "18445640000"])
def test_unknown_numbers_are_not_found(chime: Any, missing: str) -> None:
    with raises_code("NotFoundException", status=404):
        chime.get_phone_number(PhoneNumberId=missing)


def test_unknown_order_is_not_found(chime: Any) -> None:
    with raises_code("NotFoundException", status=404):
        chime.get_phone_number_order(PhoneNumberOrderId="00000000-0000-4000-8000-000000000000")


def test_api_batch_delete_phone_number(chime: Any) -> None:
    numbers = acquire(chime, 3)
    rule_for(chime, numbers[1], create_sma(chime)["SipMediaApplicationId"])
    chime.delete_phone_number(PhoneNumberId=numbers[2])
    answer = chime.batch_delete_phone_number(PhoneNumberIds=[*numbers, "+18005550100"])
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    codes = {e["PhoneNumberId"]: e["ErrorCode"] for e in answer["PhoneNumberErrors"]}
    # "Phone numbers must be disassociated from any users or Amazon Chime SDK Voice Connectors before
    # they can be deleted" (API reference); the model's ErrorCode enum has a code for just that.
    assert codes == {numbers[1]: "PhoneNumberAssociationsExist", numbers[2]: "BadRequest",
                     "+18005550100": "NotFound"}
    released = chime.get_phone_number(PhoneNumberId=numbers[0])["PhoneNumber"]
    assert released["Status"] == "ReleaseInProgress" and "DeletionTimestamp" in released
    assert chime.get_phone_number(PhoneNumberId=numbers[1])["PhoneNumber"]["Status"] == "Assigned"
    with raises_code("BadRequestException", mentions="more than once"):
        chime.batch_delete_phone_number(PhoneNumberIds=[numbers[0], numbers[0]])
    with raises_code("BadRequestException", mentions="phoneNumberIds"):
        unvalidated(chime).batch_delete_phone_number(PhoneNumberIds=[])  # NonEmptyStringList: min 1


def test_api_list_supported_phone_number_countries(chime: Any) -> None:
    dial_in = chime.list_supported_phone_number_countries(ProductType=DIAL_IN)["PhoneNumberCountries"]
    assert dial_in == [{"CountryCode": "CA", "SupportedPhoneNumberTypes": ["Local"]},
                       {"CountryCode": "US", "SupportedPhoneNumberTypes": ["Local", "TollFree"]}]
    # Outside the U.S. only the SIP media application product type may be used.
    voice_connector = chime.list_supported_phone_number_countries(ProductType="VoiceConnector")
    assert voice_connector["PhoneNumberCountries"] == [
        {"CountryCode": "US", "SupportedPhoneNumberTypes": ["Local", "TollFree"]}]
    with raises_code("BadRequestException", mentions="productType"):
        unvalidated(chime).list_supported_phone_number_countries()
    # Every country listed is one whose numbers the search offers.
    for country in dial_in:
        found = chime.search_available_phone_numbers(Country=country["CountryCode"], MaxResults=1)
        assert found["E164PhoneNumbers"], country
