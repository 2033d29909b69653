"""SipRule through the real `python -m pulumi.dynamic` server, against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from providers.sip_rule import SipRuleProvider
from testbed.emulator_process import RunningEmulator
from tests.providers.conftest import create_sma, order_number
from tests.providers.harness import UNKNOWN, DynamicHost, ResourceState, provider_blob, refused_without_calls

TYPE = "pulumi-python:dynamic/chime:SipRule"
BLOB = provider_blob(SipRuleProvider())
SMA_ID = "0b7c7b53-5b0e-4d2e-9a55-2c1f6a3c1e11"


def inputs(number: str, sma_id: str, **overrides: Any) -> dict[str, Any]:
    props = {
        "__provider": BLOB,
        "name": "inbound",
        "trigger_type": "ToPhoneNumber",
        "trigger_value": number,
        "targets": [{"sip_media_application_id": sma_id, "priority": 1, "region": "us-east-1"}],
    }
    props.update(overrides)
    return {k: v for k, v in props.items() if v is not None}


def test_create_noop_update_replace_delete(dynamic_host: DynamicHost, emulator: RunningEmulator,
                                           chime: Any) -> None:
    number, other = order_number(chime), order_number(chime)
    sma = create_sma(chime)
    west = create_sma(emulator.client("us-west-2"), region="us-west-2")
    state = ResourceState(TYPE, "rule")
    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(number, sma)) == "create"
    # An earlier attempt's rule (a lost result) is looked for first: there is none.
    assert emulator.operations() == ["ListSipRules", "CreateSipRule"]
    assert state.outputs["sip_rule_id"] == state.id
    assert state.outputs["targets"] == [
        {"sip_media_application_id": sma, "priority": 1, "region": "us-east-1"}]
    assert chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["Status"] == "Assigned"

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(number, sma)) == "same"
    assert emulator.operations() == []

    two_targets = [{"sip_media_application_id": sma, "priority": 1, "region": "us-east-1"},
                   {"sip_media_application_id": west, "priority": 2, "region": "us-west-2"}]
    assert dynamic_host.up(state, inputs(number, sma, name="renamed", targets=two_targets)) == "update"
    assert emulator.operations() == ["UpdateSipRule"]
    live = chime.get_sip_rule(SipRuleId=state.id)["SipRule"]
    assert live["Name"] == "renamed" and [t["Priority"] for t in live["TargetApplications"]] == [1, 2]
    assert state.outputs["targets"] == two_targets and state.outputs["trigger_value"] == number

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(number, sma, name="renamed", targets=two_targets,
                                         disabled=True)) == "update"
    assert emulator.operations() == ["UpdateSipRule"]
    assert chime.get_sip_rule(SipRuleId=state.id)["SipRule"]["Disabled"] is True

    old_id = state.id
    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(other, sma)) == "replace"
    # Delete before replace; the old rule was already disabled, so no disabling call.
    assert emulator.operations() == ["DeleteSipRule", "ListSipRules", "CreateSipRule"]
    assert state.id != old_id and state.outputs["trigger_value"] == other
    assert chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["Status"] == "Unassigned"

    emulator.reset_requests()
    dynamic_host.destroy(state)
    assert emulator.operations() == ["UpdateSipRule", "DeleteSipRule"]  # disable, then delete
    assert chime.list_sip_rules()["SipRules"] == []
    assert chime.get_phone_number(PhoneNumberId=other)["PhoneNumber"]["Status"] == "Unassigned"


def test_refresh_sees_rule_disabled_outside_and_up_enables_it(
        dynamic_host: DynamicHost, emulator: RunningEmulator, chime: Any) -> None:
    number, sma = order_number(chime), create_sma(chime)
    state = ResourceState(TYPE, "rule")
    dynamic_host.up(state, inputs(number, sma))
    chime.update_sip_rule(SipRuleId=state.id, Name="inbound", Disabled=True)
    emulator.reset_requests()
    dynamic_host.refresh(state)
    assert emulator.operations() == ["GetSipRule"]
    assert state.outputs["disabled"] is True and state.inputs["disabled"] is True
    assert dynamic_host.up(state, inputs(number, sma)) == "update"
    assert chime.get_sip_rule(SipRuleId=state.id)["SipRule"]["Disabled"] is False
    emulator.reset_requests()
    dynamic_host.destroy(state)
    assert emulator.operations() == ["UpdateSipRule", "DeleteSipRule"]
    assert chime.list_sip_rules()["SipRules"] == []


def test_delete_of_rule_re_enabled_outside_still_disables_first(
        dynamic_host: DynamicHost, emulator: RunningEmulator, chime: Any) -> None:
    number, sma = order_number(chime), create_sma(chime)
    state = ResourceState(TYPE, "rule")
    dynamic_host.up(state, inputs(number, sma, disabled=True))
    chime.update_sip_rule(SipRuleId=state.id, Name="inbound", Disabled=False)
    emulator.reset_requests()
    dynamic_host.destroy(state)
    # The state said disabled: the refused delete is followed by disable, then delete.
    assert emulator.operations() == ["DeleteSipRule", "UpdateSipRule", "DeleteSipRule"]
    assert chime.list_sip_rules()["SipRules"] == []


def test_refresh_after_out_of_band_delete(dynamic_host: DynamicHost, emulator: RunningEmulator,
                                          chime: Any) -> None:
    number, sma = order_number(chime), create_sma(chime)
    state = ResourceState(TYPE, "rule")
    dynamic_host.up(state, inputs(number, sma))
    chime.update_sip_rule(SipRuleId=state.id, Name="inbound", Disabled=True)
    chime.delete_sip_rule(SipRuleId=state.id)
    dynamic_host.refresh(state)
    assert state.id == ""
    assert dynamic_host.up(state, inputs(number, sma)) == "create"
    assert len(chime.list_sip_rules()["SipRules"]) == 1


def test_preview_with_unknowns_makes_no_calls(dynamic_host: DynamicHost, emulator: RunningEmulator,
                                              chime: Any) -> None:
    number, sma = order_number(chime), create_sma(chime)
    emulator.reset_requests()
    unknown_target = [{"sip_media_application_id": UNKNOWN, "priority": 1, "region": "us-east-1"}]
    fresh = ResourceState(TYPE, "new")
    assert dynamic_host.preview(fresh, inputs(UNKNOWN, sma, targets=unknown_target)) is None

    state = ResourceState(TYPE, "rule")
    dynamic_host.up(state, inputs(number, sma))
    emulator.reset_requests()
    outcome = dynamic_host.preview(state, inputs(number, sma, targets=unknown_target))
    assert outcome is not None and outcome.changed and outcome.replaces == []
    outcome = dynamic_host.preview(state, inputs(UNKNOWN, sma))
    assert outcome is not None and outcome.replaces == ["trigger_value"] and outcome.delete_before_replace
    outcome = dynamic_host.preview(state, inputs(number, sma, targets=UNKNOWN, disabled=UNKNOWN))
    assert outcome is not None and outcome.changed and outcome.replaces == []
    assert emulator.operations() == []


def _target(**overrides: Any) -> dict[str, Any]:
    return {"sip_media_application_id": SMA_ID, "priority": 1, "region": "us-east-1", **overrides}


NUMBER = "+12065550123"


@pytest.mark.parametrize(("news", "prop"), [
    (inputs(NUMBER, SMA_ID, name=None), "name"),
    (inputs(NUMBER, SMA_ID, name="bad*name"), "name"),
    (inputs(NUMBER, SMA_ID, trigger_type="FromPhoneNumber"), "trigger_type"),
    (inputs("2065550123", SMA_ID), "trigger_value"),
    (inputs("not-a-host", SMA_ID, trigger_type="RequestUriHostname"), "trigger_value"),
    (inputs("10.0.0.1", SMA_ID, trigger_type="RequestUriHostname"), "trigger_value"),  # settings' rule too
    (inputs(NUMBER, SMA_ID, targets=[]), "targets"),
    (inputs(NUMBER, SMA_ID, targets=[_target(region=f"r{i}") for i in range(26)]), "targets"),
    (inputs(NUMBER, SMA_ID, targets=[_target(priority=0)]), "targets"),
    (inputs(NUMBER, SMA_ID, targets=[_target(priority=1.5)]), "targets"),
    (inputs(NUMBER, SMA_ID, targets=[_target(), _target(region="us-west-2")]), "targets"),  # same priority
    (inputs(NUMBER, SMA_ID, targets=[_target(), _target(priority=2)]), "targets"),  # same Region
    (inputs(NUMBER, SMA_ID, targets=[_target(region="mars-north-1")]), "targets"),
    (inputs(NUMBER, SMA_ID, targets=[{"priority": 1, "region": "us-east-1"}]), "targets"),
    (inputs(NUMBER, SMA_ID, disabled="no"), "disabled"),
    (inputs(NUMBER, SMA_ID, region="mars-north-1"), "region"),
    # ASCII digits only, as the service's patterns mean; host names are ASCII, whatever lower() says.
    (inputs("+1" + "".join(chr(0x660 + int(d)) for d in "2065550123"), SMA_ID), "trigger_value"),
    (inputs("\u212a1.voiceconnector.chime.aws", SMA_ID, trigger_type="RequestUriHostname"), "trigger_value"),
])
def test_check_refuses_bad_input_without_calls(
        dynamic_host: DynamicHost, emulator: RunningEmulator, news: dict[str, Any], prop: str) -> None:
    assert prop in refused_without_calls(dynamic_host, emulator, ResourceState(TYPE, "rule"), news)


def test_check_accepts_a_voice_connector_host_and_float_priorities(dynamic_host: DynamicHost) -> None:
    host = "abcdef1234567890abcdef.voiceconnector.chime.aws"
    news = inputs(host, SMA_ID, trigger_type="RequestUriHostname",
                  targets=[_target(priority=1.0), _target(priority=2.0, region="us-west-2")])
    checked = dynamic_host.check(ResourceState(TYPE, "rule"), {}, news)
    assert checked["trigger_type"] == "RequestUriHostname"
