"""Voice Connectors: per Region (3 by default), each with an OutboundHostName SIP rules can use, a
logging configuration, and the VoiceConnector-product numbers associated with it.

Not emulated (they answer "not emulated"): origination, termination and its credentials,
streaming, emergency calling, proxy, external systems, Voice Connector groups.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awsutil.service_model import enum
from emulator.backend import relations
from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.ids import new_voice_connector_id
from emulator.backend.kinds import (
    VOICE_CONNECTOR,
    VOICE_CONNECTOR_ID,
    VOICE_CONNECTOR_LOGGING,
    VOICE_CONNECTOR_PRODUCT,
)
from emulator.backend.list_pages import list_answer
from emulator.backend.phone_number_errors import AssociationsExistError, phone_number_error
from emulator.backend.resources import check_regional_create, check_request_region, get_in_region
from emulator.backend.settling import settle
from emulator.backend.tag_store import delete_tagged, store_tags
from emulator.errors import BadRequestError, ConflictError, NotFoundError, ServiceError
from emulator.store import Tx

LOGGING_MEMBERS = ("EnableSIPLogs", "EnableMediaMetricLogs")


def _get(tx: Tx, ctx: Ctx, ident: str) -> Doc:
    return get_in_region(tx, VOICE_CONNECTOR, ident, ctx.region, "Voice Connector")


def create_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    # AwsRegion defaults to us-east-1 (model docs). A Voice Connector lives in the Region of the
    # endpoint that was called, so a different AwsRegion, given or defaulted, is refused.
    region = p.get("AwsRegion") or "us-east-1"
    check_request_region(ctx, region)
    tags = check_regional_create(tx, VOICE_CONNECTOR, region, p, ctx.config.voice_connectors_per_region,
                                 "Voice Connectors")
    ident = new_voice_connector_id()
    vc: Doc = {
        "VoiceConnectorId": ident,
        "AwsRegion": region,
        "Name": p["Name"],
        "OutboundHostName": f"{ident}.voiceconnector.chime.aws",
        "RequireEncryption": p["RequireEncryption"],
        "CreatedTimestamp": ctx.now,
        "UpdatedTimestamp": ctx.now,
        "VoiceConnectorArn": f"arn:aws:chime:{region}:{ctx.account_id}:vc/{ident}",
        "NetworkType": p.get("NetworkType", "IPV4_ONLY"),
    }
    if p.get("IntegrationType"):
        vc["IntegrationType"] = p["IntegrationType"]
    tx.put(VOICE_CONNECTOR, ident, vc, region)
    store_tags(tx, vc["VoiceConnectorArn"], tags)
    return {"VoiceConnector": vc}


def get_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    return {"VoiceConnector": _get(tx, ctx, p["VoiceConnectorId"])}


def list_voice_connectors(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    return list_answer("VoiceConnectors", tx.list(VOICE_CONNECTOR, ctx.region), p)


def update_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    vc = _get(tx, ctx, p["VoiceConnectorId"])
    # Name and RequireEncryption are both required by the model, even to change one of them.
    vc["Name"], vc["RequireEncryption"] = p["Name"], p["RequireEncryption"]
    vc["UpdatedTimestamp"] = ctx.now
    tx.put(VOICE_CONNECTOR, vc["VoiceConnectorId"], vc, vc["AwsRegion"])
    return {"VoiceConnector": vc}


def delete_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    vc = _get(tx, ctx, p["VoiceConnectorId"])
    ident = vc["VoiceConnectorId"]
    users = [r["SipRuleId"] for r in relations.rules_for_host(tx, ctx.region, vc["OutboundHostName"])]
    if users:
        raise ConflictError(f"Voice Connector {ident} is used by SIP rule(s) {', '.join(users)}")
    # "Any phone numbers associated with the Amazon Chime SDK Voice Connector must be disassociated
    # from it before it can be deleted" (API reference): ConflictException, in the model's list.
    if relations.numbers_associated(tx, VOICE_CONNECTOR_ID, ident):
        raise ConflictError(f"Voice Connector {ident} has phone numbers associated with it: disassociate "
                            "them before deleting it")
    delete_tagged(tx, VOICE_CONNECTOR, ident, vc["VoiceConnectorArn"])
    tx.delete(VOICE_CONNECTOR_LOGGING, ident)
    return {}


def list_available_voice_connector_regions(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    return {"VoiceConnectorRegions": list(enum("VoiceConnectorAwsRegion"))}


# --- logging configuration ----------------------------------------------------------------------

def put_voice_connector_logging_configuration(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    vc = _get(tx, ctx, p["VoiceConnectorId"])
    # A PUT replaces the configuration: a member left out is off. (Log delivery permissions, which
    # the service checks when SIP logs are enabled, are not modelled.)
    stored = {m: bool(p["LoggingConfiguration"].get(m, False)) for m in LOGGING_MEMBERS}
    tx.put(VOICE_CONNECTOR_LOGGING, vc["VoiceConnectorId"], stored, vc["AwsRegion"])
    return {"LoggingConfiguration": stored}


def get_voice_connector_logging_configuration(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    vc = _get(tx, ctx, p["VoiceConnectorId"])
    stored = tx.get(VOICE_CONNECTOR_LOGGING, vc["VoiceConnectorId"], vc["AwsRegion"])
    return {"LoggingConfiguration": stored if stored is not None else dict.fromkeys(LOGGING_MEMBERS, False)}


# --- phone numbers ------------------------------------------------------------------------------

def _requested_numbers(p: Params) -> list[str]:
    numbers = [relations.with_plus(n) for n in p["E164PhoneNumbers"]]
    # Stricter than the model (no minimum, duplicates unmentioned): both are refused as a whole.
    if not numbers:
        raise BadRequestError("e164PhoneNumbers must contain at least one phone number")
    if len(set(numbers)) != len(numbers):
        raise BadRequestError("e164PhoneNumbers contains the same phone number more than once")
    return numbers


def _inventory(tx: Tx, e164: str) -> Doc:
    number = relations.inventory_number(tx, e164)
    if number is None:
        raise NotFoundError("The phone number is not in the account's inventory")
    return number


def _associate_one(tx: Tx, ctx: Ctx, ident: str, e164: str, force: bool) -> None:
    number = _inventory(tx, e164)
    if number["ProductType"] != VOICE_CONNECTOR_PRODUCT:
        raise BadRequestError("The phone number's product type must be VoiceConnector")
    current = relations.association(number)
    if current == (VOICE_CONNECTOR_ID, ident):
        return  # already associated with this Voice Connector: nothing to do
    if current is not None:
        # ForceAssociate "removes any previously existing associations" (API reference); without it
        # "does not associate any phone numbers that have previously existing associations".
        if not force:
            raise AssociationsExistError(
                f"The phone number is already associated ({current[0]} {current[1]}); use ForceAssociate "
                "to move it")
        relations.dissociate(tx, number, current[0], current[1], ctx.now)
    relations.associate(tx, number, VOICE_CONNECTOR_ID, ident, ctx.now)


def _each_number(tx: Tx, ctx: Ctx, p: Params, one: Callable[[str, str], None]) -> Doc:
    """Applies `one(voice_connector_id, e164)` to every requested number; a number's refusal is
    reported in PhoneNumberErrors and does not stop the others."""
    ident = _get(tx, ctx, p["VoiceConnectorId"])["VoiceConnectorId"]
    numbers = _requested_numbers(p)
    settle(tx, ctx)
    errors: list[Doc] = []
    for e164 in numbers:
        try:
            one(ident, e164)
        except ServiceError as err:
            errors.append(phone_number_error(e164, err))
    return {"PhoneNumberErrors": errors}


def associate_phone_numbers_with_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    force = bool(p.get("ForceAssociate"))
    return _each_number(tx, ctx, p, lambda ident, e164: _associate_one(tx, ctx, ident, e164, force))


def _disassociate_one(tx: Tx, ctx: Ctx, ident: str, e164: str) -> None:
    number = _inventory(tx, e164)
    if relations.association(number) != (VOICE_CONNECTOR_ID, ident):
        raise NotFoundError(f"The phone number is not associated with Voice Connector {ident}")
    relations.dissociate(tx, number, VOICE_CONNECTOR_ID, ident, ctx.now)


def disassociate_phone_numbers_from_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    return _each_number(tx, ctx, p, lambda ident, e164: _disassociate_one(tx, ctx, ident, e164))


OPERATIONS: dict[str, Any] = {
    "CreateVoiceConnector": create_voice_connector,
    "GetVoiceConnector": get_voice_connector,
    "ListVoiceConnectors": list_voice_connectors,
    "UpdateVoiceConnector": update_voice_connector,
    "DeleteVoiceConnector": delete_voice_connector,
    "ListAvailableVoiceConnectorRegions": list_available_voice_connector_regions,
    "PutVoiceConnectorLoggingConfiguration": put_voice_connector_logging_configuration,
    "GetVoiceConnectorLoggingConfiguration": get_voice_connector_logging_configuration,
    "AssociatePhoneNumbersWithVoiceConnector": associate_phone_numbers_with_voice_connector,
    "DisassociatePhoneNumbersFromVoiceConnector": disassociate_phone_numbers_from_voice_connector,
}
