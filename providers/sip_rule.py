"""SipRule: a Chime SDK SIP rule as a Pulumi dynamic resource.

Name, targets and `disabled` update in place (UpdateSipRule, which always needs Name); a trigger
change replaces, deleting the old rule first (the trigger a number or host routes by must not be
claimed twice). Delete disables an enabled rule first, as the service documents.

Create is idempotent across a lost result (the engine sends Create again after the CLI was
killed): a trigger routes to one rule only, so before creating it lists the Region's rules and
adopts the one with this trigger AND this name (its targets and `disabled` brought in line with
the inputs). A rule on the trigger under another name was made by another resource or by hand:
it is never taken, and the error names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from awsutil.classify import classify, error_code, is_not_found
from awsutil.pagination import paginate
from awsutil.retry import PROVISIONING, RetriesExhausted
from awsutil.service_model import member_shape, shape
from providers import adoptions
from providers import input_checks as v
from providers.base import ChimeProvider, input_keys, resource_props
from providers.diffing import differs
from providers.errors import ProviderError
from providers.reconcile import create_reconciled

TO_PHONE_NUMBER = "ToPhoneNumber"
REQUEST_URI_HOSTNAME = "RequestUriHostname"
# CreateSipRule right after the number or application was created can fail with a BadRequest
# that goes away (eventual consistency; other AWS deployment tools retry it for the same
# reason): retry it, bounded.
_TRANSIENT_BAD_REQUEST_ATTEMPTS = 5
_DELETE_ATTEMPTS = 6
KIND = "SipRule"


class SipRuleTarget(TypedDict):
    sip_media_application_id: pulumi.Input[str]
    priority: int
    region: str


@dataclass
class SipRuleArgs:
    name: pulumi.Input[str]
    trigger_type: pulumi.Input[str]
    trigger_value: pulumi.Input[str]
    targets: pulumi.Input[list[SipRuleTarget]]
    disabled: pulumi.Input[bool] = False
    region: pulumi.Input[str] | None = None


_INPUT_KEYS = input_keys(SipRuleArgs)


def _api_targets(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Targets for the API, ints restored (the engine sends 1.0), lowest priority first."""
    out = [{"SipMediaApplicationId": t["sip_media_application_id"], "Priority": int(t["priority"]),
            "AwsRegion": t["region"]} for t in targets]
    return sorted(out, key=lambda t: t["Priority"])


def _targets(api_targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({"sip_media_application_id": t["SipMediaApplicationId"], "priority": int(t["Priority"]),
                    "region": t["AwsRegion"]} for t in api_targets), key=lambda t: t["priority"])


def _targets_differ(old: Any, new: Any) -> bool:
    if v.contains_unknown(new) or not isinstance(new, list):
        return True
    return differs(old, sorted(new, key=lambda t: float(t.get("priority", 0))))


def _outputs(rule: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "sip_rule_id": rule["SipRuleId"],
        "name": rule.get("Name"),
        "trigger_type": rule.get("TriggerType"),
        "trigger_value": rule.get("TriggerValue"),
        "targets": _targets(rule.get("TargetApplications", [])),
        "disabled": bool(rule.get("Disabled", False)),
        "region": region,
    }


def _same_trigger(rule: dict[str, Any], trigger_type: str, trigger_value: str) -> bool:
    """Whether a listed rule routes this trigger (numbers with or without their +, host names in
    any case, as the service compares them)."""
    if rule.get("TriggerType") != trigger_type:
        return False
    listed = str(rule.get("TriggerValue", ""))
    if trigger_type == TO_PHONE_NUMBER:
        return listed.lstrip("+") == trigger_value.lstrip("+")
    return listed.lower() == trigger_value.lower()


