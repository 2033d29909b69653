"""SipMediaApplication's `logging` input through the real `python -m pulumi.dynamic` server, against
the emulator, with every request counted from its log: created with the application, updated in
place, read on refresh, at most one extra call, none when unset."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from providers import sip_media_application_logging
from providers.errors import ProviderError
from providers.sip_media_application import SipMediaApplicationProvider
from testbed.emulator_process import RunningEmulator
from tests.providers.conftest import configured, lambda_arn
from tests.providers.harness import UNKNOWN, DynamicHost, ResourceState, provider_blob, refused_without_calls

TYPE = "pulumi-python:dynamic/chime:SipMediaApplication"
BLOB = provider_blob(SipMediaApplicationProvider())
FLAG = "enable_sip_media_application_message_logs"
PUT, GET = "PutSipMediaApplicationLoggingConfiguration", "GetSipMediaApplicationLoggingConfiguration"


def inputs(logs: bool | None = None, **overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {"__provider": BLOB, "name": "inbound app", "lambda_arn": lambda_arn()}
    if logs is not None:
        props["logging"] = {FLAG: logs}
    props.update(overrides)
    return {k: v for k, v in props.items() if v is not None}


def live_logs(emulator: RunningEmulator, sma_id: str) -> bool:
    answer = emulator.client().get_sip_media_application_logging_configuration(SipMediaApplicationId=sma_id)
    return bool(answer["SipMediaApplicationLoggingConfiguration"]["EnableSipMediaApplicationMessageLogs"])


def test_create_noop_update_delete(dynamic_host: DynamicHost, emulator: RunningEmulator) -> None:
    state = ResourceState(TYPE, "app")
    assert dynamic_host.up(state, inputs(logs=True)) == "create"
    assert emulator.operations() == ["CreateSipMediaApplication", PUT]  # one call beyond the create
    assert state.outputs["logging"] == {FLAG: True} and live_logs(emulator, state.id)

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(logs=True)) == "same"
    assert emulator.operations() == []

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(logs=False)) == "update"
    assert emulator.operations() == [PUT]  # in place: the application itself is not touched
    assert state.outputs["logging"] == {FLAG: False} and not live_logs(emulator, state.id)
    assert state.outputs["name"] == "inbound app" and state.outputs["arn"]  # full outputs kept

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(logs=True, name="renamed")) == "update"
    assert emulator.operations() == ["UpdateSipMediaApplication", PUT]
    assert live_logs(emulator, state.id)

    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(logs=True, name="renamed again")) == "update"
    assert emulator.operations() == ["UpdateSipMediaApplication"]  # logging unchanged: not put again

    sma_id = state.id
    emulator.reset_requests()
    dynamic_host.destroy(state)
    assert emulator.operations() == ["DeleteSipMediaApplication"]  # the configuration goes with it
    with pytest.raises(ClientError, match="NotFoundException"):
        live_logs(emulator, sma_id)


def test_refresh_sees_drift_and_next_up_restores(dynamic_host: DynamicHost,
                                                 emulator: RunningEmulator) -> None:
    state = ResourceState(TYPE, "app")
    dynamic_host.up(state, inputs(logs=True))
    emulator.client().put_sip_media_application_logging_configuration(
        SipMediaApplicationId=state.id,
        SipMediaApplicationLoggingConfiguration={"EnableSipMediaApplicationMessageLogs": False})
    emulator.reset_requests()
    dynamic_host.refresh(state)
    assert emulator.operations() == ["GetSipMediaApplication", GET]
    assert state.outputs["logging"] == {FLAG: False}
    assert state.inputs["logging"] == {FLAG: False}
    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(logs=True)) == "update"
    assert emulator.operations() == [PUT]
    assert live_logs(emulator, state.id)
    # Refreshed again, nothing has drifted.
    dynamic_host.refresh(state)
    assert state.outputs["logging"] == {FLAG: True}
    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(logs=True)) == "same"
    assert emulator.operations() == []


def test_unset_logging_makes_no_logging_calls(dynamic_host: DynamicHost, emulator: RunningEmulator) -> None:
    state = ResourceState(TYPE, "app")
    assert dynamic_host.up(state, inputs()) == "create"
    assert emulator.operations() == ["CreateSipMediaApplication"]
    assert state.outputs.get("logging") is None
    emulator.reset_requests()
    dynamic_host.refresh(state)
    assert emulator.operations() == ["GetSipMediaApplication"]
    assert state.outputs.get("logging") is None
    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(name="renamed")) == "update"
    assert emulator.operations() == ["UpdateSipMediaApplication"]

    # Managing it from now on: one Put.
    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(logs=True, name="renamed")) == "update"
    assert emulator.operations() == [PUT] and live_logs(emulator, state.id)

    # Removing the input stops managing it: no call, the application keeps its logs on.
    emulator.reset_requests()
    assert dynamic_host.up(state, inputs(name="renamed")) == "update"
    assert emulator.operations() == []
    assert state.outputs.get("logging") is None and live_logs(emulator, state.id)
    dynamic_host.refresh(state)
    assert state.outputs.get("logging") is None
    dynamic_host.destroy(state)


def test_preview_with_unknown_logging_makes_no_calls(dynamic_host: DynamicHost,
                                                     emulator: RunningEmulator) -> None:
    state = ResourceState(TYPE, "app")
    dynamic_host.up(state, inputs(logs=False))
    emulator.reset_requests()
    for unknown in ({"logging": UNKNOWN}, {"logging": {FLAG: UNKNOWN}}):
        outcome = dynamic_host.preview(state, inputs(**unknown))
        assert outcome is not None and outcome.changed and outcome.replaces == []
    assert dynamic_host.preview(ResourceState(TYPE, "fresh"), inputs(logging=UNKNOWN)) is None
    assert emulator.operations() == []


@pytest.mark.parametrize(("logging", "prop"), [
    ("true", "logging"),
    ({}, f"logging.{FLAG}"),
    ({FLAG: "yes"}, f"logging.{FLAG}"),
    ({FLAG: 1.0}, f"logging.{FLAG}"),
    ({FLAG: True, "enable_voice_connector_logs": True}, "logging"),
])
def test_check_refuses_bad_logging_without_calls(
        dynamic_host: DynamicHost, emulator: RunningEmulator, logging: Any, prop: str) -> None:
    assert prop in refused_without_calls(dynamic_host, emulator, ResourceState(TYPE, "app"),
                                         inputs(logging=logging))


def test_a_failed_logging_put_leaves_no_application_behind(
        emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, fast_retries: None) -> None:
    def refuse(client: Any, sma_id: str, wanted: Any) -> Any:
        raise ClientError({"Error": {"Code": "ForbiddenException", "Message": "no"}},
                          "PutSipMediaApplicationLoggingConfiguration")

    monkeypatch.setattr(sip_media_application_logging, "put_logging", refuse)
    provider = configured(SipMediaApplicationProvider(), emulator)
    with pytest.raises(ProviderError, match="it was deleted again"):
        provider.create({"name": "app", "lambda_arn": lambda_arn(), "logging": {FLAG: True}})
    assert emulator.operations() == ["CreateSipMediaApplication", "DeleteSipMediaApplication"]
    assert emulator.client().list_sip_media_applications()["SipMediaApplications"] == []
