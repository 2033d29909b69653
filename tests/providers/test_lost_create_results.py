"""A create whose result never reached the engine (the CLI killed or interrupted after the
provider finished): the next `pulumi up` sends Create again, with the same inputs, from a new
provider process. Each provider must find what its earlier attempt made and adopt it, exactly
once, and must never adopt what another resource (or a person) made. A forced replacement meets
the same look-up: what the replacement took over must survive the old instance's delete."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from providers.phone_number import PhoneNumberProvider
from providers.sip_media_application import SipMediaApplicationProvider
from providers.sip_rule import SipRuleProvider
from testbed.emulator_process import RunningEmulator
from tests.providers.conftest import FAST_ENV, REGION, create_sma, lambda_arn, order_number
from tests.providers.harness import DynamicHost, ResourceState, provider_blob

NUMBER = "pulumi-python:dynamic/chime:PhoneNumber"
APP = "pulumi-python:dynamic/chime:SipMediaApplication"
RULE = "pulumi-python:dynamic/chime:SipRule"


@pytest.fixture
def restart(emulator: RunningEmulator) -> Iterator[Any]:
    """Start a fresh provider process (the next `pulumi up`), aimed at the test's emulator."""
    started: list[DynamicHost] = []

    def start() -> DynamicHost:
        host = DynamicHost(env=FAST_ENV)
        started.append(host)
        host.configure({"chime-pstn-routing:chimeEndpoint": emulator.url, "aws:region": REGION})
        return host

    yield start
    for host in started:
        host.close()


def lose_create_result(host: DynamicHost, state: ResourceState, news: dict[str, Any]) -> str:
    """Check + Create as the engine sends them, then forget the answer (the CLI died); the id made."""
    made, _ = host.create(state, host.check(state, {}, news))
    host.close()
    return made


def number_inputs(**extra: Any) -> dict[str, Any]:
    return {"__provider": provider_blob(PhoneNumberProvider()), "product_type": "SipMediaApplicationDialIn",
            "release_on_delete": True, "order_timeout_seconds": 600,
            "order_marker": "chime-pstn-routing.test.main-number", **extra}


def test_a_named_search_number_is_ordered_once(restart: Any, chime: Any) -> None:
    news = number_inputs(search={"area_code": "206"}, name="front desk")
    state = ResourceState(NUMBER, "main-number")
    made = lose_create_result(restart(), state, news)

    assert restart().up(state, news) == "create"
    assert state.id == made
    orders = chime.list_phone_number_orders()["PhoneNumberOrders"]
    assert len(orders) == 1 and [n["E164PhoneNumber"] for n in chime.list_phone_numbers()["PhoneNumbers"]] \
        == [made]
    assert state.outputs["name"] == "front desk"


def test_a_renamed_number_keeps_its_marker_for_a_later_lost_create(restart: Any, chime: Any) -> None:
    # The rename (an update) must not erase what a later create looks for.
    state = ResourceState(NUMBER, "main-number")
    host = restart()
    assert host.up(state, number_inputs(search={"area_code": "206"}, name="front desk")) == "create"
    assert host.up(state, number_inputs(search={"area_code": "206"}, name="support")) == "update"
    made = state.id
    # The state is lost (say, `pulumi state delete` by mistake, then `pulumi up`): found, not re-ordered.
    again = ResourceState(NUMBER, "main-number")
    assert host.up(again, number_inputs(search={"area_code": "206"}, name="support")) == "create"
    assert again.id == made and len(chime.list_phone_number_orders()["PhoneNumberOrders"]) == 1


def test_another_resources_number_is_never_adopted(restart: Any, chime: Any) -> None:
    host = restart()
    theirs = ResourceState(NUMBER, "their-number")
    host.up(theirs, number_inputs(search={"area_code": "206"}, name="front desk",
                                  order_marker="chime-pstn-routing.test.their-number"))
    by_hand = order_number(chime, "206")
    chime.update_phone_number(PhoneNumberId=by_hand, Name="front desk")
    mine = ResourceState(NUMBER, "main-number")
    host.up(mine, number_inputs(search={"area_code": "206"}, name="front desk"))
    assert mine.id not in (theirs.id, by_hand)
    assert len(chime.list_phone_number_orders()["PhoneNumberOrders"]) == 3


def app_inputs(**extra: Any) -> dict[str, Any]:
    return {"__provider": provider_blob(SipMediaApplicationProvider()), "name": "inbound",
            "lambda_arn": lambda_arn(), "tags": {"team": "voice"},
            "resource_marker": "chime-pstn-routing.test.app", **extra}


