"""The local stack's deployment gates, run the way pulumi-command runs them: `/bin/sh -c <create>`
from the project directory with the Command's environment. A valid handler passes; an invalid one
fails the command (and with it the deployment, since every SIP rule depends on the gate)."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from testbed.program_mocks import ROOT, ProgramRun, evaluate, stack_config


@pytest.fixture(scope="module")
def local_run() -> ProgramRun:
    run = evaluate("local", stack_config("local"))
    assert run.error is None, run.error
    return run


def _run_gate(create: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/bin/sh", "-c", create], cwd=ROOT, env={**os.environ, **environment},
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("role", ["primary", "backup"])
def test_local_gate_passes_for_the_committed_handlers(local_run: ProgramRun, role: str) -> None:
    gate = local_run.by_name(f"routing-{role}-gate").inputs
    done = _run_gate(gate["create"], gate["environment"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("valid"), done.stdout


def test_local_gate_fails_for_an_invalid_answer(local_run: ProgramRun, tmp_path: Path) -> None:
    bad = tmp_path / "bad_handler.py"
    bad.write_text("def handler(event, context):\n"
                   "    return {'SchemaVersion': '1.0', 'Actions': [{'Type': 'Dance', 'Parameters': {}}]}\n")
    gate = local_run.by_name("routing-primary-gate").inputs
    argv = shlex.split(gate["create"])
    argv[argv.index("--handler-file") + 1] = f"{bad}:handler"
    done = _run_gate(shlex.join(argv), gate["environment"])
    assert done.returncode == 1, done.stdout + done.stderr
