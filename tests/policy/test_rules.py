"""The policy pack's validators, called directly (pulumi_policy is not in the project venv)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from policy.rules import (
    LAMBDA_FUNCTION_TYPE,
    PERMISSION_TYPE,
    PHONE_NUMBER_TYPE,
    ROLE_POLICY_ATTACHMENT_TYPE,
    ROLE_POLICY_TYPE,
    ROLE_TYPE,
    RULES,
    SIP_MEDIA_APPLICATION_TYPE,
    SIP_RULE_TYPE,
    Resource,
    check_chime_invoke_permission,
    check_handler_timeout,
    check_no_wildcard_actions,
    check_phone_number_protected,
    check_sip_media_application_lambda_region,
    check_sip_rule_has_target,
    lambda_region,
    wildcard_grants,
)

SMA_ARN = "arn:aws:chime:us-east-1:123456789012:sma/0b7a9c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b"


def res(resource_type: str, props: dict[str, Any], stack: str = "dev", protect: bool = False) -> Resource:
    return Resource(
        resource_type, props, f"urn:pulumi:{stack}::chime-pstn-routing::{resource_type}::x", protect
    )


def policy_doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


# --- chime invoke permission -------------------------------------------------------------------
def chime_permission(**extra: Any) -> Resource:
    props = {
        "action": "lambda:InvokeFunction",
        "function": "f",
        "principal": "voiceconnector.chime.amazonaws.com",
    }
    return res(PERMISSION_TYPE, {**props, **extra})


def test_scoped_chime_permission_passes() -> None:
    assert (
        check_chime_invoke_permission(chime_permission(sourceAccount="123456789012", sourceArn=SMA_ARN)) == []
    )


@pytest.mark.parametrize(
    ("extra", "missing"),
    [
        ({"sourceArn": SMA_ARN}, ["sourceAccount"]),
        ({"sourceAccount": "123456789012"}, ["sourceArn"]),
        ({}, ["sourceAccount", "sourceArn"]),
        ({"sourceAccount": " ", "sourceArn": ""}, ["sourceAccount", "sourceArn"]),
    ],
)
def test_unscoped_chime_permission_names_each_missing_field(
    extra: dict[str, Any], missing: list[str]
) -> None:
    problems = check_chime_invoke_permission(chime_permission(**extra))
    assert len(problems) == len(missing)
    for field, message in zip(missing, problems, strict=True):
        assert f"must set {field}" in message


def test_chime_permission_source_arn_must_be_a_chime_arn() -> None:
    problems = check_chime_invoke_permission(
        chime_permission(sourceAccount="123456789012", sourceArn="arn:aws:s3:::bucket")
    )
    assert len(problems) == 1 and "not a Chime SIP media application ARN" in problems[0]


def test_other_principals_and_types_are_not_judged() -> None:
    assert check_chime_invoke_permission(res(PERMISSION_TYPE, {"principal": "s3.amazonaws.com"})) == []
    assert (
        check_chime_invoke_permission(res(ROLE_TYPE, {"principal": "voiceconnector.chime.amazonaws.com"}))
        == []
    )


# --- wildcard actions ---------------------------------------------------------------------------
@pytest.mark.parametrize("action", ["*", "chime:*", "logs:Put*", "s3:GetObjec?"])
def test_wildcard_actions_in_role_policy_are_violations(action: str) -> None:
    doc = policy_doc({"Effect": "Allow", "Action": ["logs:PutLogEvents", action], "Resource": "*"})
    problems = check_no_wildcard_actions(res(ROLE_POLICY_TYPE, {"policy": doc, "role": "r"}))
    assert problems == [f"policy grants action {action!r}: list the exact actions the handler needs."]


def test_exact_actions_pass_even_with_resource_wildcard() -> None:
    doc = policy_doc(
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*"},  # a Deny with a wildcard grants nothing
    )
    assert check_no_wildcard_actions(res(ROLE_POLICY_TYPE, {"policy": doc})) == []


def test_not_action_allow_is_a_wildcard_grant() -> None:
    assert wildcard_grants({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}) == [
        "NotAction ['iam:*']"
    ]


def test_role_inline_policies_and_dict_documents_are_checked() -> None:
    role = res(
        ROLE_TYPE,
        {
            "assumeRolePolicy": policy_doc({"Effect": "Allow", "Action": "sts:AssumeRole"}),
            "inlinePolicies": [
                {"name": "ok", "policy": policy_doc({"Effect": "Allow", "Action": "logs:PutLogEvents"})},
                {"name": "bad", "policy": {"Statement": [{"Effect": "Allow", "Action": "lambda:*"}]}},
            ],
        },
    )
    assert check_no_wildcard_actions(role) == [
        "inlinePolicies[1] grants action 'lambda:*': list the exact actions the handler needs."
    ]


@pytest.mark.parametrize(
    ("arn", "bad"),
    [
        ("arn:aws:iam::aws:policy/AdministratorAccess", True),
        ("arn:aws:iam::aws:policy/AmazonChimeSDKFullAccess", True),
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", False),
        ("arn:aws:iam::123456789012:policy/MyFullAccess", False),  # customer-managed: judged by its document
    ],
)
def test_broad_aws_managed_policies_are_violations(arn: str, bad: bool) -> None:
    attachment = check_no_wildcard_actions(res(ROLE_POLICY_ATTACHMENT_TYPE, {"policyArn": arn, "role": "r"}))
    on_role = check_no_wildcard_actions(res(ROLE_TYPE, {"managedPolicyArns": [arn]}))
    assert bool(attachment) is bad and bool(on_role) is bad


def test_unparseable_or_missing_documents_are_not_violations() -> None:
    assert check_no_wildcard_actions(res(ROLE_POLICY_TYPE, {"policy": "not json"})) == []
    assert check_no_wildcard_actions(res(ROLE_POLICY_TYPE, {})) == []


# --- SIP rule targets ---------------------------------------------------------------------------
def test_sip_rule_needs_a_target() -> None:
    target = {"sip_media_application_id": "id", "priority": 1, "region": "us-east-1"}
    assert check_sip_rule_has_target(res(SIP_RULE_TYPE, {"targets": [target]})) == []
    cases: list[dict[str, Any]] = [{"targets": []}, {}, {"targets": None}]
    for props in cases:
        problems = check_sip_rule_has_target(res(SIP_RULE_TYPE, props))
        assert len(problems) == 1 and "at least one target" in problems[0]


# --- protected numbers in prod -----------------------------------------------------------------
def test_unprotected_number_in_prod_is_a_violation() -> None:
    problems = check_phone_number_protected(res(PHONE_NUMBER_TYPE, {}, stack="prod"))
    assert len(problems) == 1 and "'prod'" in problems[0] and "protectPhoneNumbers" in problems[0]


def test_protected_number_in_prod_and_unprotected_elsewhere_pass() -> None:
    assert check_phone_number_protected(res(PHONE_NUMBER_TYPE, {}, stack="prod", protect=True)) == []
    assert check_phone_number_protected(res(PHONE_NUMBER_TYPE, {}, stack="dev")) == []
    assert check_phone_number_protected(res(PHONE_NUMBER_TYPE, {}, stack="production")) == []
    assert check_phone_number_protected(res(SIP_RULE_TYPE, {}, stack="prod")) == []


def test_stack_comes_from_the_urn() -> None:
    assert res(PHONE_NUMBER_TYPE, {}, stack="prod").stack == "prod"
    assert Resource(PHONE_NUMBER_TYPE, {}, "not-a-urn").stack == ""


# --- handler timeout below the service's wait ------------------------------------------------------
@pytest.mark.parametrize("timeout", [1, 3, 4, 4.5, None])  # None: Lambda's default, 3 s
def test_handler_timeouts_below_five_seconds_pass(timeout: float | None) -> None:
    props = {"name": "f", "runtime": "python3.13"} | ({} if timeout is None else {"timeout": timeout})
    assert check_handler_timeout(res(LAMBDA_FUNCTION_TYPE, props)) == []


@pytest.mark.parametrize("timeout", [5, 6, 30, 900])
def test_handler_timeouts_of_five_seconds_or_more_are_violations(timeout: int) -> None:
    problems = check_handler_timeout(res(LAMBDA_FUNCTION_TYPE, {"timeout": timeout}))
    assert problems == [
        f"Lambda timeout {timeout} s is not below the 5 s PSTN audio waits for a handler's answer before "
        "it invokes the handler again: set it to at most 4 s."
    ]


@pytest.mark.parametrize("timeout", ["04da6b54-80e4-46f7-96ec-b56ff0331ba9", True, {"x": 1}])
def test_unknown_or_odd_timeouts_are_not_judged(timeout: Any) -> None:
    # A placeholder the engine has not resolved yet (preview) is not a violation.
    assert check_handler_timeout(res(LAMBDA_FUNCTION_TYPE, {"timeout": timeout})) == []


def test_timeout_rule_judges_only_lambda_functions() -> None:
    assert check_handler_timeout(res(SIP_RULE_TYPE, {"timeout": 60})) == []


# --- SIP media application Lambda in its own Region ----------------------------------------------
def lambda_arn(region: str, qualifier: str = "") -> str:
    return f"arn:aws:lambda:{region}:123456789012:function:chime-pstn-routing-dev-call-handler{qualifier}"


def application(props: dict[str, Any], stack_region: str | None = None) -> Resource:
    """A SipMediaApplication as a validator sees it; its provider's inputs carry the stack config."""
    provider: dict[str, Any] = {}
    if stack_region is not None:
        provider = {"aws:region": stack_region, "chime-pstn-routing:engine": "neural"}
    return Resource(SIP_MEDIA_APPLICATION_TYPE, props,
                    f"urn:pulumi:dev::chime-pstn-routing::{SIP_MEDIA_APPLICATION_TYPE}::sma", False, provider)


