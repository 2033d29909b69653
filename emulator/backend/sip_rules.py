"""SIP rules: per Region; a trigger (a number or a Voice Connector host) routed to 1-25 targets."""

from __future__ import annotations

from typing import Any

from emulator.backend import phone_numbers as numbers
from emulator.backend import sip_media_applications as smas
from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.ids import new_guid
from emulator.backend.list_pages import list_answer
from emulator.backend.resources import get_in_region
from emulator.errors import BadRequestError, ConflictError
from emulator.store import Tx

RULE = "sip-rule"
TO_PHONE_NUMBER, REQUEST_URI_HOSTNAME = "ToPhoneNumber", "RequestUriHostname"


def find(tx: Tx, region: str, ident: str) -> Doc | None:
    return tx.get(RULE, ident, region)


def _get(tx: Tx, ctx: Ctx, ident: str) -> Doc:
    return get_in_region(tx, RULE, ident, ctx.region, "SIP rule")


def rules_for_host(tx: Tx, region: str, host: str) -> list[Doc]:
    """The Region's RequestUriHostname rules on `host` (host names compare case-insensitively)."""
    wanted = host.lower()
    return [r for r in tx.list(RULE, region)
            if r["TriggerType"] == REQUEST_URI_HOSTNAME and r["TriggerValue"].lower() == wanted]


def rules_targeting(tx: Tx, sma_id: str, sma_region: str) -> list[Doc]:
    def targets_it(target: Doc) -> bool:
        return bool(target["SipMediaApplicationId"] == sma_id and target["AwsRegion"] == sma_region)

    return [r for r in tx.list(RULE) if any(targets_it(t) for t in r["TargetApplications"])]


def _targets(tx: Tx, ctx: Ctx, targets: list[Doc]) -> list[Doc]:
    checked: list[Doc] = []
    regions: set[str] = set()
    priorities: set[int] = set()
    for i, target in enumerate(targets, start=1):
        where = f"targetApplications.{i}.member"
        sma_id, priority = target.get("SipMediaApplicationId"), target.get("Priority")
        if sma_id is None:
            raise BadRequestError(f"{where}.sipMediaApplicationId is required")
        if priority is None:
            raise BadRequestError(f"{where}.priority is required")
        # AwsRegion is optional in the model: a target without one is in the request's Region.
        region = target.get("AwsRegion") or ctx.region
        if region in regions:
            raise BadRequestError(
                f"{where}.awsRegion: only one SIP media application per AWS Region can be used "
                f"in a rule ({region})")
        if priority in priorities:
            raise BadRequestError(f"{where}.priority: each target needs a distinct priority ({priority})")
        if smas.find(tx, region, sma_id) is None:
            raise BadRequestError(f"{where}.sipMediaApplicationId: SIP media application {sma_id} "
                                  f"does not exist in {region}")
        regions.add(region)
        priorities.add(priority)
        checked.append({"SipMediaApplicationId": sma_id, "Priority": priority, "AwsRegion": region})
    return sorted(checked, key=lambda t: t["Priority"])


def _check_trigger(tx: Tx, ctx: Ctx, trigger_type: str, value: str) -> str:
    if trigger_type == TO_PHONE_NUMBER:
        numbers.settle(tx, ctx)
        e164 = value if value.startswith("+") else "+" + value
        number = numbers.inventory_number(tx, e164)
        if number is None:
            raise BadRequestError("triggerValue must be a phone number in the account's inventory")
        if number["ProductType"] != numbers.DIAL_IN:
            raise BadRequestError(
                "triggerValue: the phone number's product type must be SipMediaApplicationDialIn")
        if number["Associations"]:
            raise ConflictError("triggerValue: the phone number is already used by another SIP rule")
        return e164
    from emulator.backend.voice_connectors import VOICE_CONNECTOR

    # The docs say the value "can be the outbound host name of a Voice Connector"; the emulator
    # insists on one of this account's Voice Connectors in the rule's Region (the stricter reading).
    hosts = {vc["OutboundHostName"].lower() for vc in tx.list(VOICE_CONNECTOR, ctx.region)}
    if value.lower() not in hosts:
        raise BadRequestError(
            f"triggerValue must be the outbound host name of a Voice Connector in {ctx.region}")
    if rules_for_host(tx, ctx.region, value):
        raise ConflictError("triggerValue: the host name is already used by another SIP rule")
    return value


