"""`make local`, `make call` and `make local-down` with the real engine, on a fresh copy of the
repository: the local stack deploys against the emulator alone (no moto, no AWS provider plugin, no
network beyond loopback), a simulated call is answered by handlers/call_handler.py, and a second
`make local` on another port (the stack config follows the emulator) changes nothing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from engine import tooling
from testbed.pulumi_cli import Tripwire, copy_project, fake_aws_env
from tests.engine import probe
from tests.engine.engine_world import CALL_HANDLER_SAYS, FAST_ENV, free_port

probe.engine_or_skip()

pytestmark = pytest.mark.timeout(300)


def make(target: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # -o: the copy's .venv is a link to the real one, already set up; never rebuild it from here.
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", target], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=240, check=False)


def test_make_local_deploys_make_call_reaches_the_handler_and_local_down_stops(
        pulumi_engine: tooling.Engine, tmp_path: Path) -> None:
    repo = copy_project(tmp_path / "repo")
    tripwire = Tripwire()
    env = {k: v for k, v in fake_aws_env(os.environ).items() if not k.startswith("MAKE") and k != "MFLAGS"}
    env.update(FAST_ENV, **tripwire.endpoint_env(chime=True))
    env.update(LOCAL_EMULATOR_PORT=str(free_port()), PULUMI_HOME=str(tmp_path / "pulumi-home"),
               LOCAL_EMULATOR_ARGS="--order-delay 0.2")
    env.pop("PULUMI_BIN", None)
    if pulumi_engine.origin == "PATH":  # the same engine the other tests use
        env["PATH"] = os.pathsep.join([str(pulumi_engine.pulumi.parent), env.get("PATH", "")])
    committed = (repo / "Pulumi.local.yaml").read_text()
    try:
        up = make("local", repo, env)
        assert up.returncode == 0, up.stdout + up.stderr
        assert "+ 12 created" in up.stdout, up.stdout
        assert not list((repo / ".local").glob("moto*"))
        call = make("call", repo, env)
        assert call.returncode == 0, call.stdout + call.stderr
        assert "(Inbound) +12065550199 -> +1844" in call.stdout  # the stack's first number
        assert "(us-east-1, priority 1)" in call.stdout
        assert f"Speak on LEG-A succeeded: {CALL_HANDLER_SAYS}" in call.stdout, call.stdout

        # Again on another port: the emulator keeps its state file, the stack follows the new
        # endpoint (the refresh runs the program), nothing changes.
        assert make("local-down", repo, env).returncode == 0
        env["LOCAL_EMULATOR_PORT"] = str(free_port())
        again = make("local", repo, env)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "12 unchanged" in again.stdout, again.stdout
        assert make("call", repo, env).stdout.count("Speak on LEG-A succeeded") == 1
        assert (repo / "Pulumi.local.yaml").read_text() == committed  # nothing written into it
        assert tripwire.hits == []
    finally:
        down = make("local-down", repo, env)
        tripwire.close()
    assert down.returncode == 0 and "emulator: stopped" in down.stdout, down.stdout + down.stderr
