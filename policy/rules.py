"""The rules the policy pack enforces, as plain functions with no pulumi_policy import.

pulumi-policy pins protobuf ~= 5.29 while the project's pulumi needs protobuf 6, so the pack runs in
its own virtualenv (policy/requirements.txt). Keeping the rules here lets the project's tests call
them directly; `policy/__main__.py` only adapts them to `ResourceValidationPolicy`.

Each check takes a `Resource` (what a validator sees of one resource) and returns the violations
as messages; an empty list means compliant. Values still unknown during preview are treated as
"not decided yet" (pulumi_policy skips a policy whose props are unknown before calling it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CHIME_PRINCIPAL = "voiceconnector.chime.amazonaws.com"
PERMISSION_TYPE = "aws:lambda/permission:Permission"
ROLE_TYPE = "aws:iam/role:Role"
ROLE_POLICY_TYPE = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY_TYPE = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT_TYPE = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
SIP_RULE_TYPE = "pulumi-python:dynamic/chime:SipRule"
PHONE_NUMBER_TYPE = "pulumi-python:dynamic/chime:PhoneNumber"
PROTECTED_STACKS: tuple[str, ...] = ("prod",)

# AWS-managed policies whose documents grant wildcard actions: their document is not in the
# program, so the ARN is all a validator can judge. (AWSLambdaBasicExecutionRole lists its three
# logs actions explicitly and is fine.)
WILDCARD_MANAGED_POLICIES = (
    "/AdministratorAccess",
    "/PowerUserAccess",
    "FullAccess",
)


@dataclass(frozen=True)
class Resource:
    """What a resource validator sees: type token, inputs (camelCase for pulumi-aws, snake_case
    for our dynamic resources), URN and whether the resource is `protect`ed."""

    resource_type: str
    props: Mapping[str, Any]
    urn: str
    protect: bool = False

    @property
    def stack(self) -> str:
        # urn:pulumi:<stack>::<project>::<type>::<name>
        parts = self.urn.split(":", 2)
        return parts[2].split("::", 1)[0] if len(parts) == 3 else ""


def from_validation_args(args: Any) -> Resource:
    """Build a `Resource` from pulumi_policy's `ResourceValidationArgs` (duck-typed, so this module
    never imports pulumi_policy)."""
    opts = getattr(args, "opts", None)
    return Resource(
        resource_type=str(args.resource_type),
        props=args.props,
        urn=str(args.urn),
        protect=bool(getattr(opts, "protect", False)),
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_chime_invoke_permission(resource: Resource) -> list[str]:
    """A Lambda permission for the Chime voice principal names the account and the SIP media
    application: without them any account's SIP media application could invoke the handler."""
    if resource.resource_type != PERMISSION_TYPE or resource.props.get("principal") != CHIME_PRINCIPAL:
        return []
    problems = []
    if _blank(resource.props.get("sourceAccount")):
        problems.append(
            f"Lambda permission for {CHIME_PRINCIPAL} must set sourceAccount (the AWS account id)."
        )
    source_arn = resource.props.get("sourceArn")
    if _blank(source_arn):
        problems.append(
            f"Lambda permission for {CHIME_PRINCIPAL} must set sourceArn (the SIP media application ARN)."
        )
    elif isinstance(source_arn, str) and ":chime:" not in source_arn:
        problems.append(
            f"Lambda permission for {CHIME_PRINCIPAL} has sourceArn {source_arn!r}, "
            "which is not a Chime SIP media application ARN (arn:aws:chime:REGION:ACCOUNT:sma/ID)."
        )
    return problems


def _statements(document: Any) -> list[Mapping[str, Any]]:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return []  # not JSON yet (e.g. unresolved); the IAM API rejects real garbage itself
    if not isinstance(document, Mapping):
        return []
    statements = document.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    return [s for s in statements if isinstance(s, Mapping)]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, Iterable) else [value]


