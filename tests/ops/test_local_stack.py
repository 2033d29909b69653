"""`make local` / `make local-down` up to the engine: the emulator starts healthy on loopback, a missing
engine (no `pulumi`, no Go, nothing built) is reported with exit 2, the engine is driven with the
generated stack config, and `down` stops the emulator cleanly. (That `make local` really deploys with
the real engine is tests/engine/test_local_stack_engine.py; that the local stack's program resolves
under mocks is tests/program's job.)"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from testbed.emulator_process import ROOT, RunningEmulator
from tests.ops.conftest import provision_stack

SCRIPT = ROOT / "scripts" / "local_stack.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def local(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), command], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=90, check=False,
    )  # fmt: skip


def test_emulator_starts_healthy_no_engine_exits_2_and_down_stops_it(tmp_path):
    emulator_port = free_port()
    env = {
        **os.environ,
        "LOCAL_EMULATOR_PORT": str(emulator_port),
        "LOCAL_DIR": str(tmp_path / ".local"),
        "LOCAL_EMULATOR_ARGS": "--order-delay 0",
        "PATH": "/usr/bin:/bin",  # no pulumi and no Go here, whatever the machine has
        "CHIME_PSTN_ENGINE_CACHE": str(tmp_path / "no-engine-cache"),  # and nothing built
        "PULUMI_CONFIG_PASSPHRASE": "the-callers-own",
    }
    env.pop("PULUMI_BIN", None)
    up = local("up", env)
    try:
        assert up.returncode == 2, up.stdout + up.stderr
        assert "No Pulumi engine" in up.stderr
        assert "curl -fsSL https://get.pulumi.com | sh" in up.stderr and "make engine" in up.stderr
        assert "neither `pulumi` on PATH nor Go" in up.stderr  # engine.tooling's reason, once
        assert "make local-down" in up.stderr
        pid = int((tmp_path / ".local" / "emulator.pid").read_text())
        assert running(pid)
        assert answers(f"http://127.0.0.1:{emulator_port}/_emulator/requests")
        assert "listening on http://127.0.0.1:" in (tmp_path / ".local" / "emulator.log").read_text()
        assert (tmp_path / ".local" / "emulator.db").exists()  # --state under .local/
        assert not list(tmp_path.glob(".local/moto*"))  # the local stack needs no moto any more

        again = local("up", env)  # idempotent: reuses the running emulator
        assert again.returncode == 2 and again.stdout.count("already running") == 1

        # With an engine: the stack is selected and deployed against a file backend set for these
        # commands only (PULUMI_BACKEND_URL), never by `pulumi login`, which would be global; with
        # the local passphrase whose salt Pulumi.local.yaml carries, whatever the caller's is; and
        # with the stack config naming the port the emulator really listens on.
        record = tmp_path / "pulumi-calls"
        fake = tmp_path / "pulumi"
        fake.write_text(f'#!/bin/sh\necho "$PULUMI_BACKEND_URL $PULUMI_CONFIG_PASSPHRASE '
                        f'$PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION $*" >> {record}\n')
        fake.chmod(0o755)
        committed = (ROOT / "Pulumi.local.yaml").read_text()
        deployed = local("up", {**env, "PULUMI_BIN": str(fake)})
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        backend = (ROOT / ".pulumi").as_uri()
        config = tmp_path / ".local" / "Pulumi.local.yaml"
        prefix = f"{backend} local-stack-only true"
        assert record.read_text().splitlines() == [
            f"{prefix} stack select --create local --non-interactive",
            f"{prefix} up --stack local --config-file {config} --yes --skip-preview --refresh "
            "--run-program --non-interactive",
        ]
        assert (ROOT / "Pulumi.local.yaml").read_text() == committed
        assert config.read_text() == committed.replace(
            "chimeEndpoint: http://127.0.0.1:8600", f"chimeEndpoint: http://127.0.0.1:{emulator_port}")

        call = local("call", env)  # nothing deployed: says so instead of failing obscurely
        assert call.returncode == 2 and "run `make local`" in call.stderr

        # What `pulumi up --stack local` would create, by hand: `make call` then reaches the
        # project's handler through the emulator's --handler mapping for the local function name.
        # (Only the URL is used: the process belongs to the script.)
        emulator = RunningEmulator(f"http://127.0.0.1:{emulator_port}", None)  # type: ignore[arg-type]
        stack = provision_stack(emulator, function="chime-pstn-routing-local-call-handler")
        number = stack["phoneNumbers"][0]
        call = local("call", env)
        assert call.returncode == 0, call.stdout + call.stderr
        assert f"(Inbound) +12065550199 -> {number}" in call.stdout
        assert "NEW_INBOUND_CALL" in call.stdout and "Speak on LEG-A succeeded" in call.stdout
    finally:
        down = local("down", env)
    assert down.returncode == 0, down.stderr
    assert down.stdout.splitlines() == ["emulator: stopped"]
    assert not running(pid)
    assert not answers(f"http://127.0.0.1:{emulator_port}/_emulator/requests")
    assert not list((tmp_path / ".local").glob("*.pid"))
    assert local("down", env).stdout.splitlines() == ["emulator: was not running"]


def test_makefile_targets_run_the_script():
    # Under `make test` this runs as a nested make: without the parent's MAKE* variables and with
    # --no-print-directory, the dry run prints only the recipes.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "MFLAGS"}
    dry = subprocess.run(["make", "--no-print-directory", "-n", "-o", ".venv/.installed", "local", "call",
                          "local-down"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30,
                         check=False)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert lines[0].endswith("scripts/local_stack.py up")
    assert lines[1].endswith("scripts/local_stack.py call")
    assert lines[2].endswith("scripts/local_stack.py down")
