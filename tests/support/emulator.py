"""Start `python -m emulator` as a real subprocess on loopback, and talk to it.

Shared by every test layer: the API tests, the simulator, the providers' gRPC harness and `ops`.
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

ROOT = Path(__file__).resolve().parents[2]
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

    def reset(self) -> None:
        """Forget every resource, call and logged request (`POST /_emulator/reset`)."""
        self.admin("POST", "/_emulator/reset")

    def stop(self, kill: bool = False) -> None:
        if self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_emulator(args: Sequence[str] = (), env: dict[str, str] | None = None) -> RunningEmulator:
    cmd = [sys.executable, "-m", "emulator", "--host", "127.0.0.1", "--port", "0", *args]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    lines: list[str] = []
    assert proc.stdout is not None
    ready: list[str] = []
    got_ready = threading.Event()

    def drain() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if not ready:
                match = _READY.search(line)
                if match:
                    ready.append(match.group(0))
                    got_ready.set()
        got_ready.set()

    threading.Thread(target=drain, daemon=True).start()
    if not got_ready.wait(30) or not ready:
        proc.kill()
        raise RuntimeError("emulator did not start:\n" + "\n".join(lines))
    return RunningEmulator(url=ready[0], process=proc, output=lines)


@contextmanager
def running_emulator(
    args: Sequence[str] = (), env: dict[str, str] | None = None
) -> Iterator[RunningEmulator]:
    emu = start_emulator(args, env)
    try:
        yield emu
    finally:
        emu.stop()
