"""A throwaway Pulumi project for proving the engine tooling, and a runner for the real CLI.

The project (`engine-probe`) is a Python program with one dynamic resource, `Probe`, whose provider
lives in an importable module of the project. Its "cloud" is a JSON file (`world.json`: id ->
message) and it appends every provider call to `journal.jsonl`, so a test sees exactly what the
engine asked for. Its virtualenv `.venv` is a link to this repository's.
"""

from __future__ import annotations

import functools
import json
import subprocess
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from engine import tooling

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT = "engine-probe"
REQUIRE_ENGINE = tooling.REQUIRE_ENGINE_ENV


@functools.cache
def _lookup() -> tooling.EngineLookup:
    # Builds the CLI when it is missing and Go is present: minutes, once per machine.
    return tooling.ensure_engine()


def engine_or_skip() -> tooling.Engine:
    """The engine; else skips the calling test module with one reason (call it at import time),
    or fails it when CHIME_PSTN_REQUIRE_ENGINE=1, as CI sets."""
    found = _lookup()
    if found.engine is None:
        if tooling.engine_required():
            pytest.fail(f"{REQUIRE_ENGINE}=1 but {found.reason}", pytrace=False)
        pytest.skip(found.reason, allow_module_level=True)
    return found.engine

PULUMI_YAML = f"""\
name: {PROJECT}
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: .venv
"""

PROVIDER = '''\
"""Probe: a dynamic resource whose cloud is world.json and whose every call is journaled."""

import json
import os
import uuid

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

HERE = os.path.dirname(os.path.abspath(__file__))


def _journal(op, **fields):
    with open(os.path.join(HERE, "journal.jsonl"), "a") as handle:
        handle.write(json.dumps({"op": op, "pid": os.getpid(), **fields}) + "\\n")


def _world():
    path = os.path.join(HERE, "world.json")
    return json.load(open(path)) if os.path.exists(path) else {}


def _save(world):
    with open(os.path.join(HERE, "world.json"), "w") as handle:
        json.dump(world, handle)


class ProbeProvider(ResourceProvider):
    serialize_as_secret_always = False

    def configure(self, req):
        _journal("configure", greeting=req.config.get("greeting"), cwd=os.getcwd())

    def check(self, olds, news):
        _journal("check", message=news.get("message"))
        failures = [] if news.get("message") else [CheckFailure("message", "must not be empty")]
        return CheckResult(news, failures)

    def diff(self, id, olds, news):
        _journal("diff", old=olds.get("message"), new=news.get("message"))
        return DiffResult(changes=olds.get("message") != news.get("message"))

    def create(self, props):
        id_ = uuid.uuid4().hex[:8]
        world = _world()
        world[id_] = props["message"]
        _save(world)
        _journal("create", id=id_, message=props["message"])
        return CreateResult(id_, {"message": props["message"]})

    def read(self, id, props):
        world = _world()
        _journal("read", id=id)
        if id not in world:
            return ReadResult("", {})
        return ReadResult(id, {**props, "message": world[id]}, {"message": world[id]})

    def update(self, id, olds, news):
        world = _world()
        world[id] = news["message"]
        _save(world)
        _journal("update", id=id, message=news["message"])
        return UpdateResult({"message": news["message"]})

    def delete(self, id, props):
        world = _world()
        world.pop(id, None)
        _save(world)
        _journal("delete", id=id)


class Probe(pulumi.dynamic.Resource):
    message: pulumi.Output[str]

    def __init__(self, name, message, opts=None):
        super().__init__(ProbeProvider(), name, {"message": message}, opts)
'''

MAIN = """\
import pulumi
from pulumi.runtime import is_config_secret, is_dry_run

from probe_provider import Probe

config = pulumi.Config()
probe = Probe("probe", config.require("greeting"))
pulumi.export("message", probe.message)
pulumi.export("token", config.require_secret("token"))
# What the language host told the program about its run.
pulumi.export("run", {
    "project": pulumi.get_project(),
    "stack": pulumi.get_stack(),
    "organization": pulumi.get_organization(),
    "dryRun": is_dry_run(),
    "secretKeys": [k for k in ("engine-probe:greeting", "engine-probe:token") if is_config_secret(k)],
})
"""

POLICY_PACK = '''\
"""A one-rule mandatory policy pack: no Probe may say "forbidden"."""

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def no_forbidden_message(args, report_violation):
    if args.resource_type == "pulumi-python:dynamic:Resource" and args.props.get("message") == "forbidden":
        report_violation("probe says forbidden")


PolicyPack(
    name="probe-pack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="probe-not-forbidden",
            description="A Probe must not say forbidden.",
            validate=no_forbidden_message,
        )
    ],
)
'''


def write_project(root: Path, main: str = MAIN, program_dir: str = "") -> Path:
    """The probe project in `root`/project; returns its directory.

    With `program_dir`, the program and provider module live in that subdirectory, named by
    Pulumi.yaml's `main`, while the virtualenv stays at the project's root.
    """
    project = root / "project"
    program = project / program_dir
    program.mkdir(parents=True)
    (project / "Pulumi.yaml").write_text(PULUMI_YAML + (f"main: {program_dir}/\n" if program_dir else ""))
    (program / "probe_provider.py").write_text(PROVIDER)
    (program / "__main__.py").write_text(main)
    (project / ".venv").symlink_to(REPO_ROOT / ".venv")
    return project


def write_policy_pack(root: Path, virtualenv: Path) -> Path:
    """The probe policy pack in `root`/pack, running on `virtualenv`; returns its directory."""
    pack = root / "pack"
    pack.mkdir(parents=True)
    (pack / "PulumiPolicy.yaml").write_text(
        textwrap.dedent(
            f"""\
            description: refuses a Probe that says forbidden
            runtime:
              name: python
              options:
                virtualenv: {virtualenv}
            """
        )
    )
    (pack / "__main__.py").write_text(POLICY_PACK)
    return pack


def journal(project: Path) -> list[dict[str, Any]]:
    path = project / "journal.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def world(project: Path) -> dict[str, str]:
    path = project / "world.json"
    return json.loads(path.read_text()) if path.exists() else {}


@dataclass
class Cli:
    """Runs the real `pulumi` in one project, offline, recording each command's wall time."""

    engine: tooling.Engine
    project: Path
    root: Path
    timings: list[tuple[str, float]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        (self.root / "state").mkdir(exist_ok=True)
        (self.root / "home").mkdir(exist_ok=True)
        return tooling.offline_env(self.engine, state_dir=self.root / "state", home_dir=self.root / "home")

    def __call__(self, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        result = subprocess.run(
            [str(self.engine.pulumi), *args, "--non-interactive", "--color", "never"],
            cwd=self.project,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        self.timings.append((" ".join(args), time.monotonic() - started))
        return result

    def ok(self, *args: str) -> str:
        """Runs a command that must succeed; returns its stdout."""
        result = self(*args)
        assert result.returncode == 0, (
            f"pulumi {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout

    def report(self) -> str:
        return "\n".join(f"{seconds:6.2f}s  pulumi {command}" for command, seconds in self.timings)
