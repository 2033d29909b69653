"""Issue 14's aliases under the engine: a stack deployed before the per-Region component existed is
taken over by the current program with no replace and no delete.

The local stack is deployed, its state exported and rewritten to the old layout (each Region's SIP
media application a direct child of CallRouting, no RegionalTarget), and imported back. The rewrite
must give exactly the URNs tests/program/fixtures/urns_before_regional_target.json recorded for
`local` (but those of the handlers it no longer builds, and of the pulumi-command gates: the old
gate's provider cannot run under this engine, so the rewritten state has no gate at all, as after a
`pulumi state delete` of it). Then `preview` and `up` of the current program create the components
and the gates (which smoke-test the handlers again) and nothing else: every application, number and
rule is found under its alias, and no request changes the emulator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine import tooling
from tests.engine import probe
from tests.engine.engine_world import BACKUP_HANDLER, CALL_HANDLER, KEY, EngineWorld, resources

probe.engine_or_skip()

pytestmark = pytest.mark.timeout(300)

FIXTURE = Path(__file__).parents[1] / "program" / "fixtures" / "urns_before_regional_target.json"
REGIONAL = "chime-pstn-routing:components:RegionalTarget"
GATE = "pulumi-python:dynamic/gate:DeploymentGate"
SMA = "pulumi-python:dynamic/chime:SipMediaApplication"
# What the old layout had that this program, with the handlers brought by ARN, does not declare.
NOT_DECLARED_NOW = ("chime-pstn-routing:components:CallHandler", "pulumi:providers:aws",
                    "command:local:Command")


def old_layout(state: dict[str, Any]) -> dict[str, Any]:
    """The exported state rewritten as the program before RegionalTarget would have left it."""
    deployment = state["deployment"]
    regional = {r["urn"] for r in deployment["resources"] if r["type"] == REGIONAL}
    dropped = regional | {r["urn"] for r in deployment["resources"] if r["type"] == GATE}
    (routing,) = [r["urn"] for r in deployment["resources"] if r["type"].endswith(":CallRouting")]
    moved = {r["urn"]: r["urn"].replace(f"${REGIONAL}$", "$") for r in deployment["resources"]
             if r.get("parent") in regional and r["urn"] not in dropped}

    def renamed(urns: list[str]) -> list[str]:
        return [moved.get(u, u) for u in urns if u not in dropped]

    rewritten = []
    for resource in deployment["resources"]:
        if resource["urn"] in dropped:
            continue
        resource = dict(resource, urn=moved.get(resource["urn"], resource["urn"]))
        if resource.get("parent") in regional:
            resource["parent"] = routing
        if resource.get("dependencies"):
            resource["dependencies"] = renamed(resource["dependencies"])
        if resource.get("propertyDependencies"):
            resource["propertyDependencies"] = {
                key: renamed(urns) for key, urns in resource["propertyDependencies"].items()}
        rewritten.append(resource)
    return {**state, "deployment": {**deployment, "resources": rewritten}}


def test_a_stack_in_the_old_layout_is_taken_over_without_replace_or_delete(
        pulumi_engine: tooling.Engine, tmp_path: Path) -> None:
    world = EngineWorld(pulumi_engine, tmp_path, ["--order-delay", "0"])
    try:
        world.start_emulator({"chime-pstn-routing-local-call-handler": CALL_HANDLER,
                              "chime-pstn-routing-local-backup-handler": BACKUP_HANDLER})
        committed = world.project / "Pulumi.local.yaml"
        config = yaml.safe_load(committed.read_text())["config"]
        committed.unlink()  # its salt is for make local's passphrase, not this test's
        cli = world.new_stack("local", {**config, f"{KEY}chimeEndpoint": world.url})
        cli.ok_events("up", "--yes", "--skip-preview")
        before = cli.outputs()

        old = old_layout(cli.stack_export())
        recorded = json.loads(FIXTURE.read_text())["urns"]["local"]
        expected = {u for u in recorded if not any(f"${t}" in u or f"::{t}::" in u for t in NOT_DECLARED_NOW)}
        assert {r["urn"] for r in resources(old) if not r["type"].startswith("pulumi:")} == expected
        (tmp_path / "old.json").write_text(json.dumps(old))
        cli.ok("stack", "import", "--file", str(tmp_path / "old.json"))

        world.emu.reset_requests()
        preview = cli.ok_events("preview")
        planned = sorted((op, urn.split("::")[2].rsplit("$", 1)[-1])
                         for op, urn in preview.changed(done=False))
        assert planned == sorted([("create", REGIONAL)] * 2 + [("create", GATE)] * 2), preview.text()
        up = cli.ok_events("up", "--yes", "--skip-preview")
        assert sorted(op for op, _ in up.changed()) == ["create"] * 4, up.text()
        assert world.mutations() == []  # every application, number and rule kept as it was
        after = cli.stack_export()
        assert {r["id"] for r in resources(after, SMA)} == {r["id"] for r in resources(old, SMA)}
        assert all(f"${REGIONAL}$" in r["urn"] for r in resources(after, SMA))
        assert cli.outputs() == before
        assert world.tripwire.hits == []
        print("\n" + cli.report())
    finally:
        world.close()
