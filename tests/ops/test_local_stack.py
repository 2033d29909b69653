"""`make local` / `make local-down` up to the Pulumi CLI (which is not installable here): both servers
start healthy on loopback, the missing CLI is reported with exit 2, and `down` stops them cleanly.
(That the local stack's program resolves under mocks is tests/program's job.)"""

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


def test_servers_start_healthy_pulumi_missing_exits_2_and_down_stops_them(tmp_path):
    emulator_port, moto_port = free_port(), free_port()
    env = {
        **os.environ,
        "LOCAL_EMULATOR_PORT": str(emulator_port),
        "LOCAL_MOTO_PORT": str(moto_port),
        "LOCAL_DIR": str(tmp_path / ".local"),
        "LOCAL_EMULATOR_ARGS": "--order-delay 0",
        "PATH": "/usr/bin:/bin",  # no pulumi here, whatever the machine has
        "PULUMI_BIN": "pulumi",
    }
    up = local("up", env)
    try:
        assert up.returncode == 2, up.stdout + up.stderr
        assert "The Pulumi CLI is not installed" in up.stderr
        assert "curl -fsSL https://get.pulumi.com | sh" in up.stderr
        assert "make local-down" in up.stderr
        pids = {name: int((tmp_path / ".local" / f"{name}.pid").read_text()) for name in ("emulator", "moto")}
        assert all(running(pid) for pid in pids.values())
        assert answers(f"http://127.0.0.1:{emulator_port}/_emulator/requests")
        assert answers(f"http://127.0.0.1:{moto_port}/moto-api/data.json")
        assert "listening on http://127.0.0.1:" in (tmp_path / ".local" / "emulator.log").read_text()
        assert (tmp_path / ".local" / "emulator.db").exists()  # --state under .local/

        again = local("up", env)  # idempotent: reuses the running servers
        assert again.returncode == 2 and again.stdout.count("already running") == 2

        # With a CLI: the stack is selected and deployed against a file backend set for these
        # commands only (PULUMI_BACKEND_URL), never by `pulumi login`, which would be global.
        record = tmp_path / "pulumi-calls"
        fake = tmp_path / "pulumi"
        fake.write_text(f'#!/bin/sh\necho "$PULUMI_BACKEND_URL $*" >> {record}\n')
        fake.chmod(0o755)
        deployed = local("up", {**env, "PULUMI_BIN": str(fake)})
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        backend = (ROOT / ".pulumi").as_uri()
        assert record.read_text().splitlines() == [
            f"{backend} stack select --create local --non-interactive",
            f"{backend} up --stack local --yes --refresh --non-interactive",
        ]

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
    assert down.stdout.splitlines() == ["emulator: stopped", "moto: stopped"]
    assert not any(running(pid) for pid in pids.values())
    assert not answers(f"http://127.0.0.1:{emulator_port}/_emulator/requests")
    assert not answers(f"http://127.0.0.1:{moto_port}/moto-api/data.json")
    assert not list((tmp_path / ".local").glob("*.pid"))
    assert local("down", env).stdout.splitlines() == ["emulator: was not running", "moto: was not running"]


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