def create_sip_rule(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    targets = _targets(tx, ctx, p["TargetApplications"])
    trigger_type = p["TriggerType"]
    trigger_value = _check_trigger(tx, ctx, trigger_type, p["TriggerValue"])
    ident = new_guid()
    rule: Doc = {
        "SipRuleId": ident,
        "Name": p["Name"],
        "Disabled": bool(p.get("Disabled", False)),
        "TriggerType": trigger_type,
        "TriggerValue": trigger_value,
        "TargetApplications": targets,
        "CreatedTimestamp": ctx.now,
        "UpdatedTimestamp": ctx.now,
    }
    tx.put(RULE, ident, rule, ctx.region)
    if trigger_type == TO_PHONE_NUMBER:
        number = tx.get(numbers.NUMBER, trigger_value)
        assert number is not None
        number["Associations"] = [{"Name": "SipRuleId", "Value": ident, "AssociatedTimestamp": ctx.now}]
        number["Status"] = "Assigned"
        number["UpdatedTimestamp"] = ctx.now
        tx.put(numbers.NUMBER, trigger_value, number)
    return {"SipRule": rule}


def get_sip_rule(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    return {"SipRule": _get(tx, ctx, p["SipRuleId"])}


def list_sip_rules(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    rules = tx.list(RULE, ctx.region)
    sma_id = p.get("SipMediaApplicationId")
    if sma_id is not None:
        get_in_region(tx, smas.SMA, sma_id, ctx.region, "SIP media application")
        rules = [r for r in rules
                 if any(t["SipMediaApplicationId"] == sma_id for t in r["TargetApplications"])]
    return list_answer("SipRules", rules, p)


def update_sip_rule(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    rule = _get(tx, ctx, p["SipRuleId"])
    # Name is required by the model even when only Disabled changes; the trigger never changes.
    rule["Name"] = p["Name"]
    if "TargetApplications" in p:
        rule["TargetApplications"] = _targets(tx, ctx, p["TargetApplications"])
    if "Disabled" in p:
        rule["Disabled"] = bool(p["Disabled"])
    rule["UpdatedTimestamp"] = ctx.now
    tx.put(RULE, rule["SipRuleId"], rule, ctx.region)
    return {"SipRule": rule}


def delete_sip_rule(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    rule = _get(tx, ctx, p["SipRuleId"])
    # "You must disable SIP rules before you can delete them" (model docs): enforced.
    if not rule["Disabled"]:
        raise ConflictError(f"SIP rule {rule['SipRuleId']} is enabled: disable it before deleting it")
    tx.delete(RULE, rule["SipRuleId"])
    if rule["TriggerType"] == TO_PHONE_NUMBER:
        number = tx.get(numbers.NUMBER, rule["TriggerValue"])
        if number is not None:
            number["Associations"] = [
                a for a in number["Associations"] if a.get("Value") != rule["SipRuleId"]]
            if number["Status"] == "Assigned" and not number["Associations"]:
                number["Status"] = "Unassigned"
            number["UpdatedTimestamp"] = ctx.now
            tx.put(numbers.NUMBER, number["PhoneNumberId"], number)
    return {}


OPERATIONS: dict[str, Any] = {
    "CreateSipRule": create_sip_rule,
    "GetSipRule": get_sip_rule,
    "ListSipRules": list_sip_rules,
    "UpdateSipRule": update_sip_rule,
    "DeleteSipRule": delete_sip_rule,
}
