"""SIP rules: per Region; a trigger (a number or a Voice Connector host) routed to 1-25 targets."""

from __future__ import annotations

from typing import Any

from emulator.backend import relations
from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.ids import new_guid
from emulator.backend.kinds import DIAL_IN, NUMBER, RULE, SIP_RULE_ID, SMA, TO_PHONE_NUMBER
from emulator.backend.list_pages import list_answer
from emulator.backend.resources import get_in_region
from emulator.backend.settling import settle
from emulator.errors import BadRequestError, ConflictError
from emulator.store import Tx


def _get(tx: Tx, ctx: Ctx, ident: str) -> Doc:
    return get_in_region(tx, RULE, ident, ctx.region, "SIP rule")


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
        if relations.sip_media_application(tx, region, sma_id) is None:
            raise BadRequestError(f"{where}.sipMediaApplicationId: SIP media application {sma_id} "
                                  f"does not exist in {region}")
        regions.add(region)
        priorities.add(priority)
        checked.append({"SipMediaApplicationId": sma_id, "Priority": priority, "AwsRegion": region})
    return sorted(checked, key=lambda t: t["Priority"])


def _check_trigger(tx: Tx, ctx: Ctx, trigger_type: str, value: str) -> str:
    if trigger_type == TO_PHONE_NUMBER:
        settle(tx, ctx)
        number = relations.inventory_number(tx, value)
        if number is None:
            raise BadRequestError("triggerValue must be a phone number in the account's inventory")
        if number["ProductType"] != DIAL_IN:
            raise BadRequestError(
                "triggerValue: the phone number's product type must be SipMediaApplicationDialIn")
        if relations.is_assigned(number):
            raise ConflictError("triggerValue: the phone number is already used by another SIP rule")
        return str(number["PhoneNumberId"])
    # The docs say the value "can be the outbound host name of a Voice Connector"; the emulator
    # insists on one of this account's Voice Connectors in the rule's Region (the stricter reading).
    if value.lower() not in relations.voice_connector_hosts(tx, ctx.region):
        raise BadRequestError(
            f"triggerValue must be the outbound host name of a Voice Connector in {ctx.region}")
    if relations.rules_for_host(tx, ctx.region, value):
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
        number = tx.get(NUMBER, trigger_value)
        assert number is not None
        relations.associate(tx, number, SIP_RULE_ID, ident, ctx.now)
    return {"SipRule": rule}


def get_sip_rule(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    return {"SipRule": _get(tx, ctx, p["SipRuleId"])}


def list_sip_rules(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    rules = tx.list(RULE, ctx.region)
    sma_id = p.get("SipMediaApplicationId")
    if sma_id is not None:
        get_in_region(tx, SMA, sma_id, ctx.region, "SIP media application")
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
        number = tx.get(NUMBER, rule["TriggerValue"])
        if number is not None:
            relations.dissociate(tx, number, SIP_RULE_ID, rule["SipRuleId"], ctx.now)
    return {}


OPERATIONS: dict[str, Any] = {
    "CreateSipRule": create_sip_rule,
    "GetSipRule": get_sip_rule,
    "ListSipRules": list_sip_rules,
    "UpdateSipRule": update_sip_rule,
    "DeleteSipRule": delete_sip_rule,
}
