"""SipMediaApplication through the real `python -m pulumi.dynamic` server, against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from providers.sip_media_application import SipMediaApplicationProvider
from testbed.emulator_process import RunningEmulator
from tests.providers.conftest import lambda_arn
from tests.providers.harness import UNKNOWN, DynamicHost, ResourceState, provider_blob, refused_without_calls

TYPE = "pulumi-python:dynamic/chime:SipMediaApplication"
BLOB = provider_blob(SipMediaApplicationProvider())
MARKER = "chime-pstn-routing.test.app"  # what SipMediaApplication derives from project, stack, name
MARKER_TAG = {"Key": "chime-pstn-routing:resource", "Value": MARKER}


def inputs(**overrides: Any) -> dict[str, Any]:
    props = {"__provider": BLOB, "name": "inbound app", "lambda_arn": lambda_arn(), "resource_marker": MARKER}
    props.update(overrides)
    return {k: v for k, v in props.items() if v is not None}


def test_provider_pickles_by_reference_and_small() -> None:
    # By reference (module + class name), not by value: a few hundred bytes, no client inside.
    assert len(BLOB) < 400
    assert provider_blob(SipMediaApplicationProvider()) == BLOB  # stable: no spurious ~__provider


def test_create_noop_update_replace_delete(dynamic_host: DynamicHost, emulator: RunningEmulator) -> None:
    state = ResourceState(TYPE, "app")
    assert dynamic_host.up(state, inputs(tags={"team": "voice"})) == "create"
    # An earlier attempt's application (a lost result) is looked for first: there is none.
    assert emulator.operations() == ["ListSipMediaApplications", "CreateSipMediaApplication"]
    assert state.outputs["sip_media_application_id"] == state.id
    assert state.outputs["arn"] == f"arn:aws:chime:us-east-1:123456789012:sma/{state.id}"
    assert state.outputs["region"] == "us-east-1"
    assert state.outputs["tags"] == {"team": "voice"}

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(tags={"team": "voice"})) == "same"
    assert emulator.operations() == []

    assert dynamic_host.up(state, inputs(name="renamed", lambda_arn=lambda_arn(name="v2"),
                                         tags={"team": "voice"})) == "update"
    assert emulator.operations() == ["UpdateSipMediaApplication"]
    live = emulator.client().get_sip_media_application(SipMediaApplicationId=state.id)["SipMediaApplication"]
    assert (live["Name"], live["Endpoints"]) == ("renamed", [{"LambdaArn": lambda_arn(name="v2")}])
    assert state.outputs["name"] == "renamed" and state.outputs["arn"]  # full outputs, not wiped

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(name="renamed", lambda_arn=lambda_arn(name="v2"),
                                         tags={"env": "dev"})) == "update"
    assert emulator.operations() == ["UntagResource", "TagResource"]
    tags = emulator.client().list_tags_for_resource(ResourceARN=state.outputs["arn"])["Tags"]
    assert sorted(tags, key=lambda t: t["Key"]) == [MARKER_TAG, {"Key": "env", "Value": "dev"}]

    old_id = state.id
    emulator.reset_requests()
    west = inputs(name="renamed", region="us-west-2", lambda_arn=lambda_arn("us-west-2"))
    assert dynamic_host.up(state, west) == "replace"
    # The Region's list is looked through for this resource's tag: the old application is in another.
    assert emulator.operations() == ["ListSipMediaApplications", "CreateSipMediaApplication",
                                     "DeleteSipMediaApplication"]
    assert state.id != old_id and state.outputs["region"] == "us-west-2"
    assert emulator.client().list_sip_media_applications()["SipMediaApplications"] == []

    emulator.reset_requests()
    dynamic_host.destroy(state)
    assert emulator.operations() == ["DeleteSipMediaApplication"]
    assert emulator.client("us-west-2").list_sip_media_applications()["SipMediaApplications"] == []


def test_refresh_sees_rename_and_next_up_restores(
        dynamic_host: DynamicHost, emulator: RunningEmulator) -> None:
    state = ResourceState(TYPE, "app")
    dynamic_host.up(state, inputs())
    emulator.client().update_sip_media_application(SipMediaApplicationId=state.id, Name="changed by hand")
    emulator.reset_requests()
    dynamic_host.refresh(state)
    assert emulator.operations() == ["GetSipMediaApplication"]
    assert state.outputs["name"] == "changed by hand"
    assert state.inputs["name"] == "changed by hand"
    assert dynamic_host.up(state, inputs()) == "update"
    live = emulator.client().get_sip_media_application(SipMediaApplicationId=state.id)["SipMediaApplication"]
    assert live["Name"] == "inbound app"


def test_refresh_after_out_of_band_delete_then_up_recreates(
        dynamic_host: DynamicHost, emulator: RunningEmulator) -> None:
    state = ResourceState(TYPE, "app")
    dynamic_host.up(state, inputs())
    emulator.client().delete_sip_media_application(SipMediaApplicationId=state.id)
    dynamic_host.refresh(state)
    assert state.id == ""
    assert dynamic_host.up(state, inputs()) == "create"
    assert len(emulator.client().list_sip_media_applications()["SipMediaApplications"]) == 1


def test_preview_with_unknowns_makes_no_calls(dynamic_host: DynamicHost, emulator: RunningEmulator) -> None:
    fresh = ResourceState(TYPE, "app")
    emulator.reset_requests()
    assert dynamic_host.preview(fresh, inputs(name=UNKNOWN, lambda_arn=UNKNOWN, tags=UNKNOWN)) is None

    state = ResourceState(TYPE, "app")
    dynamic_host.up(state, inputs())
    emulator.reset_requests()
    outcome = dynamic_host.preview(state, inputs(lambda_arn=UNKNOWN))
    assert outcome is not None and outcome.changed and outcome.replaces == []
    outcome = dynamic_host.preview(state, inputs(region=UNKNOWN))
    assert outcome is not None and outcome.replaces == ["region"]
    outcome = dynamic_host.preview(state, inputs(name="other"))
    assert outcome is not None and outcome.changed and outcome.replaces == []
    assert emulator.operations() == []


@pytest.mark.parametrize(("news", "prop"), [
    (inputs(name=None), "name"),
    (inputs(name="bad*name"), "name"),
    (inputs(name="x" * 257), "name"),
    (inputs(lambda_arn=None), "lambda_arn"),
    (inputs(lambda_arn="arn:aws:lambda:us-east-1:123:function:f"), "lambda_arn"),
    (inputs(lambda_arn=lambda_arn("eu-west-1")), "lambda_arn"),
    (inputs(region="mars-north-1", lambda_arn=lambda_arn("mars-north-1")), "region"),
    (inputs(tags={"k": "v" * 257}), "tags"),
    (inputs(tags={f"k{i}": "v" for i in range(51)}), "tags"),
    (inputs(tags={f"k{i}": "v" for i in range(50)}), "tags"),  # the provider's own tag makes 51
    (inputs(tags={"chime-pstn-routing:resource": "x"}), "tags"),
])
def test_check_refuses_bad_input_without_calls(
        dynamic_host: DynamicHost, emulator: RunningEmulator, news: dict[str, Any], prop: str) -> None:
    assert prop in refused_without_calls(dynamic_host, emulator, ResourceState(TYPE, "app"), news)
