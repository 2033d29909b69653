"""The program's own stacks pass the policy pack: every rule run on every resource the program
registers under mocks (testbed/program_mocks.py), with the inputs the engine would analyze."""

from __future__ import annotations

import json

import pytest

from policy.rules import (
    PERMISSION_TYPE,
    PHONE_NUMBER_TYPE,
    ROLE_POLICY_TYPE,
    RULES,
    SIP_RULE_TYPE,
    Resource,
)
from testbed.program_mocks import ProgramRun, evaluate, stack_config


def violations(run: ProgramRun) -> list[str]:
    assert run.error is None, run.error
    found = []
    for registration in run.registrations:
        resource = Resource(registration.type, registration.inputs, registration.urn, registration.protect)
        found += [f"{rule.name}: {registration.name}: {m}" for rule in RULES for m in rule.check(resource)]
    return found


@pytest.mark.parametrize("stack", ["dev", "prod", "local"])
def test_committed_stacks_comply(stack: str) -> None:
    run = evaluate(stack, stack_config(stack))
    types = [r.type for r in run.registrations]
    # Not vacuous: each rule's resource type is really there to be judged (`local` brings its own
    # handlers, so it declares no permission or role policy: only the Chime rules judge it).
    own_handlers = "chime-pstn-routing:handlerArn" in stack_config(stack)
    judged = (SIP_RULE_TYPE, PHONE_NUMBER_TYPE) if own_handlers else (
        PERMISSION_TYPE, ROLE_POLICY_TYPE, SIP_RULE_TYPE, PHONE_NUMBER_TYPE)
    for typ in judged:
        assert typ in types, typ
    if own_handlers:
        assert PERMISSION_TYPE not in types and ROLE_POLICY_TYPE not in types
        assert violations(run) == []
        return
    chime_grants = [r for r in run.of_type(PERMISSION_TYPE) if "chime" in r.inputs.get("principal", "")]
    assert chime_grants and all(r.inputs.get("sourceArn") for r in chime_grants)
    assert violations(run) == []


def test_prod_without_number_protection_is_refused() -> None:
    config = {**stack_config("prod"), "chime-pstn-routing:protectPhoneNumbers": json.dumps(False)}
    found = violations(evaluate("prod", config))
    assert found and all(v.startswith("phone-numbers-protected-in-prod: ") for v in found)
    assert len(found) == len(json.loads(config["chime-pstn-routing:phoneNumbers"]))
