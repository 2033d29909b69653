"""The routing graph `ops topology` draws: triggers → SIP rules → applications (by priority and
Region) → Lambdas. Built from stack outputs (no API call) or from the live API (Get/List calls)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from awsutil.arn import region_of
from awsutil.classify import error_code
from awsutil.pagination import paginate
from ops.clients import read
from ops.stack_outputs import StackOutputs


@dataclass(frozen=True)
class Application:
    application_id: str
    region: str
    name: str | None = None
    lambda_arns: tuple[str, ...] = ()
    found: bool = True


@dataclass(frozen=True)
class Target:
    application_id: str
    priority: int
    region: str


@dataclass(frozen=True)
class Rule:
    rule_id: str
    trigger_type: str | None  # ToPhoneNumber | RequestUriHostname | None (unknown from outputs)
    trigger_value: str | None
    targets: tuple[Target, ...]
    name: str | None = None
    disabled: bool = False


@dataclass(frozen=True)
class Routing:
    rules: tuple[Rule, ...]
    applications: dict[str, Application] = field(default_factory=dict)


def from_outputs(outputs: StackOutputs) -> Routing:
    """The stack's routing from its outputs alone. The program exports sipRuleIds in the order it
    declares rules: one per phoneNumbers entry, then the Voice Connector host rule if configured;
    every rule targets the primary application (priority 1) and the backup (priority 2)."""
    numbers = [str(n) for n in outputs.get("phoneNumbers") or []]
    rule_ids = [str(r) for r in outputs.require("sipRuleIds", "--live to read the rules from the API")]
    applications: dict[str, Application] = {}
    targets: list[Target] = []
    for priority, (id_key, arn_key) in enumerate(
        (
            ("sipMediaApplicationId", "callHandlerArn"),
            ("backupSipMediaApplicationId", "backupCallHandlerArn"),
        ),
        1,
    ):
        app_id = outputs.get(id_key)
        if not app_id:
            continue
        arn = outputs.get(arn_key)
        region = region_of(arn) or "?"
        applications[str(app_id)] = Application(str(app_id), region, lambda_arns=(str(arn),) if arn else ())
        targets.append(Target(str(app_id), priority, region))
    rules = []
    for index, rule_id in enumerate(rule_ids):
        if index < len(numbers):
            rules.append(Rule(rule_id, "ToPhoneNumber", numbers[index], tuple(targets)))
        else:
            rules.append(Rule(rule_id, "RequestUriHostname", None, tuple(targets)))
    return Routing(tuple(rules), applications)


def _rule(raw: dict[str, Any]) -> Rule:
    targets = tuple(
        Target(t["SipMediaApplicationId"], int(t.get("Priority", 0)), t.get("AwsRegion", "?"))
        for t in sorted(raw.get("TargetApplications", []), key=lambda t: t.get("Priority", 0))
    )
    return Rule(
        raw["SipRuleId"],
        raw.get("TriggerType"),
        raw.get("TriggerValue"),
        targets,
        name=raw.get("Name"),
        disabled=bool(raw.get("Disabled")),
    )


def _application(raw: dict[str, Any]) -> Application:
    return Application(
        raw["SipMediaApplicationId"],
        raw.get("AwsRegion", "?"),
        raw.get("Name"),
        tuple(e["LambdaArn"] for e in raw.get("Endpoints", []) if "LambdaArn" in e),
    )


def from_api(
    client_for: Callable[[str | None], Any], region: str | None, rule_ids: Sequence[str] | None = None
) -> Routing:
    """The live routing in `region`: every SIP rule (or just `rule_ids`), and each target
    application from its own Region (a backup target lives in another Region)."""
    from botocore.exceptions import ClientError

    client = client_for(region)
    if rule_ids is None:
        rules = [_rule(r) for r in paginate(partial(read, client.list_sip_rules), "SipRules", MaxResults=100)]
    else:
        rules = [_rule(read(client.get_sip_rule, SipRuleId=rule_id)["SipRule"]) for rule_id in rule_ids]
    listed = paginate(partial(read, client.list_sip_media_applications), "SipMediaApplications",
                      MaxResults=100)
    applications = {a.application_id: a for a in map(_application, listed)}
    clients = {client.meta.region_name: client}
    for rule in rules:
        for target in rule.targets:
            if target.application_id in applications:
                continue
            other = clients.setdefault(target.region, client_for(target.region))
            try:
                raw = read(other.get_sip_media_application, SipMediaApplicationId=target.application_id)
                applications[target.application_id] = _application(raw["SipMediaApplication"])
            except ClientError as err:
                if error_code(err) != "NotFoundException":
                    raise
                applications[target.application_id] = Application(
                    target.application_id, target.region, found=False
                )
    return Routing(tuple(rules), applications)
