"""DeploymentGate through the real dynamic-provider server, in the engine's order.

Create runs `ops smoke` on the handler and fails when its answer is invalid (so the SIP rules that
depend on the gate are never created); any input change runs it again as an update, never a
replace; preview (Check, Diff) runs nothing; bad inputs are refused by Check naming the field.
"""

from __future__ import annotations

from pathlib import Path

import grpc
import pytest

from providers.deployment_gate import DeploymentGateProvider
from tests.providers.harness import (
    PROVIDER_KEY,
    UNKNOWN,
    CheckFailed,
    DynamicHost,
    ResourceState,
    provider_blob,
)

TYPE = "pulumi-python:dynamic/gate:DeploymentGate"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:chime-pstn-routing-test-call-handler"
BLOB = provider_blob(DeploymentGateProvider())


def gate_inputs(**overrides: object) -> dict[str, object]:
    return {PROVIDER_KEY: BLOB, "function_arn": ARN, "region": "us-east-1", "triggers": ["sha-1"],
            "handler_file": "handlers/call_handler.py:handler",
            "environment": {"GREETING": "Hello from the gate test."},
            "event_type": "NEW_INBOUND_CALL", "timeout_seconds": 5, **overrides}


@pytest.fixture
def state() -> ResourceState:
    return ResourceState(TYPE, "gate")


def test_create_passes_for_the_project_handler_and_records_the_verdict(
        dynamic_host: DynamicHost, state: ResourceState) -> None:
    assert dynamic_host.up(state, gate_inputs()) == "create"
    assert state.id.startswith("gate-")
    assert state.outputs["verdict"].startswith("valid: handlers/call_handler.py:handler")
    assert state.outputs["triggers"] == ["sha-1"]


def test_create_fails_for_an_invalid_answer(dynamic_host: DynamicHost, state: ResourceState,
                                            tmp_path: Path) -> None:
    bad = tmp_path / "bad_handler.py"
    bad.write_text("def handler(event, context):\n"
                   "    return {'SchemaVersion': '1.0', 'Actions': [{'Type': 'Dance', 'Parameters': {}}]}\n")
    with pytest.raises(grpc.RpcError) as failed:
        dynamic_host.up(state, gate_inputs(handler_file=f"{bad}:handler"))
    message = failed.value.details()
    assert "deployment gate failed" in message
    assert "nothing that waits for it (the `live` alias, the SIP rules) was created or changed" in message
    assert "invalid:" in message and "Dance" in message
    assert state.id == ""


def test_changes_run_it_again_as_an_update_never_a_replace(dynamic_host: DynamicHost,
                                                           state: ResourceState) -> None:
    dynamic_host.up(state, gate_inputs())
    assert dynamic_host.up(state, gate_inputs()) == "same"
    first = state.id
    assert dynamic_host.up(state, gate_inputs(triggers=["sha-2"])) == "update"
    changed_env = gate_inputs(triggers=["sha-2"], environment={"GREETING": "Hi."})
    assert dynamic_host.up(state, changed_env) == "update"
    assert state.id == first and state.outputs["triggers"] == ["sha-2"]


def test_preview_runs_nothing_and_tolerates_unknowns(dynamic_host: DynamicHost, state: ResourceState,
                                                     tmp_path: Path) -> None:
    # A handler that would fail the gate: preview must not run it, so nothing fails.
    bad = tmp_path / "bad_handler.py"
    bad.write_text("def handler(event, context):\n    raise RuntimeError('ran during preview')\n")
    failing = gate_inputs(handler_file=f"{bad}:handler")
    assert dynamic_host.preview(state, {**failing, "function_arn": UNKNOWN}) is None  # a create: Check only
    dynamic_host.up(state, gate_inputs())
    outcome = dynamic_host.preview(state, {**failing, "function_arn": UNKNOWN})
    assert outcome is not None and outcome.changed and outcome.replaces == []
    assert state.outputs["handler_file"] == "handlers/call_handler.py:handler"


@pytest.mark.parametrize(("field", "value"), [
    ("function_arn", "arn:aws:chime:us-east-1:123456789012:sma/abc"),
    ("function_arn", ""),
    ("region", "us-east-2"),
    ("handler_file", "handlers/call_handler.py"),
    ("handler_file", "handlers/no_such_file.py:handler"),
    ("triggers", "sha-1"),
    ("environment", {"GREETING": 3}),
    ("event_type", "new inbound call"),
    ("timeout_seconds", 0),
    ("timeout_seconds", 61),
])
def test_check_names_the_bad_field(dynamic_host: DynamicHost, state: ResourceState, field: str,
                                   value: object) -> None:
    with pytest.raises(CheckFailed) as failed:
        dynamic_host.up(state, gate_inputs(**{field: value}))
    assert [prop for prop, _ in failed.value.failures] == [field]
    assert state.id == ""


def test_refresh_and_delete_touch_nothing(dynamic_host: DynamicHost, state: ResourceState) -> None:
    dynamic_host.up(state, gate_inputs())
    outputs = dict(state.outputs)
    dynamic_host.refresh(state)
    assert state.id and state.outputs == outputs
    dynamic_host.destroy(state)
    assert state.id == ""
