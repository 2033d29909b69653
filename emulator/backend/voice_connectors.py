"""Voice Connectors: per Region (3 by default), each with an OutboundHostName SIP rules can use."""

from __future__ import annotations

from typing import Any

from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.ids import new_voice_connector_id
from emulator.backend.list_pages import list_answer
from emulator.backend.resources import check_regional_create, check_request_region, get_in_region
from emulator.backend.tags import delete_tagged, store_tags
from emulator.errors import ConflictError
from emulator.store import Tx

VOICE_CONNECTOR = "voice-connector"


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


def delete_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    from emulator.backend.sip_rules import rules_for_host

    vc = _get(tx, ctx, p["VoiceConnectorId"])
    users = [r["SipRuleId"] for r in rules_for_host(tx, ctx.region, vc["OutboundHostName"])]
    if users:
        raise ConflictError(
            f"Voice Connector {vc['VoiceConnectorId']} is used by SIP rule(s) {', '.join(users)}")
    delete_tagged(tx, VOICE_CONNECTOR, vc["VoiceConnectorId"], vc["VoiceConnectorArn"])
    return {}


OPERATIONS: dict[str, Any] = {
    "CreateVoiceConnector": create_voice_connector,
    "GetVoiceConnector": get_voice_connector,
    "ListVoiceConnectors": list_voice_connectors,
    "DeleteVoiceConnector": delete_voice_connector,
}
