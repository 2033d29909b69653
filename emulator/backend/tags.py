"""Tags on SIP media applications and Voice Connectors: TagResource, UntagResource,
ListTagsForResource."""

from __future__ import annotations

from typing import Any

from emulator.backend import relations
from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.kinds import TAGS
from emulator.backend.tag_store import check_new_tags, current_tags
from emulator.errors import NotFoundError
from emulator.store import Tx


def _resource(tx: Tx, ctx: Ctx, resource_arn: str) -> None:
    if relations.taggable_resource(tx, ctx.account_id, resource_arn) is None:
        raise NotFoundError("Resource not found: the ARN names no SIP media application or Voice "
                            "Connector of this account")


def tag_resource(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    _resource(tx, ctx, p["ResourceARN"])
    tx.put(TAGS, p["ResourceARN"], {"Tags": check_new_tags(current_tags(tx, p["ResourceARN"]), p["Tags"])})
    return {}


def untag_resource(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    _resource(tx, ctx, p["ResourceARN"])
    removed = set(p["TagKeys"])
    tags = {k: v for k, v in current_tags(tx, p["ResourceARN"]).items() if k not in removed}
    tx.put(TAGS, p["ResourceARN"], {"Tags": tags})
    return {}


def list_tags_for_resource(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    _resource(tx, ctx, p["ResourceARN"])
    return {"Tags": [{"Key": k, "Value": v} for k, v in current_tags(tx, p["ResourceARN"]).items()]}


OPERATIONS: dict[str, Any] = {
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
