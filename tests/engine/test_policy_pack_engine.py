"""`pulumi preview --policy-pack policy` runs the project's real policy pack (policy/, in its own
virtualenv, built by engine.tooling) under the engine: a `prod` stack whose numbers are not protected
is refused, the same stack with them protected passes. Previews only: the providers send nothing
(chimeEndpoint is the tripwire, and nothing may reach it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine import tooling
from tests.engine import probe
from tests.engine.engine_world import BACKUP_REGION, KEY, PRIMARY_REGION, EngineWorld, function_arn

probe.engine_or_skip()

pytestmark = pytest.mark.timeout(300)


def prod_config(world: EngineWorld, protect: bool) -> dict[str, Any]:
    return {
        "aws:region": PRIMARY_REGION,
        f"{KEY}chimeEndpoint": world.tripwire.url,
        f"{KEY}handlerArn": function_arn("team-call-handler", PRIMARY_REGION),
        f"{KEY}backupRegion": BACKUP_REGION,
        f"{KEY}backupHandlerArn": function_arn("team-backup-handler", BACKUP_REGION),
        f"{KEY}protectPhoneNumbers": protect,
        f"{KEY}phoneNumbers": [{"search": {"phoneNumberType": "TollFree", "country": "US",
                                           "tollFreePrefix": "844"}}, {"e164": "+12062370000"}],
    }


def test_the_real_pack_refuses_unprotected_numbers_in_prod(
        pulumi_engine: tooling.Engine, policy_venv: Path, tmp_path: Path) -> None:
    world = EngineWorld(pulumi_engine, tmp_path)
    try:
        (world.project / "policy" / ".venv").symlink_to(policy_venv)  # PulumiPolicy.yaml: virtualenv .venv
        cli = world.new_stack("prod", prod_config(world, protect=False))
        refused = cli("preview", "--policy-pack", "policy")
        output = refused.stdout + refused.stderr
        assert refused.returncode != 0, output
        assert "chime-pstn-routing@v" in output  # the pack itself ran, by its name
        assert output.count("phone-numbers-protected-in-prod") >= 2, output  # one per number
        assert "mandatory" in output

        world.set_config(cli, prod_config(world, protect=True))
        allowed = cli("preview", "--policy-pack", "policy")
        output = allowed.stdout + allowed.stderr
        assert allowed.returncode == 0, output
        assert "chime-pstn-routing@v" in output and "phone-numbers-protected-in-prod" not in output
        assert world.tripwire.hits == []
        print("\n" + cli.report())
    finally:
        world.close()
