"""The program's own stacks pass the policy pack: every rule run on every resource the program
registers under mocks (testbed/program_mocks.py), with the inputs the engine would analyze."""

from __future__ import annotations

import dataclasses
import json

import pytest

from policy.rules import (
    LAMBDA_FUNCTION_TYPE,
    PERMISSION_TYPE,
    PHONE_NUMBER_TYPE,
    ROLE_POLICY_TYPE,
    RULES,
    SIP_MEDIA_APPLICATION_TYPE,
    SIP_RULE_TYPE,
    Resource,
)
from testbed.program_mocks import ProgramRun, Registration, evaluate, stack_config

DYNAMIC_PREFIX = "pulumi-python:dynamic/"


def config_value(config: dict[str, str], key: str) -> object:
    """A config value as the engine holds it: objects and lists were handed over as JSON."""
    text = config[key]
    return json.loads(text) if text.startswith(("{", "[", '"')) else text


def as_validated(registration: Registration, config: dict[str, str]) -> Resource:
    """The resource as the engine hands it to the pack. A dynamic resource's provider (the default
    pulumi-python one) has the whole stack config as its inputs, as the real CLI shows; the mocks
    record only a reference to it, so its inputs are rebuilt from the config here."""
    values = {key: config_value(config, key) for key in config}
    provider = values if registration.type.startswith(DYNAMIC_PREFIX) else {}
    return Resource(registration.type, registration.inputs, registration.urn, registration.protect, provider)


def violations(run: ProgramRun, config: dict[str, str]) -> list[str]:
    assert run.error is None, run.error
    found = []
    for registration in run.registrations:
        resource = as_validated(registration, config)
        found += [f"{rule.name}: {registration.name}: {m}" for rule in RULES for m in rule.check(resource)]
    return found


@pytest.mark.parametrize("stack", ["dev", "prod", "local"])
def test_committed_stacks_comply(stack: str) -> None:
    config = stack_config(stack)
    run = evaluate(stack, config)
    types = [r.type for r in run.registrations]
    # Not vacuous: each rule's resource type is really there to be judged (`local` brings its own
    # handlers, so it declares no Lambda, permission or role policy: only the Chime rules judge it).
    own_handlers = "chime-pstn-routing:handlerArn" in stack_config(stack)
    judged = (SIP_RULE_TYPE, PHONE_NUMBER_TYPE, SIP_MEDIA_APPLICATION_TYPE) if own_handlers else (
        PERMISSION_TYPE, ROLE_POLICY_TYPE, SIP_RULE_TYPE, PHONE_NUMBER_TYPE, LAMBDA_FUNCTION_TYPE,
        SIP_MEDIA_APPLICATION_TYPE)
    for typ in judged:
        assert typ in types, typ
    if own_handlers:
        assert PERMISSION_TYPE not in types and ROLE_POLICY_TYPE not in types
        assert violations(run, config) == []
        return
    chime_grants = [r for r in run.of_type(PERMISSION_TYPE) if "chime" in r.inputs.get("principal", "")]
    assert chime_grants and all(r.inputs.get("sourceArn") for r in chime_grants)
    # ... and the values the two handler rules judge are known, not placeholders that pass unjudged.
    assert all(isinstance(r.inputs.get("timeout"), int | float) for r in run.of_type(LAMBDA_FUNCTION_TYPE))
    applications = run.of_type(SIP_MEDIA_APPLICATION_TYPE)
    assert all(r.inputs["lambda_arn"].startswith("arn:aws:lambda:") for r in applications)
    assert violations(run, config) == []


@pytest.mark.parametrize("stack", ["dev", "prod", "local"])
def test_each_stacks_applications_are_judged_against_their_own_region(stack: str) -> None:
    config = stack_config(stack)
    run = evaluate(stack, config)
    applications = run.of_type(SIP_MEDIA_APPLICATION_TYPE)
    assert len(applications) == (2 if "chime-pstn-routing:backupRegion" in config else 1)
    (check,) = [rule.check for rule in RULES if rule.name == "sip-media-application-lambda-in-its-region"]
    for registration in applications:
        resource = as_validated(registration, config)
        assert check(resource) == []
        # The program's own application pointed at a Lambda of another Region is refused ...
        elsewhere = "ap-northeast-1" if resource.props["region"] != "ap-northeast-1" else "eu-west-2"
        moved = dataclasses.replace(resource, props={**resource.props, "region": elsewhere})
        assert len(check(moved)) == 1
        # ... and without its region input, the stack's aws:region (from the provider) decides.
        without_region = {k: v for k, v in resource.props.items() if k != "region"}
        unset = dataclasses.replace(resource, props=without_region)
        assert (check(unset) == []) is (resource.props["region"] == config_value(config, "aws:region"))


def test_a_handler_timeout_at_the_service_wait_is_refused() -> None:
    config = stack_config("prod")
    run = evaluate("prod", config)
    (check,) = [rule.check for rule in RULES if rule.name == "handler-timeout-below-service-wait"]
    functions = [as_validated(r, config) for r in run.of_type(LAMBDA_FUNCTION_TYPE)]
    assert len(functions) == 2 and all(check(f) == [] for f in functions)
    slow = [dataclasses.replace(f, props={**f.props, "timeout": 5}) for f in functions]
    assert all(len(check(f)) == 1 for f in slow)


def test_prod_without_number_protection_is_refused() -> None:
    config = {**stack_config("prod"), "chime-pstn-routing:protectPhoneNumbers": json.dumps(False)}
    found = violations(evaluate("prod", config), config)
    assert found and all(v.startswith("phone-numbers-protected-in-prod: ") for v in found)
    assert len(found) == len(json.loads(config["chime-pstn-routing:phoneNumbers"]))
