"""The local stack's deployment gates, run as the engine runs them: the gate provider's create with
the inputs the program declares. A valid handler passes; an invalid one fails the create (and with it
the deployment, since every SIP rule depends on the gate)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from providers.deployment_gate import DeploymentGateProvider
from providers.errors import ProviderError
from testbed.program_mocks import ProgramRun, evaluate, stack_config


@pytest.fixture(scope="module")
def local_run() -> ProgramRun:
    run = evaluate("local", stack_config("local"))
    assert run.error is None, run.error
    return run


def _gate_inputs(run: ProgramRun, role: str) -> dict[str, Any]:
    inputs = {k: v for k, v in run.by_name(f"routing-{role}-gate").inputs.items() if k != "__provider"}
    provider = DeploymentGateProvider()
    checked = provider.check({}, inputs)
    assert checked.failures == [], checked.failures
    return dict(checked.inputs)


@pytest.mark.parametrize("role", ["primary", "backup"])
def test_local_gate_passes_for_the_committed_handlers(local_run: ProgramRun, role: str) -> None:
    created = DeploymentGateProvider().create(_gate_inputs(local_run, role))
    assert created.outs is not None
    assert created.outs["verdict"].startswith("valid: handlers/"), created.outs


def test_local_gate_fails_for_an_invalid_answer(local_run: ProgramRun, tmp_path: Path) -> None:
    bad = tmp_path / "bad_handler.py"
    bad.write_text("def handler(event, context):\n"
                   "    return {'SchemaVersion': '1.0', 'Actions': [{'Type': 'Dance', 'Parameters': {}}]}\n")
    inputs = {**_gate_inputs(local_run, "primary"), "handler_file": f"{bad}:handler"}
    with pytest.raises(ProviderError, match="deployment gate failed"):
        DeploymentGateProvider().create(inputs)
