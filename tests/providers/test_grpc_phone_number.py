"""PhoneNumber through the real `python -m pulumi.dynamic` server, against the emulator."""

from __future__ import annotations

import time
from typing import Any

import grpc
import pytest

from providers.phone_number import PhoneNumberProvider
from testbed.emulator_process import RunningEmulator
from tests.providers.conftest import order_number
from tests.providers.harness import UNKNOWN, DynamicHost, ResourceState, provider_blob, refused_without_calls

TYPE = "pulumi-python:dynamic/chime:PhoneNumber"
BLOB = provider_blob(PhoneNumberProvider())
UNAVAILABLE = "+12065550100"  # 555 exchanges are never in the emulator's pool
MARKER = "chime-pstn-routing.test.number"  # what PhoneNumber derives from project, stack, name
ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x660 + d) for d in range(10)))
FULL_WIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))


def inputs(**overrides: Any) -> dict[str, Any]:
    # The SDK's PhoneNumberArgs defaults, as the program would send them.
    props: dict[str, Any] = {"__provider": BLOB, "product_type": "SipMediaApplicationDialIn",
                             "release_on_delete": True, "order_timeout_seconds": 600,
                             "order_marker": MARKER}
    props.update(overrides)
    return {k: v for k, v in props.items() if v is not None}


def numbers(chime: Any) -> dict[str, str]:
    return {n["E164PhoneNumber"]: n["Status"] for n in chime.list_phone_numbers()["PhoneNumbers"]}


def test_search_order_noop_update_replace_delete(dynamic_host: DynamicHost, emulator: RunningEmulator,
                                                 chime: Any) -> None:
    state = ResourceState(TYPE, "number")
    search = {"area_code": "212", "phone_number_type": "Local"}
    assert dynamic_host.up(state, inputs(search=search, name="main line")) == "create"
    ops = emulator.operations()
    # A timed-out run's number (completed, by marker) or order (in flight) is looked for first, and
    # the number once more (an order completing between the two looks is in neither).
    assert ops[:5] == ["ListPhoneNumbers", "ListPhoneNumberOrders", "ListPhoneNumbers",
                       "SearchAvailablePhoneNumbers", "CreatePhoneNumberOrder"]
    # One order, named with the user's name and then the order name: nothing to rename after it.
    assert ops.count("CreatePhoneNumberOrder") == 1 and ops[-1] == "GetPhoneNumber"
    assert "UpdatePhoneNumber" not in ops
    first = state.id
    assert first.startswith("+1212") and state.outputs["e164_phone_number"] == first
    assert state.outputs["status"] == "Unassigned" and state.outputs["order_id"]
    assert state.outputs["order_timeout_seconds"] == 600  # an int again, not 600.0
    assert numbers(chime) == {first: "Unassigned"}
    live_name = chime.get_phone_number(PhoneNumberId=first)["PhoneNumber"]["Name"]
    assert live_name.startswith(f"main line {MARKER} ") and state.outputs["name"] == "main line"

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(search=search, name="main line")) == "same"
    # The marker changes only with a project, stack or resource rename: never a diff.
    assert dynamic_host.up(state, inputs(search=search, name="main line",
                                         order_marker="renamed-project.prod.number")) == "same"
    assert emulator.operations() == []

    assert dynamic_host.up(state, inputs(search=search, name="support")) == "update"
    assert emulator.operations() == ["UpdatePhoneNumber"]
    # The rename keeps the order name: a later create of this resource still recognises the number.
    assert chime.get_phone_number(PhoneNumberId=first)["PhoneNumber"]["Name"] \
        == live_name.replace("main line", "support")
    assert state.outputs["phone_number_id"] == first and state.outputs["name"] == "support"

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(search=search, name="support", release_on_delete=False)) == "update"
    assert emulator.operations() == []  # state only
    assert dynamic_host.up(state, inputs(search=search, name="support")) == "update"

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(search={"area_code": "303"}, name="support")) == "replace"
    ops = emulator.operations()
    assert ops.count("CreatePhoneNumberOrder") == 1 and ops[-1] == "DeletePhoneNumber"  # new first
    assert state.id.startswith("+1303")
    assert numbers(chime) == {first: "ReleaseInProgress", state.id: "Unassigned"}

    emulator.reset_requests()
    second = state.id
    dynamic_host.destroy(state)
    assert emulator.operations() == ["DeletePhoneNumber"]
    assert numbers(chime)[second] == "ReleaseInProgress"