@pytest.mark.parametrize("qualifier", ["", ":live", ":7", ":$LATEST"])
def test_application_and_lambda_in_the_same_region_pass(qualifier: str) -> None:
    props = {"name": "a", "region": "us-west-2", "lambda_arn": lambda_arn("us-west-2", qualifier)}
    assert check_sip_media_application_lambda_region(application(props, stack_region="us-east-1")) == []


@pytest.mark.parametrize("qualifier", ["", ":live"])
def test_a_lambda_in_another_region_is_a_violation(qualifier: str) -> None:
    props = {"name": "a", "region": "us-west-2", "lambda_arn": lambda_arn("us-east-1", qualifier)}
    assert check_sip_media_application_lambda_region(application(props)) == [
        "SIP media application in us-west-2 names a Lambda in us-east-1: PSTN audio invokes only "
        "functions in the application's own Region (deploy the handler in us-west-2)."
    ]


def test_without_a_region_input_the_stacks_region_decides() -> None:
    props = {"name": "a", "lambda_arn": lambda_arn("eu-west-1")}
    assert check_sip_media_application_lambda_region(application(props, stack_region="eu-west-1")) == []
    problems = check_sip_media_application_lambda_region(application(props, stack_region="eu-central-1"))
    assert len(problems) == 1 and "in eu-central-1 names a Lambda in eu-west-1" in problems[0]