def _target_failures(targets: Any) -> list[CheckFailure]:
    if v.is_unknown(targets):
        return []
    limits = member_shape("CreateSipRuleRequest", "TargetApplications")
    if not isinstance(targets, list) or not limits["min"] <= len(targets) <= limits["max"]:
        return [CheckFailure("targets", f"targets must be a list of {limits['min']} to {limits['max']} "
                                        "SIP media application targets")]
    failures: list[CheckFailure] = []
    priorities: dict[int, int] = {}
    regions: dict[str, int] = {}
    for i, target in enumerate(targets):
        where = f"targets[{i}]"
        if v.is_unknown(target):
            continue
        if not isinstance(target, dict):
            failures.append(CheckFailure("targets", f"{where} must be an object"))
            continue
        unknown_keys = set(target) - {"sip_media_application_id", "priority", "region"}
        if unknown_keys:
            failures.append(CheckFailure("targets", f"{where} has unknown keys {sorted(unknown_keys)}"))
        sma_id = target.get("sip_media_application_id")
        blank = not isinstance(sma_id, str) or not sma_id.strip()
        if sma_id is None or (not v.is_unknown(sma_id) and blank):
            failures.append(CheckFailure("targets", f"{where}.sip_media_application_id is required"))
        priority = target.get("priority")
        if not v.is_unknown(priority):
            number = v.as_int(priority)
            if number is None or number < shape("SipApplicationPriority")["min"]:
                failures.append(CheckFailure("targets", f"{where}.priority must be an integer >= 1; "
                                                        f"got {priority!r}"))
            elif number in priorities:
                failures.append(CheckFailure("targets", f"{where}.priority {number} repeats "
                                                        f"targets[{priorities[number]}]'s"))
            else:
                priorities[number] = i
        region = target.get("region")
        if region is None:
            failures.append(CheckFailure("targets", f"{where}.region is required"))
        elif not v.is_unknown(region):
            failures += [CheckFailure("targets", f"{where}.{f.reason}")
                         for f in v.region_failures("region", region)]
            if region in regions:
                failures.append(CheckFailure("targets", f"{where}.region {region} repeats "
                                                        f"targets[{regions[region]}]'s: one application "
                                                        "per Region per rule"))
            regions.setdefault(region, i)
    return failures