def test_search_without_name_orders_under_the_marker(dynamic_host: DynamicHost, emulator: RunningEmulator,
                                                     chime: Any) -> None:
    state = ResourceState(TYPE, "number")
    assert dynamic_host.up(state, inputs(search={"area_code": "312"})) == "create"
    assert state.inputs["order_marker"] == MARKER  # through Check
    live = chime.get_phone_number(PhoneNumberId=state.id)["PhoneNumber"]
    assert live["Name"].startswith(MARKER + " ") and state.outputs.get("name") is None  # the user's part
    assert "UpdatePhoneNumber" not in emulator.operations()
    dynamic_host.refresh(state)
    assert dynamic_host.up(state, inputs(search={"area_code": "312"})) == "same"


def test_adopts_a_number_already_in_inventory(dynamic_host: DynamicHost, emulator: RunningEmulator,
                                              chime: Any) -> None:
    e164 = order_number(chime)
    chime.update_phone_number(PhoneNumberId=e164, Name="front desk")
    order_id = chime.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]["OrderId"]
    emulator.reset_requests()
    state = ResourceState(TYPE, "number")
    assert dynamic_host.up(state, inputs(e164_phone_number=e164)) == "create"
    assert emulator.operations() == ["GetPhoneNumber"]  # adopted: nothing ordered
    assert state.id == e164 and state.outputs["order_id"] == order_id
    # No name given: the number keeps its own, and neither refresh nor up churns it.
    assert state.outputs["name"] == "front desk"
    dynamic_host.refresh(state)
    assert dynamic_host.up(state, inputs(e164_phone_number=e164)) == "same"
    assert chime.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]["Name"] == "front desk"


def test_product_type_change_on_a_named_number_releases_then_restores(
        dynamic_host: DynamicHost, emulator: RunningEmulator, chime: Any) -> None:
    e164 = order_number(chime)
    state = ResourceState(TYPE, "number")
    dynamic_host.up(state, inputs(e164_phone_number=e164))
    emulator.reset_requests()
    outcome = dynamic_host.preview(state, inputs(e164_phone_number=e164, product_type="VoiceConnector"))
    assert outcome is not None and outcome.replaces == ["product_type"] and outcome.delete_before_replace
    assert dynamic_host.up(state, inputs(e164_phone_number=e164, product_type="VoiceConnector")) == "replace"
    assert "CreatePhoneNumberOrder" not in emulator.operations()
    assert "RestorePhoneNumber" in emulator.operations()
    live = chime.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]
    assert (live["Status"], live["ProductType"]) == ("Unassigned", "VoiceConnector")


def test_release_on_delete_false_leaves_the_number_and_says_so(
        dynamic_host: DynamicHost, emulator: RunningEmulator, chime: Any) -> None:
    e164 = order_number(chime)
    state = ResourceState(TYPE, "number")
    dynamic_host.up(state, inputs(e164_phone_number=e164, release_on_delete=False))
    emulator.reset_requests()
    dynamic_host.destroy(state)
    assert emulator.operations() == []
    assert numbers(chime) == {e164: "Unassigned"}
    deadline = time.monotonic() + 5
    while not any(e164 in line and "left in the inventory" in line for line in dynamic_host.output):
        assert time.monotonic() < deadline, dynamic_host.output
        time.sleep(0.02)


def test_refresh_after_out_of_band_rename_and_release(dynamic_host: DynamicHost, emulator: RunningEmulator,
                                                      chime: Any) -> None:
    e164 = order_number(chime)
    state = ResourceState(TYPE, "number")
    dynamic_host.up(state, inputs(e164_phone_number=e164, name="ours"))
    chime.update_phone_number(PhoneNumberId=e164, Name="theirs")
    emulator.reset_requests()
    dynamic_host.refresh(state)
    assert emulator.operations() == ["GetPhoneNumber"]
    assert state.outputs["name"] == "theirs" and state.inputs["name"] == "theirs"
    assert dynamic_host.up(state, inputs(e164_phone_number=e164, name="ours")) == "update"
    assert chime.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]["Name"].startswith(f"ours {MARKER} ")
    assert state.outputs["name"] == "ours"

    chime.delete_phone_number(PhoneNumberId=e164)
    dynamic_host.refresh(state)
    assert state.id == ""


