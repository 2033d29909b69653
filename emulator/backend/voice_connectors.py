"""Voice Connectors: per Region (3 by default), each with an OutboundHostName SIP rules can use."""

from __future__ import annotations

from typing import Any

from emulator.backend.context import Ctx, Doc, Params, new_voice_connector_id, paginate
from emulator.backend.tags import TAGS, check_new_tags
from emulator.errors import BadRequestError, ConflictError, NotFoundError, ResourceLimitExceededError
from emulator.store import Tx

VOICE_CONNECTOR = "voice-connector"


def _get(tx: Tx, ctx: Ctx, ident: str) -> Doc:
    vc = tx.get(VOICE_CONNECTOR, ident)
    if vc is None or vc["AwsRegion"] != ctx.region:
        raise NotFoundError(f"Voice Connector {ident} not found in {ctx.region}")
    return vc


def create_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    # AwsRegion defaults to us-east-1 (model docs). A Voice Connector lives in the Region of the
    # endpoint that was called, so a different AwsRegion, given or defaulted, is refused.
    region = p.get("AwsRegion") or "us-east-1"
    if region != ctx.region:
        raise BadRequestError(f"awsRegion {region} does not match the Region of the request ({ctx.region})")
    tags = p.get("Tags")
    if tags is not None:
        check_new_tags({}, tags)
    limit = ctx.config.voice_connectors_per_region
    if tx.count(VOICE_CONNECTOR, region) >= limit:
        raise ResourceLimitExceededError(f"The Region already has the maximum of {limit} Voice Connectors")
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
    if tags:
        tx.put(TAGS, vc["VoiceConnectorArn"], {"Tags": {t["Key"]: t["Value"] for t in tags}})
    return {"VoiceConnector": vc}


def get_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    return {"VoiceConnector": _get(tx, ctx, p["VoiceConnectorId"])}


def list_voice_connectors(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    page, token = paginate(tx.list(VOICE_CONNECTOR, ctx.region), p)
    out: Doc = {"VoiceConnectors": page}
    if token:
        out["NextToken"] = token
    return out


def delete_voice_connector(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    from emulator.backend.sip_rules import REQUEST_URI_HOSTNAME, RULE

    vc = _get(tx, ctx, p["VoiceConnectorId"])
    host = vc["OutboundHostName"].lower()
    users = [r["SipRuleId"] for r in tx.list(RULE, ctx.region)
             if r["TriggerType"] == REQUEST_URI_HOSTNAME and r["TriggerValue"].lower() == host]
    if users:
        raise ConflictError(
            f"Voice Connector {vc['VoiceConnectorId']} is used by SIP rule(s) {', '.join(users)}")
    tx.delete(VOICE_CONNECTOR, vc["VoiceConnectorId"])
    tx.delete(TAGS, vc["VoiceConnectorArn"])
    return {}


OPERATIONS: dict[str, Any] = {
    "CreateVoiceConnector": create_voice_connector,
    "GetVoiceConnector": get_voice_connector,
    "ListVoiceConnectors": list_voice_connectors,
    "DeleteVoiceConnector": delete_voice_connector,
}