class SipRuleProvider(ChimeProvider):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures: list[CheckFailure] = []
        for required in ("name", "trigger_type", "trigger_value", "targets"):
            if news.get(required) is None:
                failures.append(CheckFailure(required, f"{required} is required"))
        if news.get("name") is not None:
            failures += v.string_failures("name", news["name"], shape("SipRuleName"))
        trigger_type = news.get("trigger_type")
        if trigger_type is not None:
            failures += v.string_failures("trigger_type", trigger_type, shape("SipRuleTriggerType"))
        value = news.get("trigger_value")
        if value is not None:
            if trigger_type == TO_PHONE_NUMBER:
                failures += v.e164_failures("trigger_value", value)
            elif trigger_type == REQUEST_URI_HOSTNAME:
                failures += v.hostname_failures("trigger_value", value)
        if news.get("targets") is not None:
            failures += _target_failures(news["targets"])
        if news.get("disabled") is not None:
            failures += v.bool_failures("disabled", news["disabled"])
        if news.get("region") is not None:
            failures += v.region_failures("region", news["region"])
        return CheckResult(news, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces = [k for k in ("trigger_type", "trigger_value") if differs(olds.get(k), news.get(k))]
        if differs(olds.get("region"), news.get("region") or self._default_region()):
            replaces.append("region")
        changed = [k for k in ("name",) if differs(olds.get(k), news.get(k))]
        if differs(bool(olds.get("disabled", False)), news.get("disabled", False)):
            changed.append("disabled")
        if _targets_differ(olds.get("targets"), news.get("targets")):
            changed.append("targets")
        # Delete first: the trigger (a number or host) is what the new rule and its traffic need.
        return DiffResult(changes=bool(replaces or changed), replaces=replaces,
                          delete_before_replace=bool(replaces))

    def create(self, props: dict[str, Any]) -> CreateResult:
        region = self._connection.resolve_region(props.get("region"))
        request = {
            "Name": props["name"],
            "TriggerType": props["trigger_type"],
            "TriggerValue": props["trigger_value"],
            "Disabled": bool(props.get("disabled", False)),
            "TargetApplications": _api_targets(props["targets"]),
        }
        client = self._connection.client(region)
        earlier = self._on_trigger(client, request)
        if earlier is not None and earlier.get("Name") != request["Name"]:
            raise ProviderError(
                f"SIP rule {earlier['SipRuleId']} (name {earlier.get('Name')!r}) already routes "
                f"{request['TriggerType']} {request['TriggerValue']}; it was not made by this resource "
                f"(named {request['Name']!r}), so it is left alone. Delete it, or give this resource its "
                "name to adopt it.")
        token = adoptions.new_token()
        if earlier is not None:
            rule = self._align(client, earlier, request)
            adoptions.took_over(KIND, rule["SipRuleId"], token)
            return CreateResult(rule["SipRuleId"], {**_outputs(rule, region), "create_token": token})

        def create() -> dict[str, Any]:
            with PROVISIONING.operation("CreateSipRule", client.deadline,
                                        attempts=_TRANSIENT_BAD_REQUEST_ATTEMPTS) as budget:
                while True:
                    try:
                        rule: dict[str, Any] = client.once.create_sip_rule(**request)["SipRule"]
                        return rule
                    except Exception as exc:
                        if error_code(exc) != "BadRequestException":
                            raise
                        if budget.attempts + 1 >= _TRANSIENT_BAD_REQUEST_ATTEMPTS:
                            raise  # not transient after all: the service's own message says why
                        budget.retry_after(exc)

        def lookup() -> dict[str, Any] | None:
            found = self._on_trigger(client, request)
            return found if found is not None and found.get("Name") == request["Name"] else None

        rule = create_reconciled(create, lookup, f"CreateSipRule {request['Name']!r}", client.deadline)
        adoptions.made(KIND, rule["SipRuleId"])
        return CreateResult(rule["SipRuleId"], {**_outputs(rule, region), "create_token": token})

    @staticmethod
    def _on_trigger(client: Any, request: dict[str, Any]) -> dict[str, Any] | None:
        """The Region's rule on this request's trigger, if any (a trigger routes to one rule)."""
        for rule in paginate(client.list_sip_rules, "SipRules"):
            if _same_trigger(rule, request["TriggerType"], request["TriggerValue"]):
                return dict(rule)
        return None

    @staticmethod
    def _align(client: Any, rule: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        """An adopted rule with the request's targets and `disabled`."""
        listed = _api_targets(_targets(rule.get("TargetApplications", [])))
        if listed == request["TargetApplications"] and bool(rule.get("Disabled")) == request["Disabled"]:
            return rule
        updated: dict[str, Any] = client.update_sip_rule(
            SipRuleId=rule["SipRuleId"], Name=request["Name"], Disabled=request["Disabled"],
            TargetApplications=request["TargetApplications"])["SipRule"]
        return updated

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        region = olds.get("region") or self._connection.resolve_region(news.get("region"))
        client = self._connection.client(region)
        rule = client.update_sip_rule(
            SipRuleId=id_,
            Name=news["name"],  # required by the API even when only Disabled changes
            Disabled=bool(news.get("disabled", False)),
            TargetApplications=_api_targets(news["targets"]),
        )["SipRule"]
        return UpdateResult({**_outputs(rule, region), "create_token": olds.get("create_token")})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        region = self._connection.resolve_region(props.get("region"))
        try:
            rule = self._connection.client(region).get_sip_rule(SipRuleId=id_)["SipRule"]
        except Exception as exc:
            if is_not_found(exc):
                return ReadResult("", {})
            raise
        outs = {**_outputs(rule, region), "create_token": props.get("create_token")}
        inputs = {k: outs[k] for k in _INPUT_KEYS}
        return ReadResult(id_, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if adoptions.handed_over(KIND, id_, props.get("create_token")):
            pulumi.log.warn(f"SIP rule {id_} was not deleted: its replacement took it over in this run")
            return
        region = self._connection.resolve_region(props.get("region"))
        client = self._connection.client(region)
        must_disable = not props.get("disabled", False)
        try:
            with PROVISIONING.operation(f"DeleteSipRule {id_}", client.deadline,
                                        attempts=_DELETE_ATTEMPTS) as budget:
                while True:
                    try:
                        if must_disable:
                            client.update_sip_rule(SipRuleId=id_, Name=props["name"], Disabled=True)
                            must_disable = False
                        client.delete_sip_rule(SipRuleId=id_)
                        return
                    except Exception as exc:
                        if is_not_found(exc):
                            return
                        # State said disabled but it was re-enabled outside Pulumi: disable, then retry.
                        if error_code(exc) in ("ConflictException", "BadRequestException"):
                            must_disable = True
                        elif classify(exc) == "fatal":
                            raise ProviderError(f"cannot delete SIP rule {id_}: {exc}") from exc
                        budget.retry_after(exc)
        except RetriesExhausted as exc:
            raise ProviderError(f"cannot delete SIP rule {id_}: {exc}") from exc.last


class SipRule(pulumi.dynamic.Resource, module="chime", name="SipRule"):
    sip_rule_id: pulumi.Output[str]
    name: pulumi.Output[str]
    trigger_type: pulumi.Output[str]
    trigger_value: pulumi.Output[str]
    targets: pulumi.Output[list[dict[str, Any]]]
    disabled: pulumi.Output[bool]
    region: pulumi.Output[str]
    create_token: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: SipRuleArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = resource_props(args, "sip_rule_id", "create_token")
        super().__init__(SipRuleProvider(), resource_name, props, opts)