def test_failed_order_names_the_order_and_each_number(dynamic_host: DynamicHost, emulator: RunningEmulator,
                                                      chime: Any) -> None:
    with pytest.raises(grpc.RpcError) as failed:
        dynamic_host.up(ResourceState(TYPE, "number"), inputs(e164_phone_number=UNAVAILABLE))
    orders = chime.list_phone_number_orders()["PhoneNumberOrders"]
    assert len(orders) == 1 and orders[0]["Status"] == "Failed"
    message = str(failed.value.details())
    assert orders[0]["PhoneNumberOrderId"] in message
    assert f"{UNAVAILABLE}: Failed" in message and "ended Failed" in message
    assert numbers(chime) == {}


def test_preview_with_unknowns_makes_no_calls(dynamic_host: DynamicHost, emulator: RunningEmulator,
                                              chime: Any) -> None:
    e164 = order_number(chime)
    emulator.reset_requests()
    assert dynamic_host.preview(ResourceState(TYPE, "new"), inputs(e164_phone_number=UNKNOWN)) is None
    assert dynamic_host.preview(ResourceState(TYPE, "new"), inputs(search=UNKNOWN, name=UNKNOWN)) is None
    assert dynamic_host.preview(ResourceState(TYPE, "new"),
                                inputs(search={"area_code": UNKNOWN, "country": "US"})) is None
    state = ResourceState(TYPE, "number")
    dynamic_host.up(state, inputs(e164_phone_number=e164))
    emulator.reset_requests()
    outcome = dynamic_host.preview(state, inputs(e164_phone_number=UNKNOWN))
    assert outcome is not None and outcome.replaces == ["e164_phone_number"]
    outcome = dynamic_host.preview(state, inputs(e164_phone_number=e164, name=UNKNOWN))
    assert outcome is not None and outcome.changed and outcome.replaces == []
    assert emulator.operations() == []


@pytest.mark.parametrize(("news", "prop"), [
    (inputs(), "search"),
    (inputs(e164_phone_number="+12065550100", search={"area_code": "206"}), "e164_phone_number"),
    (inputs(e164_phone_number="12065550100"), "e164_phone_number"),
    (inputs(e164_phone_number="+1 206 555 0100"), "e164_phone_number"),
    (inputs(search={"country": "usa"}), "search"),
    (inputs(search={"toll_free_prefix": "899"}), "search"),
    (inputs(search={"phone_number_type": "Mobile"}), "search"),
    (inputs(search={"areacode": "206"}), "search"),
    (inputs(search={}), "search"),
    (inputs(search={"area_code": "206"}, product_type="Sms"), "product_type"),
    (inputs(search={"area_code": "206"}, name="bad*name"), "name"),
    (inputs(search={"area_code": "206"}, release_on_delete="yes"), "release_on_delete"),
    (inputs(search={"area_code": "206"}, order_timeout_seconds=0), "order_timeout_seconds"),
    (inputs(search={"area_code": "206"}, order_timeout_seconds="600"), "order_timeout_seconds"),
    (inputs(search={"area_code": "206"}, region="moon-1"), "region"),
    (inputs(search={"area_code": "206"}, order_marker="two words"), "order_marker"),
    (inputs(search={"area_code": "206"}, order_marker="x" * 244), "order_marker"),
    # ASCII digits only, as the service's patterns mean (Arabic-Indic, full-width digits are not).
    (inputs(e164_phone_number="+1" + "2065550100".translate(ARABIC_INDIC)), "e164_phone_number"),
    (inputs(e164_phone_number="+1" + "2065550100".translate(FULL_WIDTH)), "e164_phone_number"),
    (inputs(search={"area_code": "206".translate(ARABIC_INDIC)}), "search"),
    (inputs(search={"area_code": "2"}), "search"),
    # The number's Name also carries the order name: a name that leaves it no room is refused.
    (inputs(search={"area_code": "206"}, name="n" * (256 - len(MARKER) - 13)), "name"),
])
def test_check_refuses_bad_input_without_calls(
        dynamic_host: DynamicHost, emulator: RunningEmulator, news: dict[str, Any], prop: str) -> None:
    assert prop in refused_without_calls(dynamic_host, emulator, ResourceState(TYPE, "number"), news)
