"""Tags on SIP media applications and Voice Connectors, stored by resource ARN."""

from __future__ import annotations

from typing import Any

from awsutil.arn import parse_arn
from emulator.backend.context import Ctx, Doc, Params
from emulator.errors import BadRequestError, NotFoundError, ResourceLimitExceededError
from emulator.store import Tx

TAGS = "tags"
MAX_TAGS = 50


def check_new_tags(existing: dict[str, str], tags: list[Doc]) -> dict[str, str]:
    """`existing` with `tags` applied, checked: distinct keys, at most MAX_TAGS in all."""
    keys = [t["Key"] for t in tags]
    if len(set(keys)) != len(keys):
        raise BadRequestError("tags contains the same key more than once")
    merged = {**existing, **{t["Key"]: t["Value"] for t in tags}}
    if len(merged) > MAX_TAGS:
        raise ResourceLimitExceededError(f"A resource can have at most {MAX_TAGS} tags")
    return merged


def initial_tags(tags: list[Doc] | None) -> dict[str, str]:
    """A create request's Tags, checked (before anything is written)."""
    return check_new_tags({}, tags) if tags is not None else {}


def store_tags(tx: Tx, resource_arn: str, tags: dict[str, str]) -> None:
    if tags:
        tx.put(TAGS, resource_arn, {"Tags": tags})


def delete_tagged(tx: Tx, kind: str, ident: str, resource_arn: str) -> None:
    """Delete a resource and, with it, its tags."""
    tx.delete(kind, ident)
    tx.delete(TAGS, resource_arn)


def _current(tx: Tx, resource_arn: str) -> dict[str, str]:
    current = tx.get(TAGS, resource_arn)
    return dict(current["Tags"]) if current is not None else {}


def _resource(tx: Tx, ctx: Ctx, resource_arn: str) -> None:
    from emulator.backend.sip_media_applications import SMA
    from emulator.backend.voice_connectors import VOICE_CONNECTOR

    arn = parse_arn(resource_arn)
    if arn is None or arn.service != "chime" or arn.account != ctx.account_id:
        raise NotFoundError("The resource ARN does not name a resource of this account")
    table = {"sma": SMA, "vc": VOICE_CONNECTOR}.get(arn.resource_type)
    if table is None or tx.get(table, arn.resource_id, arn.region) is None:
        raise NotFoundError("Resource not found")


def tag_resource(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    _resource(tx, ctx, p["ResourceARN"])
    tx.put(TAGS, p["ResourceARN"], {"Tags": check_new_tags(_current(tx, p["ResourceARN"]), p["Tags"])})
    return {}


def untag_resource(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    _resource(tx, ctx, p["ResourceARN"])
    removed = set(p["TagKeys"])
    tags = {k: v for k, v in _current(tx, p["ResourceARN"]).items() if k not in removed}
    tx.put(TAGS, p["ResourceARN"], {"Tags": tags})
    return {}


def list_tags_for_resource(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    _resource(tx, ctx, p["ResourceARN"])
    return {"Tags": [{"Key": k, "Value": v} for k, v in _current(tx, p["ResourceARN"]).items()]}


OPERATIONS: dict[str, Any] = {
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
