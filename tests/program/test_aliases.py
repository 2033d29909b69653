"""Existing stacks keep every resource when the program's layout changes.

`fixtures/urns_before_regional_target.json` holds the engine URN of every resource the program
declared for each committed stack before the per-Region component existed (when the handler,
application and gate of each Region were direct children of CallRouting). Each of those URNs must
be the URN of a resource the program declares now, or one of the aliases the engine would try for
it (tests/program/engine_urns.py), and nothing may be new but the per-Region components and what
was added since (each handler's duration alarm and `live` alias): an old URN left over would be
deleted by the next `pulumi up`, and its resource created again.

One deliberate exception: each Region's deployment gate was a pulumi-command Command and is now the
project's own DeploymentGate (the command provider cannot run under the offline engine). Its type
changed with its provider, so the old gate is deleted (its delete runs nothing) and the new one is
created, which runs the smoke test once more; it owns nothing in the cloud.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest

from testbed.program_mocks import ProgramRun, evaluate, stack_config
from tests.program.engine_urns import EngineView

FIXTURE = Path(__file__).parent / "fixtures" / "urns_before_regional_target.json"
OLD: dict[str, list[str]] = json.loads(FIXTURE.read_text())["urns"]
HANDLER = "chime-pstn-routing:components:CallHandler"
NEW_COMPONENT = "chime-pstn-routing:components:RegionalTarget"
OLD_GATE = "command:local:Command"
NEW_GATE = "pulumi-python:dynamic/gate:DeploymentGate"
# Added to every handler the program builds after the fixture was recorded: new, so never an old URN.
NEW_PER_HANDLER = ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:lambda/alias:Alias"]
NEW_PER_HANDLER_NAMES = ["duration-alarm", "live"]


def kept(stack: str) -> list[str]:
    """The old URNs the program must still claim: all but the replaced pulumi-command gates."""
    return [urn for urn in OLD[stack] if f"${OLD_GATE}::" not in urn]


# `local` now brings its own handlers (handlerArn/backupHandlerArn), a config change that drops its
# handler resources on purpose; its URNs were recorded while it built them, so the layout question is
# asked of the program it had then: the same config without the handler ARNs.
CONFIG_SINCE_RECORDED = ("chime-pstn-routing:handlerArn", "chime-pstn-routing:backupHandlerArn")


@pytest.fixture(scope="module", params=sorted(OLD))
def run(request: pytest.FixtureRequest) -> ProgramRun:
    config = {k: v for k, v in stack_config(request.param).items() if k not in CONFIG_SINCE_RECORDED}
    result = evaluate(request.param, config)
    assert result.error is None, result.error
    return result


def test_every_old_urn_is_taken_over_exactly_once(run: ProgramRun) -> None:
    view = EngineView(run, OLD[run.stack])
    taken = Counter(m.old for m in view.matches if m.old is not None)
    assert taken == Counter(kept(run.stack))
    assert len(kept(run.stack)) == len(OLD[run.stack]) - len(run.of_type(HANDLER))  # one gate a Region


def test_nothing_is_new_but_one_regional_component_per_region(run: ProgramRun) -> None:
    view = EngineView(run, OLD[run.stack])
    new = [m.registration for m in view.matches if m.old is None]
    regions = len(run.of_type(HANDLER))
    assert regions >= 1
    assert sorted(r.type for r in new) == sorted([NEW_COMPONENT, NEW_GATE, *NEW_PER_HANDLER] * regions)
    # The new children are named as new (never an old name reused), under their handler.
    names = {r.name for r in new if r.type in NEW_PER_HANDLER}
    assert names == {f"routing-{role}-{suffix}" for role in ("primary", "backup")[:regions]
                     for suffix in NEW_PER_HANDLER_NAMES}


def test_moved_resources_are_found_only_through_their_aliases(run: ProgramRun) -> None:
    view = EngineView(run, OLD[run.stack])
    moved = {m.urn: m.old for m in view.matches if m.old is not None and m.old != m.urn}
    assert moved, "nothing moved: the fixture no longer describes an earlier layout"
    for urn, old in moved.items():
        assert urn not in OLD[run.stack] and old in view.aliases_of(urn)
    # Not vacuous: without the aliases the program declares, none of them would be found.
    bare = dataclasses.replace(run, registrations=[dataclasses.replace(r, aliases=[])
                                                   for r in run.registrations])
    unaliased = EngineView(bare, OLD[run.stack])
    assert {m.urn for m in unaliased.matches if m.old is None} >= set(moved)
