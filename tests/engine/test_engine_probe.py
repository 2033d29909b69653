"""The real Pulumi CLI runs a Python project offline through this repository's engine tooling:
stack init, preview, up, stack output, refresh, destroy, a failing program, and a policy pack that
refuses a resource. The project is tests/engine/probe.py's throwaway `engine-probe`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from engine import tooling
from tests.engine import probe

probe.engine_or_skip()

BUNDLED_WARNING = "from $PATH at"


def ops(journal: list[dict[str, object]]) -> list[object]:
    return [entry["op"] for entry in journal]


def new_stack(
    pulumi_engine: tooling.Engine, tmp_path: Path, main: str = probe.MAIN, program_dir: str = ""
) -> probe.Cli:
    cli = probe.Cli(pulumi_engine, probe.write_project(tmp_path, main, program_dir), tmp_path)
    cli.ok("stack", "init", "dev")
    cli.ok("config", "set", "greeting", "hello")
    cli.ok("config", "set", "--secret", "token", "s3cret-value")
    return cli


def test_preview_up_output_refresh_destroy(pulumi_engine: tooling.Engine, tmp_path: Path) -> None:
    cli = new_stack(pulumi_engine, tmp_path)
    project = cli.project
    assert "s3cret-value" not in (project / "Pulumi.dev.yaml").read_text()

    preview = cli.ok("preview")
    assert "+ 2 to create" in preview, preview
    assert re.search(r"^\s+dryRun\s*: true$", preview, re.M), preview
    # The engine found our plugins beside itself (a cached build) or its own (a pulumi on PATH).
    assert BUNDLED_WARNING not in preview
    journal = probe.journal(project)
    # Configure gets the whole stack config, keys namespaced by project; Check runs in preview,
    # nothing is created and Diff has nothing to compare yet.
    assert journal[0] == {**journal[0], "op": "configure", "greeting": "hello", "cwd": str(project)}
    assert ops(journal) == ["configure", "check"]
    assert probe.world(project) == {}

    up = cli.ok("up", "--yes")
    assert "+ 2 created" in up, up
    world = probe.world(project)
    assert list(world.values()) == ["hello"]
    # `up` previews first, then updates; each pass starts its own provider process, which
    # unpickles and configures the provider again.
    up_calls = probe.journal(project)[2:]
    assert ops(up_calls) == ["configure", "check", "configure", "check", "create"]
    assert up_calls[0]["pid"] != up_calls[2]["pid"] == up_calls[4]["pid"]

    outputs = json.loads(cli.ok("stack", "output", "--json"))
    assert outputs == {
        "message": "hello",
        "token": "[secret]",
        "run": {
            "project": probe.PROJECT,
            "stack": "dev",
            "organization": "organization",
            "dryRun": False,
            "secretKeys": ["engine-probe:token"],
        },
    }
    shown = json.loads(cli.ok("stack", "output", "--json", "--show-secrets"))
    assert shown["token"] == "s3cret-value"

    # Drift made outside Pulumi: refresh reads it into the state ...
    (probe_id,) = world
    (project / "world.json").write_text(json.dumps({probe_id: "drifted"}))
    before = len(probe.journal(project))
    cli.ok("refresh", "--yes")
    # Read, then Diff(refreshed outputs, the state's inputs) to show the drift as a change; again
    # once previewing and once refreshing, in two provider processes.
    refresh_calls = probe.journal(project)[before:]
    assert ops(refresh_calls) == ["configure", "read", "diff"] * 2
    assert refresh_calls[2]["old"] == "drifted" and refresh_calls[2]["new"] == "hello"
    state = json.loads(cli.ok("stack", "export"))
    resources = state["deployment"]["resources"]
    (resource,) = [r for r in resources if r["type"] == "pulumi-python:dynamic:Resource"]
    assert resource["outputs"]["message"] == "drifted"
    # ... and the next preview diffs the program against it (Check, then Diff with the old outputs).
    repair = cli.ok("preview")
    assert "~ 1 to update" in repair, repair
    tail = probe.journal(project)[-2:]
    assert ops(tail) == ["check", "diff"]
    assert tail[1]["old"] == "drifted" and tail[1]["new"] == "hello"

    cli.ok("destroy", "--yes")
    assert probe.world(project) == {}
    assert ops(probe.journal(project))[-1] == "delete"
    print("\n" + cli.report())


def test_a_program_below_the_project_root_runs_with_the_roots_virtualenv(
    pulumi_engine: tooling.Engine, tmp_path: Path
) -> None:
    # The engine starts both plugins in the `main` directory and passes `virtualenv: .venv` as it is.
    cli = new_stack(pulumi_engine, tmp_path, program_dir="app")
    cli.ok("up", "--yes", "--skip-preview")
    assert list(probe.world(cli.project / "app").values()) == ["hello"]
    assert json.loads(cli.ok("stack", "output", "--json"))["message"] == "hello"
    print("\n" + cli.report())


def test_a_failing_program_fails_the_preview_with_its_own_message(
    pulumi_engine: tooling.Engine, tmp_path: Path
) -> None:
    main = probe.MAIN + 'raise ValueError("the probe program broke on purpose")\n'
    cli = new_stack(pulumi_engine, tmp_path, main)
    result = cli("preview")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "the probe program broke on purpose" in output
    assert "Program failed with an unhandled exception" in output
    # The error was already shown, so the host answers "bail" and the engine adds no exit-code noise.
    assert "exited with non-zero exit code" not in output
    print("\n" + cli.report())


def test_a_policy_pack_refuses_a_resource(
    pulumi_engine: tooling.Engine, policy_venv: Path, tmp_path: Path
) -> None:
    cli = new_stack(pulumi_engine, tmp_path)
    pack = probe.write_policy_pack(tmp_path, policy_venv)

    allowed = cli("preview", "--policy-pack", str(pack))
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "probe-pack@v0.0.1" in allowed.stdout
    assert "probe-not-forbidden" not in allowed.stdout

    cli.ok("config", "set", "greeting", "forbidden")
    refused = cli("preview", "--policy-pack", str(pack))
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "probe-not-forbidden" in output
    assert "probe says forbidden" in output
    assert "mandatory" in output
    print("\n" + cli.report())
