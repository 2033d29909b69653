"""Releasing a handler under mocks: each function publishes a version, the deployment gate smoke-tests
that version, the `live` alias moves to it only through the gate's outputs, and the application and
the invoke grant name the alias alone. A failed gate declares nothing after it; bring-your-own
handlers keep routing to the ARN they name; `liveVersion` holds the alias on an older version."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from components.handler_function import published_version
from components.settings import SettingsError
from testbed.program_mocks import ACCOUNT_ID, ProgramRun, Registration, ResourceFailed, evaluate, stack_config

KEY = "chime-pstn-routing:"
ALIAS = "aws:lambda/alias:Alias"
RULE = "pulumi-python:dynamic/chime:SipRule"
SMA = "pulumi-python:dynamic/chime:SipMediaApplication"
GATE = "pulumi-python:dynamic/gate:DeploymentGate"
FUNCTION = "aws:lambda/function:Function"
# The stacks whose handlers the program builds (`local` brings its own: see the last tests).
ROLES = {"dev": ("primary",), "prod": ("primary", "backup")}
# What the gate provider raises when `ops smoke` judges the answer invalid (providers/deployment_gate.py).
GATE_FAILURE = ("deployment gate failed for {arn} (ops smoke exit 1); nothing that waits for it (the `live` "
                "alias, the SIP rules) was created or changed:\ninvalid: Actions[0].Type 'Dance' is not a "
                "supported action")


def _run(stack: str, overrides: dict[str, str] | None = None,
         failing: dict[str, str] | None = None) -> ProgramRun:
    config = {**stack_config(stack), **{f"{KEY}{k}": v for k, v in (overrides or {}).items()}}
    return evaluate(stack, config, failing=failing)


def _ok(stack: str, **overrides: str) -> ProgramRun:
    run = _run(stack, overrides)
    assert run.error is None, run.error
    return run


def _names(run: ProgramRun) -> set[str]:
    return {r.name for r in run.registrations}


def _closure(run: ProgramRun, reg: Registration) -> set[str]:
    """Every resource `reg` waits for, directly or through what it waits for (by name)."""
    by_urn = {r.urn: r for r in run.registrations}
    seen: set[str] = set()
    todo = list(reg.dependencies)
    while todo:
        urn = todo.pop()
        if urn in seen or urn not in by_urn:
            continue
        seen.add(urn)
        todo += by_urn[urn].dependencies
    return {by_urn[u].name for u in seen}


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


@pytest.mark.parametrize("stack", sorted(ROLES))
def test_version_then_gate_then_alias_then_application_and_rules(stack: str) -> None:
    run = _ok(stack)
    rules = run.of_type(RULE)
    for role in ROLES[stack]:
        function = run.by_name(f"routing-{role}-function", FUNCTION)
        gate = run.by_name(f"routing-{role}-gate")
        alias = run.by_name(f"routing-{role}-live")
        grant = run.by_name(f"routing-{role}-chime-invoke")
        sma = run.by_name(f"routing-{role}-sma")
        assert function.inputs["publish"] is True
        # The gate invokes the version this deployment published, after the function is updated.
        assert gate.inputs["function_arn"] == function.outputs["qualifiedArn"]
        assert function.urn in gate.dependencies
        # The alias takes its version from the gate's outputs (so it waits for the gate's create or
        # update to succeed), and it is exactly the version the gate tested: the apply ran.
        assert alias.property_dependencies["functionVersion"] == [gate.urn]
        assert gate.urn in alias.dependencies
        assert alias.inputs["functionVersion"] == function.outputs["version"]
        assert alias.inputs["name"] == "live" and alias.inputs["functionName"] == function.inputs["name"]
        # The grant and the application wait for the alias, and so for the gate.
        assert alias.urn in grant.property_dependencies["qualifier"]
        assert sma.property_dependencies["lambda_arn"] == [alias.urn]
        assert grant.urn in sma.dependencies
        assert {gate.name, alias.name, grant.name} <= _closure(run, sma)
        for rule in rules:
            assert {gate.name, alias.name, sma.name} <= _closure(run, rule), rule.name


@pytest.mark.parametrize("stack", sorted(ROLES))
def test_the_alias_is_the_only_arn_calls_and_the_grant_can_reach(stack: str) -> None:
    run = _ok(stack)
    for role in ROLES[stack]:
        function = run.by_name(f"routing-{role}-function", FUNCTION).outputs
        alias = run.by_name(f"routing-{role}-live").outputs["arn"]
        assert alias == f"{function['arn']}:live"
        # Every input anywhere in the stack that names this function by ARN, and what it names.
        named = {(reg.name, where, value) for reg in run.registrations
                 for where, value in _strings(reg.inputs) if value.startswith(function["arn"])}
        assert named == {(f"routing-{role}-gate", "function_arn", function["qualifiedArn"]),
                         (f"routing-{role}-sma", "lambda_arn", alias)}
        grant = run.by_name(f"routing-{role}-chime-invoke").inputs
        assert (grant["function"], grant["qualifier"]) == (function["name"], "live")
    assert run.exports["callHandlerArn"] == run.by_name("routing-primary-live").outputs["arn"]
    if "backup" in ROLES[stack]:
        assert run.exports["backupCallHandlerArn"] == run.by_name("routing-backup-live").outputs["arn"]


def _downstream(role: str) -> set[str]:
    return {f"routing-{role}-live", f"routing-{role}-chime-invoke", f"routing-{role}-sma"}


@pytest.mark.parametrize("failed_role", ["primary", "backup"])
def test_a_failed_gate_declares_nothing_after_it(failed_role: str) -> None:
    passed = _ok("prod")
    message = GATE_FAILURE.format(arn=f"chime-pstn-routing-prod-{failed_role}-handler:NEW")
    run = _run("prod", failing={f"routing-{failed_role}-gate": message})

    assert isinstance(run.error, ResourceFailed) and str(run.error) == message
    (gate,) = run.failed
    assert gate.name == f"routing-{failed_role}-gate"
    function = run.by_name(f"routing-{failed_role}-function", FUNCTION).outputs
    assert gate.inputs["function_arn"] == function["qualifiedArn"]  # it was testing the new version
    missing = _names(passed) - _names(run)
    # Exactly what waits on the failed gate: its Region's alias, grant and application, and every
    # rule (rules wait for both Regions' gates). Nothing else is missing.
    assert missing == {f"routing-{failed_role}-gate"} | _downstream(failed_role) | {
        r.name for r in passed.of_type(RULE)}
    assert passed.of_type(RULE) and not run.of_type(RULE)
    # Not vacuous: the run went on after the failure. The other Region passed its gate and was
    # released; the failed Region's new version was published and its alarms declared.
    other = "backup" if failed_role == "primary" else "primary"
    assert _downstream(other) <= _names(run)
    assert {f"routing-{failed_role}-function", f"routing-{failed_role}-errors-alarm"} <= _names(run)
    assert run.exports == {}  # the stack's outputs wait on the rules


def test_the_harness_only_drops_what_waits_on_a_failure() -> None:
    """A failing resource that nothing waits for costs the run that resource alone."""
    passed = _ok("prod")
    run = _run("prod", failing={"routing-primary-throttles-alarm": "throttled"})
    assert isinstance(run.error, ResourceFailed)
    assert _names(passed) - _names(run) == {"routing-primary-throttles-alarm"}
    # The exports (ids count registrations, so one fewer shifts them) all resolved.
    assert set(run.exports) == set(passed.exports)
    assert run.exports["sipRuleIds"] and run.exports["callHandlerArn"] == passed.exports["callHandlerArn"]


@pytest.mark.parametrize("stack", ["prod", "local"])
def test_bring_your_own_handlers_are_unaffected(stack: str) -> None:
    primary = f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:chime-pstn-routing-{stack}-call-handler:7"
    backup = f"arn:aws:lambda:us-west-2:{ACCOUNT_ID}:function:team-backup:blue"
    run = _ok(stack, handlerArn=primary, backupHandlerArn=backup)
    assert run.of_type(ALIAS) == [] and run.of_type(FUNCTION) == []
    for role, arn in (("primary", primary), ("backup", backup)):
        assert run.by_name(f"routing-{role}-gate").inputs["function_arn"] == arn
        assert run.by_name(f"routing-{role}-sma").inputs["lambda_arn"] == arn
    assert (run.exports["callHandlerArn"], run.exports["backupCallHandlerArn"]) == (primary, backup)
    # A failed gate still holds back every rule, as before.
    failed = _run(stack, {"handlerArn": primary, "backupHandlerArn": backup},
                  failing={"routing-primary-gate": "invalid"})
    assert isinstance(failed.error, ResourceFailed) and not failed.of_type(RULE)
    assert run.of_type(RULE)


def test_only_the_backup_brings_its_own() -> None:
    backup = f"arn:aws:lambda:us-west-2:{ACCOUNT_ID}:function:team-backup:blue"
    run = _ok("prod", backupHandlerArn=backup)
    assert [a.name for a in run.of_type(ALIAS)] == ["routing-primary-live"]
    assert run.by_name("routing-backup-sma").inputs["lambda_arn"] == backup
    assert run.by_name("routing-primary-sma").inputs["lambda_arn"].endswith("-call-handler:live")


def test_live_version_holds_the_alias_on_a_published_version() -> None:
    run = _ok("prod", liveVersion="3", backupLiveVersion="12")
    for role, version in (("primary", "3"), ("backup", "12")):
        function = run.by_name(f"routing-{role}-function", FUNCTION)
        assert function.inputs["publish"] is True  # new code is still published, just not put live
        gate = run.by_name(f"routing-{role}-gate")
        assert gate.inputs["function_arn"] == f"{function.outputs['arn']}:{version}"
        assert function.outputs["version"] != version
        alias = run.by_name(f"routing-{role}-live")
        assert alias.inputs["functionVersion"] == version
        assert alias.property_dependencies["functionVersion"] == [gate.urn]
    # One Region pinned, the other follows its newest version.
    only = _ok("prod", liveVersion="3")
    backup = only.by_name("routing-backup-function", FUNCTION).outputs
    assert only.by_name("routing-backup-live").inputs["functionVersion"] == backup["version"]


@pytest.mark.parametrize(("overrides", "key", "fragment"), [
    ({"liveVersion": "$LATEST"}, "liveVersion", "$LATEST is refused"),
    ({"liveVersion": "0"}, "liveVersion", "not a published Lambda version number"),
    ({"liveVersion": "v3"}, "liveVersion", "not a published Lambda version number"),
    ({"liveVersion": "3", "handlerArn": f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:h"}, "liveVersion",
     "has no effect with handlerArn"),
    ({"backupLiveVersion": "3"}, "backupLiveVersion", "needs backupRegion"),
], ids=["latest", "zero", "text", "with-handler-arn", "backup-without-region"])
def test_invalid_live_version_is_named_and_declares_nothing(overrides: dict[str, str], key: str,
                                                            fragment: str) -> None:
    run = _run("dev", overrides)
    assert isinstance(run.error, SettingsError), run.error
    problems = run.error.problems
    assert any(p.startswith(f"{KEY}{key}: ") and fragment in p for p in problems), problems
    assert run.registrations == []


def test_the_alias_never_follows_anything_but_a_published_version() -> None:
    base = f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:h"
    assert published_version(f"{base}:12") == "12"
    for bad in (base, f"{base}:$LATEST", f"{base}:live", "h:3", f"arn:aws:sns:us-east-1:{ACCOUNT_ID}:t:3"):
        with pytest.raises(ValueError, match="not the ARN of a published Lambda version"):
            published_version(bad)