def wildcard_grants(document: Any) -> list[str]:
    """Describe every Allow statement in an IAM policy document that grants a wildcard action
    (`*`, `service:*`, `service:Get*`, `?`) or uses NotAction (which grants everything else)."""
    found = []
    for statement in _statements(document):
        if statement.get("Effect", "Allow") != "Allow":
            continue
        if "NotAction" in statement:
            found.append(f"NotAction {_as_list(statement['NotAction'])}")
        for action in _as_list(statement.get("Action")):
            if isinstance(action, str) and ("*" in action or "?" in action):
                found.append(f"action {action!r}")
    return found


def check_no_wildcard_actions(resource: Resource) -> list[str]:
    """Handler roles are least privilege: no policy document in the stack allows wildcard actions,
    and no role gets a broad AWS-managed policy."""
    documents: list[tuple[str, Any]] = []
    props = resource.props
    if resource.resource_type in (ROLE_POLICY_TYPE, MANAGED_POLICY_TYPE):
        documents.append(("policy", props.get("policy")))
    elif resource.resource_type == ROLE_TYPE:
        for index, inline in enumerate(_as_list(props.get("inlinePolicies"))):
            if isinstance(inline, Mapping):
                documents.append((f"inlinePolicies[{index}]", inline.get("policy")))
    problems = [
        f"{where} grants {grant}: list the exact actions the handler needs."
        for where, document in documents
        for grant in wildcard_grants(document)
    ]
    arns: list[Any] = []
    if resource.resource_type == ROLE_TYPE:
        arns = _as_list(props.get("managedPolicyArns"))
    elif resource.resource_type == ROLE_POLICY_ATTACHMENT_TYPE:
        arns = [props.get("policyArn")]
    for arn in arns:
        if (
            isinstance(arn, str)
            and ":iam::aws:policy/" in arn
            and any(marker in arn for marker in WILDCARD_MANAGED_POLICIES)
        ):
            problems.append(f"managed policy {arn} grants wildcard actions: use a least-privilege policy.")
    return problems


def check_sip_rule_has_target(resource: Resource) -> list[str]:
    """A SIP rule without a target application routes calls nowhere (and the API refuses it)."""
    if resource.resource_type != SIP_RULE_TYPE:
        return []
    targets = resource.props.get("targets")
    if not isinstance(targets, Sequence) or isinstance(targets, str) or len(targets) == 0:
        return ["SIP rule must have at least one target (a SIP media application, priority and Region)."]
    return []


def check_phone_number_protected(
    resource: Resource, protected_stacks: Sequence[str] = PROTECTED_STACKS
) -> list[str]:
    """In production stacks phone numbers are `protect`ed, so neither `pulumi destroy` nor a replace
    can release a number callers know."""
    if resource.resource_type != PHONE_NUMBER_TYPE or resource.stack not in protected_stacks:
        return []
    if resource.protect:
        return []
    return [
        f"phone numbers in stack {resource.stack!r} must be protected "
        "(set chime-pstn-routing:protectPhoneNumbers to true)."
    ]


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    check: Callable[[Resource], list[str]]

    def validate(self, args: Any, report_violation: Callable[..., None]) -> None:
        """The `ResourceValidation` callback pulumi_policy calls: report each violation."""
        for message in self.check(from_validation_args(args)):
            report_violation(message)


RULES: tuple[Rule, ...] = (
    Rule(
        "chime-invoke-permission-scoped",
        "Lambda permissions for voiceconnector.chime.amazonaws.com set sourceAccount and sourceArn.",
        check_chime_invoke_permission,
    ),
    Rule(
        "handler-roles-no-wildcard-actions",
        "IAM policies in the stack grant no wildcard actions.",
        check_no_wildcard_actions,
    ),
    Rule(
        "sip-rule-has-target",
        "Every SIP rule targets at least one SIP media application.",
        check_sip_rule_has_target,
    ),
    Rule(
        "phone-numbers-protected-in-prod",
        "Phone numbers are protected in stacks named prod.",
        check_phone_number_protected,
    ),
)
