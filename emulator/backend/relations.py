"""Questions and changes that span resource families, answered in one place: which rules target an
application, the rules on a Voice Connector host, whether a number is in inventory or assigned, the
numbers associated with a rule or a Voice Connector, how many numbers count against the quota, and
whether an ARN names a taggable resource.

The per-resource modules ask these here instead of importing each other, so the backend's imports
run one way: operation modules → this module → the store and `kinds`.
"""

from __future__ import annotations

from awsutil.arn import parse_arn
from emulator.backend.context import Doc
from emulator.backend.kinds import (
    ASSIGNED,
    INVENTORY_STATUSES,
    NUMBER,
    RELEASING,
    REQUEST_URI_HOSTNAME,
    RESERVED_NUMBER,
    RULE,
    SMA,
    UNASSIGNED,
    VOICE_CONNECTOR,
)
from emulator.store import Tx

# The resource types of taggable ARNs (`arn:aws:chime:<region>:<account>:<type>/<id>`).
_TAGGABLE = {"sma": SMA, "vc": VOICE_CONNECTOR}


# --- the resources themselves, by id ------------------------------------------------------------

def sip_media_application(tx: Tx, region: str, ident: str) -> Doc | None:
    return tx.get(SMA, ident, region)


def sip_rule(tx: Tx, region: str, ident: str) -> Doc | None:
    return tx.get(RULE, ident, region)


def voice_connector(tx: Tx, region: str, ident: str) -> Doc | None:
    return tx.get(VOICE_CONNECTOR, ident, region)


# --- rules and what they point at ---------------------------------------------------------------

def rules_targeting(tx: Tx, sma_id: str, sma_region: str) -> list[Doc]:
    """Every rule, in any Region, with the application among its targets (enabled or not)."""
    def targets_it(target: Doc) -> bool:
        return bool(target["SipMediaApplicationId"] == sma_id and target["AwsRegion"] == sma_region)

    return [r for r in tx.list(RULE) if any(targets_it(t) for t in r["TargetApplications"])]


def rules_for_host(tx: Tx, region: str, host: str) -> list[Doc]:
    """The Region's RequestUriHostname rules on `host` (host names compare case-insensitively)."""
    wanted = host.lower()
    return [r for r in tx.list(RULE, region)
            if r["TriggerType"] == REQUEST_URI_HOSTNAME and r["TriggerValue"].lower() == wanted]


def voice_connector_hosts(tx: Tx, region: str) -> set[str]:
    """The outbound host names of the Region's Voice Connectors, lower-cased."""
    return {vc["OutboundHostName"].lower() for vc in tx.list(VOICE_CONNECTOR, region)}


# --- numbers and what they are associated with ----------------------------------------------------

def with_plus(e164: str) -> str:
    """E.164 with its plus sign, as inventory ids and calls write numbers (requests may leave it out)."""
    return e164 if e164.startswith("+") else "+" + e164


def inventory_number(tx: Tx, e164: str) -> Doc | None:
    """The account's number if it is in inventory (Unassigned or Assigned; not in the deletion queue).
    Callers settle the inventory first (`settling.settle`)."""
    number = tx.get(NUMBER, with_plus(e164))
    return number if number is not None and number["Status"] in INVENTORY_STATUSES else None


def numbers_held(tx: Tx) -> int:
    """Numbers counted against the account's quota: inventory outside the deletion queue, plus the
    numbers orders are acquiring."""
    held = sum(1 for n in tx.list(NUMBER) if n["Status"] != RELEASING)
    return held + tx.count(RESERVED_NUMBER)


def is_assigned(number: Doc) -> bool:
    """Whether anything (a SIP rule, a Voice Connector) uses the number."""
    return bool(number["Associations"]) or number["Status"] == ASSIGNED


def association(number: Doc) -> tuple[str, str] | None:
    """(name, value) of what the number is associated with, or None."""
    found = number["Associations"]
    return (found[0]["Name"], found[0]["Value"]) if found else None


def numbers_associated(tx: Tx, name: str, value: str) -> list[Doc]:
    """The account's numbers associated with (`name`, `value`), e.g. ("VoiceConnectorId", id)."""
    return [n for n in tx.list(NUMBER)
            if any(a["Name"] == name and a["Value"] == value for a in n["Associations"])]


def associate(tx: Tx, number: Doc, name: str, value: str, now: float) -> Doc:
    """Make (`name`, `value`) the number's one association, status Assigned; stores and returns it."""
    number["Associations"] = [{"Name": name, "Value": value, "AssociatedTimestamp": now}]
    number["Status"] = ASSIGNED
    number["UpdatedTimestamp"] = now
    tx.put(NUMBER, number["PhoneNumberId"], number)
    return number


def dissociate(tx: Tx, number: Doc, name: str, value: str, now: float) -> Doc:
    """Remove the association (`name`, `value`); with none left an Assigned number becomes
    Unassigned (a number in the deletion queue keeps its status). Stores and returns it."""
    number["Associations"] = [a for a in number["Associations"]
                              if not (a["Name"] == name and a["Value"] == value)]
    if number["Status"] == ASSIGNED and not number["Associations"]:
        number["Status"] = UNASSIGNED
    number["UpdatedTimestamp"] = now
    tx.put(NUMBER, number["PhoneNumberId"], number)
    return number


# --- tagging ------------------------------------------------------------------------------------

def taggable_resource(tx: Tx, account_id: str, resource_arn: str) -> Doc | None:
    """The SIP media application or Voice Connector of this account that the ARN names, or None."""
    arn = parse_arn(resource_arn)
    if arn is None or arn.service != "chime" or arn.account != account_id:
        return None
    kind = _TAGGABLE.get(arn.resource_type)
    return None if kind is None else tx.get(kind, arn.resource_id, arn.region)
