"""Tags on SIP media applications and Voice Connectors, stored by resource ARN."""

from __future__ import annotations

from typing import Any

from emulator.backend.context import Ctx, Doc, Params
from emulator.errors import BadRequestError, NotFoundError, ResourceLimitExceededError
from emulator.store import Tx

TAGS = "tags"
MAX_TAGS = 50


def check_new_tags(existing: dict[str, str], tags: list[Doc]) -> dict[str, str]:
    keys = [t["Key"] for t in tags]
    if len(set(keys)) != len(keys):
        raise BadRequestError("tags contains the same key more than once")
    merged = {**existing, **{t["Key"]: t["Value"] for t in tags}}
    if len(merged) > MAX_TAGS:
        raise ResourceLimitExceededError(f"A resource can have at most {MAX_TAGS} tags")
    return merged


def _resource(tx: Tx, ctx: Ctx, resource_arn: str) -> None:
    from emulator.backend.sip_media_applications import SMA
    from emulator.backend.voice_connectors import VOICE_CONNECTOR

    parts = resource_arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "chime" or parts[4] != ctx.account_id:
        raise NotFoundError("The resource ARN does not name a resource of this account")
    kind, _, ident = parts[5].partition("/")
    table = {"sma": SMA, "vc": VOICE_CONNECTOR}.get(kind)
    doc = tx.get(table, ident) if table else None
    if doc is None or doc.get("AwsRegion") != parts[3]:
        raise NotFoundError("Resource not found")


def tag_resource(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    _resource(tx, ctx, p["ResourceARN"])
    current = tx.get(TAGS, p["ResourceARN"]) or {"Tags": {}}
    tx.put(TAGS, p["ResourceARN"], {"Tags": check_new_tags(current["Tags"], p["Tags"])})
    return {}


def untag_resource(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    _resource(tx, ctx, p["ResourceARN"])
    current = tx.get(TAGS, p["ResourceARN"]) or {"Tags": {}}
    tags = {k: v for k, v in current["Tags"].items() if k not in set(p["TagKeys"])}
    tx.put(TAGS, p["ResourceARN"], {"Tags": tags})
    return {}


def list_tags_for_resource(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    _resource(tx, ctx, p["ResourceARN"])
    current = tx.get(TAGS, p["ResourceARN"]) or {"Tags": {}}
    return {"Tags": [{"Key": k, "Value": v} for k, v in current["Tags"].items()]}


OPERATIONS: dict[str, Any] = {
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
