"""The real Pulumi CLI on a private copy of this project, offline, and what it reported.

Shared by the engine tests (tests/engine/) and the engine benchmark (bench/bench_engine.py). Like the
rest of testbed/ it imports nothing of the repository: the caller passes the `pulumi` executable and
its environment (engine.tooling picks both: `Engine.pulumi`, `offline_env`).

- `copy_project`: the project's sources in a temporary folder, with `.venv` linked to the real one,
  so stack files and state never touch the work tree and parallel runs never share a stack.
- `PulumiCli`: runs commands there; `events()` runs one with `--json` and returns the engine's events
  (`pulumi up/destroy/refresh --json` stream them; `preview` does with
  PULUMI_ENABLE_STREAMING_JSON_PREVIEW), so a caller asserts on steps, not on display text.
- `Tripwire`: a loopback port that answers nothing, for every AWS endpoint a run must not use.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "chime-pstn-routing"
# What a program run needs is all of the repository but these (tests, caches, state, virtualenvs).
_NOT_COPIED = (".git", ".venv", ".pulumi", ".local", "tests", "bench", ".pytest_cache", ".mypy_cache",
               ".ruff_cache", ".hypothesis", "__pycache__", "*.pyc", "*.db")
# Operations that change something in the chime-sdk-voice API (the rest only read).
MUTATING_PREFIXES = ("Create", "Update", "Delete", "Put", "Restore", "Associate", "Disassociate", "Tag",
                     "Untag", "Validate", "Start", "Stop")
# Every endpoint a run of this program could reach besides the chime-sdk-voice API: botocore and the
# AWS SDKs read AWS_ENDPOINT_URL_<SERVICE ID>, then AWS_ENDPOINT_URL for every other service.
AWS_SERVICE_ENDPOINT_VARIABLES = (
    "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_CLOUDWATCH", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "AWS_ENDPOINT_URL_POLLY",
    "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL_CHIME",
)
CHIME_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_CHIME_SDK_VOICE"


def fake_aws_env(base: Mapping[str, str]) -> dict[str, str]:
    """`base` with fake credentials and nothing else of the caller's AWS set-up (profile, config files,
    session, instance metadata): nothing real can be used, whatever the machine has."""
    env = {k: v for k, v in base.items() if k not in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION")}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1",
               AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=os.devnull,
               AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    return env


def copy_project(dest: Path, venv: Path = ROOT / ".venv") -> Path:
    """This repository's program and everything it runs, copied to `dest` (created), with `.venv`
    a link to `venv`; returns `dest`."""
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(*_NOT_COPIED), symlinks=True)
    (dest / ".venv").symlink_to(venv.resolve())
    return dest


def write_stack_config(project: Path, stack: str, config: Mapping[str, Any]) -> Path:
    """Set `Pulumi.<stack>.yaml`'s config (keys as written in a stack file), keeping anything else
    the CLI stored there (the passphrase salt)."""
    path = project / f"Pulumi.{stack}.yaml"
    document = yaml.safe_load(path.read_text()) if path.exists() else None
    document = document or {}
    document["config"] = dict(config)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def is_mutating(operation: str) -> bool:
    return operation.startswith(MUTATING_PREFIXES)


@dataclass
class Events:
    """The engine events of one `--json` run (`pulumi up/preview/refresh/destroy`)."""

    returncode: int
    events: list[dict[str, Any]]
    stderr: str
    seconds: float

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [e[kind] for e in self.events if kind in e]

    def steps(self, done: bool = True) -> list[tuple[str, str]]:
        """(op, urn) of every step, in order: those that completed (resOutputsEvent), or with
        `done=False` those the engine began or planned (resourcePreEvent, what a preview lists)."""
        kind = "resOutputsEvent" if done else "resourcePreEvent"
        return [(e["metadata"]["op"], e["metadata"]["urn"]) for e in self.of(kind)]

    def ops(self, done: bool = True) -> Counter[str]:
        return Counter(op for op, _ in self.steps(done))

    def changed(self, done: bool = True) -> list[tuple[str, str]]:
        """Steps other than `same` (and the refresh pass's reads)."""
        return [(op, urn) for op, urn in self.steps(done) if op not in ("same", "read", "refresh")]

    def summary(self) -> dict[str, Any]:
        summaries = self.of("summaryEvent")
        return summaries[-1] if summaries else {}

    def diagnostics(self, severity: str | None = None) -> list[str]:
        return [d.get("message", "") for d in self.of("diagnosticEvent")
                if severity is None or d.get("severity") == severity]

    def text(self) -> str:
        """What the run said (debug messages left out), for failure messages."""
        said = [d.get("message", "") for d in self.of("diagnosticEvent") if d.get("severity") != "debug"]
        lines = [f"exit {self.returncode}", *(f"{op} {urn}" for op, urn in self.steps(done=False)), *said,
                 self.stderr]
        return "\n".join(line.rstrip() for line in lines if line and line.strip())


@dataclass
class PulumiCli:
    """The real `pulumi` in one project, with one environment; records each command's wall time."""

    pulumi: Path
    project: Path
    env: dict[str, str]
    stack: str | None = None  # passed as --stack to every command when set
    timings: list[tuple[str, float]] = field(default_factory=list)

    def argv(self, args: Iterable[str]) -> list[str]:
        stack = ["--stack", self.stack] if self.stack else []
        return [str(self.pulumi), *args, *stack, "--non-interactive", "--color", "never"]

    def __call__(self, *args: str, timeout: float = 240, env: Mapping[str, str] | None = None
                 ) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        try:
            return subprocess.run(self.argv(args), cwd=self.project, env={**self.env, **(env or {})},
                                  capture_output=True, text=True, timeout=timeout, check=False)
        finally:
            self.timings.append((" ".join(args), time.monotonic() - started))

    def ok(self, *args: str, timeout: float = 240) -> str:
        """Runs a command that must succeed; returns its stdout."""
        result = self(*args, timeout=timeout)
        assert result.returncode == 0, (
            f"pulumi {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def events(self, *args: str, timeout: float = 240, env: Mapping[str, str] | None = None) -> Events:
        """Runs `pulumi ARGS --json` and parses the engine events it streams."""
        started = time.monotonic()
        result = self(*args, "--json", timeout=timeout,
                      env={"PULUMI_ENABLE_STREAMING_JSON_PREVIEW": "true", **(env or {})})
        events = []
        for line in result.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                try:
                    events.append(json.loads(line))
                except ValueError:
                    continue  # a display line that happens to start with a brace
        return Events(result.returncode, events, result.stderr, time.monotonic() - started)

    def ok_events(self, *args: str, timeout: float = 240) -> Events:
        run = self.events(*args, timeout=timeout)
        assert run.returncode == 0, f"pulumi {' '.join(args)} failed:\n{run.text()}"
        return run

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Starts a command in a process group of its own (the CLI and every plugin it starts), so
        that `kill_group` can stop all of them at once, as a crash or a power cut would."""
        return subprocess.Popen(self.argv(args), cwd=self.project, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def stack_export(self) -> dict[str, Any]:
        return dict(json.loads(self.ok("stack", "export")))

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.ok("stack", "output", "--json")))

    def report(self) -> str:
        return "\n".join(f"{seconds:6.2f}s  pulumi {command}" for command, seconds in self.timings)


def kill_group(process: subprocess.Popen[str]) -> None:
    """SIGKILL a process started by `PulumiCli.start`, with everything in its group, and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


class Tripwire:
    """A loopback port that accepts connections, records each request's first line, and closes it
    unanswered: a request sent there fails (like one to a closed port), and a test can also see that
    nothing was sent, even where a caller swallowed the failure."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.2)
        self.port = int(self._socket.getsockname()[1])
        self.hits: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1.0)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0].decode(errors="replace")
                except OSError:
                    first = ""
                self.hits.append(first or "(a connection that sent nothing)")

    def endpoint_env(self, chime: bool) -> dict[str, str]:
        """Every AWS endpoint variable aimed here; the chime-sdk-voice one too when `chime` (the
        caller means the stack config's chimeEndpoint to be the only way to the emulator)."""
        names = AWS_SERVICE_ENDPOINT_VARIABLES + ((CHIME_ENDPOINT_VARIABLE,) if chime else ())
        return dict.fromkeys(names, self.url)

    def close(self) -> None:
        self._stop.set()
        self._socket.close()
        self._thread.join(timeout=5)
