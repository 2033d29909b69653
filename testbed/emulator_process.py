"""Start `python -m emulator` as a real subprocess on loopback, and talk to it.

Shared by every test layer (the API tests, the simulator, the providers' gRPC harness, `ops`) and
by the benchmarks.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT_ID = "123456789012"
_READY = re.compile(r"http://[0-9.]+:\d+")


@dataclass
class RunningEmulator:
    url: str
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    def client(self, region: str = "us-east-1", retries: int = 0, **config: Any) -> Any:
        """A chime-sdk-voice client aimed at this emulator; botocore retries off unless asked."""
        return boto3.client(
            "chime-sdk-voice",
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"total_max_attempts": retries + 1, "mode": "standard"}, **config),
        )

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def requests(self) -> list[dict[str, Any]]:
        """The API operations served so far, in order (`GET /_emulator/requests`)."""
        return list(self.admin("GET", "/_emulator/requests")["requests"])

    def operations(self) -> list[str]:
        return [r["operation"] for r in self.requests()]

    def reset_requests(self) -> None:
        self.admin("DELETE", "/_emulator/requests")

    def reset(self, seed: int | None = None) -> None:
        """Forget every resource, call and logged request (`POST /_emulator/reset`); with `seed`,
        the fault injector restarts from that seed's first draw instead of the process's `--seed`."""
        self.admin("POST", "/_emulator/reset", None if seed is None else {"seed": seed})

    def stop(self, kill: bool = False) -> None:
        stop_process(self.process, kill)


def start_server(cmd: Sequence[str], ready: re.Pattern[str], what: str,
                 env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str, list[str]]:
    """Start a server subprocess from the project root and wait (30 s at most) for the first
    output line (stdout and stderr together) that `ready` matches. Returns the process, that
    match, and the output's lines, which a thread keeps appending to (so the pipe never fills)."""
    proc = subprocess.Popen(
        list(cmd),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    lines: list[str] = []
    found: list[str] = []
    got_ready = threading.Event()

    def drain() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if not found:
                match = ready.search(lines[-1])
                if match:
                    found.append(match.group(0))
                    got_ready.set()
        got_ready.set()

    threading.Thread(target=drain, daemon=True).start()
    if not got_ready.wait(30) or not found:
        proc.kill()
        raise RuntimeError(f"{what} did not start:\n" + "\n".join(lines))
    return proc, found[0], lines


def stop_process(process: subprocess.Popen[str], kill: bool = False) -> None:
    """Terminate (or kill) a server subprocess and reap it; kill it if it will not end in 10 s."""
    if process.poll() is None:
        if kill:
            process.kill()
        else:
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def start_emulator(args: Sequence[str] = (), env: dict[str, str] | None = None) -> RunningEmulator:
    cmd = [sys.executable, "-m", "emulator", "--host", "127.0.0.1", "--port", "0", *args]
    proc, url, lines = start_server(cmd, _READY, "emulator", env)
    return RunningEmulator(url=url, process=proc, output=lines)


@contextmanager
def running_emulator(
    args: Sequence[str] = (), env: dict[str, str] | None = None
) -> Iterator[RunningEmulator]:
    emu = start_emulator(args, env)
    try:
        yield emu
    finally:
        emu.stop()
