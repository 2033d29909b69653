"""The policy pack's validators, called directly (pulumi_policy is not in the project venv)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from policy.rules import (
    PERMISSION_TYPE,
    PHONE_NUMBER_TYPE,
    ROLE_POLICY_ATTACHMENT_TYPE,
    ROLE_POLICY_TYPE,
    ROLE_TYPE,
    RULES,
    SIP_RULE_TYPE,
    Resource,
    check_chime_invoke_permission,
    check_no_wildcard_actions,
    check_phone_number_protected,
    check_sip_rule_has_target,
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


# --- the pulumi_policy adapter -----------------------------------------------------------------
def validation_args(resource_type: str, props: dict[str, Any], stack: str, protect: bool) -> SimpleNamespace:
    """Shaped like pulumi_policy.ResourceValidationArgs: resource_type, props, urn, name, opts.protect."""
    return SimpleNamespace(
        resource_type=resource_type,
        props=props,
        urn=f"urn:pulumi:{stack}::chime-pstn-routing::{resource_type}::n",
        name="n",
        opts=SimpleNamespace(protect=protect),
    )


def test_rules_report_through_the_policy_callback() -> None:
    by_name = {rule.name: rule for rule in RULES}
    assert set(by_name) == {
        "chime-invoke-permission-scoped",
        "handler-roles-no-wildcard-actions",
        "sip-rule-has-target",
        "phone-numbers-protected-in-prod",
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