def test_an_application_is_created_once(restart: Any, chime: Any) -> None:
    state = ResourceState(APP, "app")
    made = lose_create_result(restart(), state, app_inputs())

    assert restart().up(state, app_inputs()) == "create"
    assert state.id == made
    assert [a["SipMediaApplicationId"] for a in chime.list_sip_media_applications()["SipMediaApplications"]] \
        == [made]
    assert state.outputs["tags"] == {"team": "voice"}  # the marker tag is the provider's own


def test_an_application_of_the_same_name_made_elsewhere_is_not_adopted(restart: Any, chime: Any) -> None:
    by_hand = create_sma(chime, name="inbound")
    host = restart()
    other = ResourceState(APP, "other")
    host.up(other, app_inputs(resource_marker="chime-pstn-routing.test.other"))
    mine = ResourceState(APP, "app")
    host.up(mine, app_inputs())
    assert len({by_hand, other.id, mine.id}) == 3


def rule_inputs(number: str, sma: str, **extra: Any) -> dict[str, Any]:
    return {"__provider": provider_blob(SipRuleProvider()), "name": "inbound",
            "trigger_type": "ToPhoneNumber", "trigger_value": number,
            "targets": [{"sip_media_application_id": sma, "priority": 1, "region": REGION}], **extra}


def test_a_rule_is_created_once(restart: Any, chime: Any) -> None:
    number, sma = order_number(chime), create_sma(chime)
    state = ResourceState(RULE, "rule")
    made = lose_create_result(restart(), state, rule_inputs(number, sma))

    assert restart().up(state, rule_inputs(number, sma)) == "create"
    assert state.id == made
    assert [r["SipRuleId"] for r in chime.list_sip_rules()["SipRules"]] == [made]


def test_a_rule_on_the_same_trigger_under_another_name_is_not_adopted(restart: Any, chime: Any) -> None:
    number, sma = order_number(chime), create_sma(chime)
    theirs = chime.create_sip_rule(Name="by hand", TriggerType="ToPhoneNumber", TriggerValue=number,
                                   TargetApplications=[{"SipMediaApplicationId": sma, "Priority": 1,
                                                        "AwsRegion": REGION}])["SipRule"]["SipRuleId"]
    with pytest.raises(Exception, match=f"{theirs}.*by hand"):
        restart().up(ResourceState(RULE, "rule"), rule_inputs(number, sma))
    assert [r["SipRuleId"] for r in chime.list_sip_rules()["SipRules"]] == [theirs]


def forced_replace(host: DynamicHost, state: ResourceState, news: dict[str, Any]) -> str:
    """`pulumi up --replace` (or a tainted resource): Create the replacement with the same inputs,
    then Delete the old instance. Returns the old id."""
    old = ResourceState(state.type_token, state.name, state.id, state.inputs, state.outputs)
    inputs = host.check(state, state.inputs, news)
    state.id, state.outputs = host.create(state, inputs)
    state.inputs = inputs
    host.delete(old)
    return old.id


def warned(host: DynamicHost, text: str) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if any(text in line for line in host.output):
            return True
        time.sleep(0.02)
    return False


def test_a_forced_replacement_keeps_what_it_took_over(restart: Any, chime: Any) -> None:
    # The replacement's create finds the live resource (same marker, same trigger and name, same
    # number) and adopts it; the old instance's delete must then leave it alone.
    host = restart()
    number = order_number(chime)
    app, rule, named = ResourceState(APP, "app"), ResourceState(RULE, "rule"), ResourceState(NUMBER, "n")
    host.up(app, app_inputs())
    host.up(named, number_inputs(e164_phone_number=number))
    host.up(rule, rule_inputs(number, app.id))
    for state, news in ((app, app_inputs()), (rule, rule_inputs(number, app.id)),
                        (named, number_inputs(e164_phone_number=number))):
        assert forced_replace(host, state, news) == state.id
    assert [a["SipMediaApplicationId"] for a in chime.list_sip_media_applications()["SipMediaApplications"]] \
        == [app.id]
    assert [r["SipRuleId"] for r in chime.list_sip_rules()["SipRules"]] == [rule.id]
    assert chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["Status"] == "Assigned"
    assert warned(host, f"{app.id} was not deleted: its replacement took it over")
    assert warned(host, f"{rule.id} was not deleted: its replacement took it over")
    assert warned(host, f"{number} was not released: its replacement took it over")
    # The instances that took over are deleted as usual.
    for state in (rule, app, named):
        host.destroy(state)
    assert chime.list_sip_rules()["SipRules"] == []
    assert chime.list_sip_media_applications()["SipMediaApplications"] == []
    assert chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["Status"] == "ReleaseInProgress"
