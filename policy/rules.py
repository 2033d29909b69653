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
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CHIME_PRINCIPAL = "voiceconnector.chime.amazonaws.com"
PERMISSION_TYPE = "aws:lambda/permission:Permission"
ROLE_TYPE = "aws:iam/role:Role"
ROLE_POLICY_TYPE = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY_TYPE = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT_TYPE = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
SIP_RULE_TYPE = "pulumi-python:dynamic/chime:SipRule"
PHONE_NUMBER_TYPE = "pulumi-python:dynamic/chime:PhoneNumber"
SIP_MEDIA_APPLICATION_TYPE = "pulumi-python:dynamic/chime:SipMediaApplication"
LAMBDA_FUNCTION_TYPE = "aws:lambda/function:Function"
PROTECTED_STACKS: tuple[str, ...] = ("prod",)

# PSTN audio invokes a handler synchronously and waits 5 seconds for its answer before it retries
# the invocation (and hangs up after 20 seconds without one): a handler still running at 5 s has
# the same event delivered twice, so its Lambda timeout must be shorter than that wait.
SERVICE_WAIT_SECONDS = 5
# Lambda's own timeout when none is set.
LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3
# The stack config key holding the stack's Region, as the dynamic provider's inputs carry it.
STACK_REGION_KEY = "aws:region"
# What a Region name looks like (us-east-1, us-gov-west-1); anything else, such as the engine's
# placeholder for a value not known yet, is not judged.
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")

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
    for our dynamic resources), URN, whether the resource is `protect`ed, and the inputs of its
    provider. A dynamic resource's provider is the engine's default `pulumi-python` provider, whose
    inputs are the whole stack config with namespaced keys (`aws:region`): the one place a
    validator can read the stack's Region, since the engine hands a pack started through a language
    host no stack config of its own."""

    resource_type: str
    props: Mapping[str, Any]
    urn: str
    protect: bool = False
    provider_props: Mapping[str, Any] = field(default_factory=dict)

    @property
    def stack(self) -> str:
        # urn:pulumi:<stack>::<project>::<type>::<name>
        parts = self.urn.split(":", 2)
        return parts[2].split("::", 1)[0] if len(parts) == 3 else ""


def from_validation_args(args: Any) -> Resource:
    """Build a `Resource` from pulumi_policy's `ResourceValidationArgs` (duck-typed, so this module
    never imports pulumi_policy)."""
    opts = getattr(args, "opts", None)
    provider = getattr(args, "provider", None)
    provider_props = getattr(provider, "props", None)
    return Resource(
        resource_type=str(args.resource_type),
        props=args.props,
        urn=str(args.urn),
        protect=bool(getattr(opts, "protect", False)),
        provider_props=provider_props if provider_props is not None else {},
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


def _number(value: Any) -> float | None:
    """A numeric input; None for anything else (unset, or a placeholder not known yet)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def check_handler_timeout(resource: Resource) -> list[str]:
    """Every Lambda function in the stack is a PSTN audio call handler: it must time out before
    the service stops waiting for its answer, or a slow answer is acted on twice."""
    if resource.resource_type != LAMBDA_FUNCTION_TYPE:
        return []
    raw = resource.props.get("timeout")
    timeout = LAMBDA_DEFAULT_TIMEOUT_SECONDS if raw is None else _number(raw)
    if timeout is None or timeout < SERVICE_WAIT_SECONDS:
        return []
    return [
        f"Lambda timeout {raw:g} s is not below the {SERVICE_WAIT_SECONDS} s PSTN audio waits for a "
        f"handler's answer before it invokes the handler again: set it to at most "
        f"{SERVICE_WAIT_SECONDS - 1} s."
    ]


def lambda_region(arn: Any) -> str | None:
    """The Region of a Lambda function, version or alias ARN
    (`arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`); None for anything else."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":")
    if len(parts) < 7 or parts[0] != "arn" or parts[2] != "lambda" or parts[5] != "function":
        return None
    return parts[3] if _REGION.fullmatch(parts[3]) else None


def check_sip_media_application_lambda_region(resource: Resource) -> list[str]:
    """A SIP media application invokes a Lambda in its own Region only (the API reference of its
    endpoint says the function must be created in the application's Region). Its Region is its
    `region` input, else the stack's `aws:region`; a value not known yet (preview) passes."""
    if resource.resource_type != SIP_MEDIA_APPLICATION_TYPE:
        return []
    region = resource.props.get("region")
    if region is None:
        region = resource.provider_props.get(STACK_REGION_KEY)
    function_region = lambda_region(resource.props.get("lambda_arn"))
    if not isinstance(region, str) or not _REGION.fullmatch(region) or function_region is None:
        return []
    if function_region == region:
        return []
    return [
        f"SIP media application in {region} names a Lambda in {function_region}: PSTN audio invokes "
        f"only functions in the application's own Region (deploy the handler in {region})."
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
    Rule(
        "handler-timeout-below-service-wait",
        f"Lambda functions (the call handlers) time out in under the {SERVICE_WAIT_SECONDS} s PSTN audio "
        "waits for an answer.",
        check_handler_timeout,
    ),
    Rule(
        "sip-media-application-lambda-in-its-region",
        "Every SIP media application's Lambda is in the application's own Region.",
        check_sip_media_application_lambda_region,
    ),
)
