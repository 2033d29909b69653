"""Bring-your-own handlers (`handlerArn`, `backupHandlerArn`): the applications and gates use the
given function, alias or version, and the program declares no AWS resource for that Region."""

from __future__ import annotations

import pytest

from testbed.program_mocks import ProgramRun, evaluate, stack_config
from tests.program.test_local_numbers import local_emulator_args

KEY = "chime-pstn-routing:"
PRIMARY = "arn:aws:lambda:us-east-1:210987654321:function:team-call-handler:live"
BACKUP = "arn:aws:lambda:us-west-2:210987654321:function:team-backup-handler:7"
SMA = "pulumi-python:dynamic/chime:SipMediaApplication"
GATE = "pulumi-python:dynamic/gate:DeploymentGate"


def _run(stack: str, **overrides: str) -> ProgramRun:
    run = evaluate(stack, {**stack_config(stack), **{f"{KEY}{k}": v for k, v in overrides.items()}})
    assert run.error is None, run.error
    return run


def _aws(run: ProgramRun) -> list[str]:
    aws = ("aws:", "pulumi:providers:aws")
    return [f"{r.type}::{r.name}" for r in run.registrations if r.type.startswith(aws)]


def test_both_regions_bring_their_own_and_nothing_of_aws_is_declared() -> None:
    run = _run("prod", handlerArn=PRIMARY, backupHandlerArn=BACKUP)
    assert _aws(run) == []
    assert run.of_type("chime-pstn-routing:components:CallHandler") == []
    by_region = {r.inputs["region"]: r for r in run.of_type(SMA)}
    assert by_region["us-east-1"].inputs["lambda_arn"] == PRIMARY
    assert by_region["us-west-2"].inputs["lambda_arn"] == BACKUP
    gates = {r.inputs["region"]: r.inputs for r in run.of_type(GATE)}
    assert gates["us-east-1"]["function_arn"] == PRIMARY and gates["us-west-2"]["function_arn"] == BACKUP
    # Deployed elsewhere: the handler bundle is not what runs, so it does not re-run the gate.
    assert gates["us-east-1"]["triggers"] == [] and gates["us-east-1"].get("handler_file") is None
    assert run.exports["callHandlerArn"] == PRIMARY
    assert run.exports["backupCallHandlerArn"] == BACKUP
    assert all(r.dependencies == [] or all("CallHandler" not in d for d in r.dependencies)
               for r in run.of_type(SMA))


def test_only_the_primary_brings_its_own() -> None:
    run = _run("prod", handlerArn=PRIMARY)
    aws = _aws(run)
    assert aws and all("backup" in name for name in aws)  # the backup Region still builds its handler
    assert any(name.startswith("pulumi:providers:aws::routing-backup-aws") for name in aws)
    assert run.exports["callHandlerArn"] == PRIMARY
    backup = run.exports["backupCallHandlerArn"]
    assert backup.endswith(":function:chime-pstn-routing-prod-backup-handler:live")


def test_the_local_stack_brings_the_handlers_the_emulator_runs() -> None:
    # As committed: the function names are the ones `make local` maps to handler files, so nothing of
    # AWS is declared and the gates smoke-test the very files simulated calls run.
    run = _run("local")
    gates = {r.inputs["region"]: r.inputs for r in run.of_type(GATE)}
    assert gates["us-east-1"]["function_arn"].endswith(":function:chime-pstn-routing-local-call-handler")
    assert gates["us-west-2"]["function_arn"].endswith(":function:chime-pstn-routing-local-backup-handler")
    assert gates["us-east-1"]["handler_file"] == "handlers/call_handler.py:handler"
    assert gates["us-west-2"]["handler_file"] == "handlers/backup_handler.py:handler"
    assert gates["us-east-1"]["triggers"] and gates["us-east-1"]["environment"]["GREETING"]
    assert _aws(run) == []
    mapped = {arg.split("=", 1)[0] for arg in local_emulator_args() if "=handlers/" in arg}
    assert {g["function_arn"].rsplit(":", 1)[1] for g in gates.values()} == mapped


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_without_handler_arns_every_region_builds_its_handler(stack: str) -> None:
    run = evaluate(stack, stack_config(stack))
    assert run.error is None, run.error
    functions = run.of_type("aws:lambda/function:Function")
    assert len(functions) == len(run.of_type(SMA)) >= 1