@pytest.mark.parametrize(
    "props",
    [
        # the function not created yet: its ARN is a placeholder at preview
        {"region": "us-east-1", "lambda_arn": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
        {"region": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "lambda_arn": lambda_arn("us-west-2")},
        {"lambda_arn": lambda_arn("us-west-2")},  # no region input and no stack Region known
        {"region": "us-east-1"},
    ],
)
def test_an_undecided_region_or_arn_is_not_judged(props: dict[str, Any]) -> None:
    assert check_sip_media_application_lambda_region(application(props)) == []


def test_region_rule_judges_only_sip_media_applications() -> None:
    props = {"region": "us-west-2", "lambda_arn": lambda_arn("us-east-1")}
    assert check_sip_media_application_lambda_region(res(SIP_RULE_TYPE, props)) == []


@pytest.mark.parametrize(
    ("arn", "region"),
    [
        (lambda_arn("ap-southeast-2", ":live"), "ap-southeast-2"),
        ("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f", "us-gov-west-1"),
        ("arn:aws:chime:us-east-1:123456789012:sma/x", None),
        ("arn:aws:lambda:us-east-1:123456789012:layer:f:1", None),
        ("chime-pstn-routing-dev-call-handler", None),
        (None, None),
    ],
)
def test_lambda_region_reads_function_version_and_alias_arns_only(arn: Any, region: str | None) -> None:
    assert lambda_region(arn) == region


# --- the pulumi_policy adapter -----------------------------------------------------------------
def validation_args(
    resource_type: str, props: dict[str, Any], stack: str, protect: bool,
    provider_props: dict[str, Any] | None = None,
) -> SimpleNamespace:
    """Shaped like pulumi_policy.ResourceValidationArgs: resource_type, props, urn, name, opts.protect,
    provider (None, or its type, props, urn and name)."""
    provider = None if provider_props is None else SimpleNamespace(
        resource_type="pulumi:providers:pulumi-python", props=provider_props,
        urn=f"urn:pulumi:{stack}::chime-pstn-routing::pulumi:providers:pulumi-python::default",
        name="default")
    return SimpleNamespace(
        resource_type=resource_type,
        props=props,
        urn=f"urn:pulumi:{stack}::chime-pstn-routing::{resource_type}::n",
        name="n",
        opts=SimpleNamespace(protect=protect),
        provider=provider,
    )


def test_rules_report_through_the_policy_callback() -> None:
    by_name = {rule.name: rule for rule in RULES}
    assert set(by_name) == {
        "chime-invoke-permission-scoped",
        "handler-roles-no-wildcard-actions",
        "sip-rule-has-target",
        "phone-numbers-protected-in-prod",
        "handler-timeout-below-service-wait",
        "sip-media-application-lambda-in-its-region",
    }
    reported: list[str] = []
    by_name["phone-numbers-protected-in-prod"].validate(
        validation_args(PHONE_NUMBER_TYPE, {}, "prod", protect=False), reported.append
    )
    assert len(reported) == 1
    by_name["phone-numbers-protected-in-prod"].validate(
        validation_args(PHONE_NUMBER_TYPE, {}, "prod", protect=True), reported.append
    )
    assert len(reported) == 1
    by_name["sip-rule-has-target"].validate(
        validation_args(SIP_RULE_TYPE, {"targets": []}, "dev", False), reported.append
    )
    assert len(reported) == 2


def test_the_adapter_hands_the_providers_stack_config_to_the_region_rule() -> None:
    # What the engine sends (seen with the real CLI): the dynamic resource's default provider has the
    # whole stack config as its inputs, aws:region included.
    rule = {r.name: r for r in RULES}["sip-media-application-lambda-in-its-region"]
    props = {"name": "a", "lambda_arn": lambda_arn("us-west-2")}
    reported: list[str] = []
    rule.validate(validation_args(SIP_MEDIA_APPLICATION_TYPE, props, "dev", False,
                                  {"aws:region": "us-east-1"}), reported.append)
    assert len(reported) == 1 and "in us-east-1 names a Lambda in us-west-2" in reported[0]
    rule.validate(validation_args(SIP_MEDIA_APPLICATION_TYPE, props, "dev", False,
                                  {"aws:region": "us-west-2"}), reported.append)
    rule.validate(validation_args(SIP_MEDIA_APPLICATION_TYPE, props, "dev", False), reported.append)
    assert len(reported) == 1
    timeout_rule = {r.name: r for r in RULES}["handler-timeout-below-service-wait"]
    slow = validation_args(LAMBDA_FUNCTION_TYPE, {"timeout": 10}, "dev", False)
    timeout_rule.validate(slow, reported.append)
    assert len(reported) == 2 and "Lambda timeout 10 s" in reported[1]
