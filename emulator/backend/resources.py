"""Checks every resource kind shares: Region-scoped lookups, the request's Region, quotas."""

from __future__ import annotations

from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.tag_store import initial_tags
from emulator.errors import BadRequestError, NotFoundError, ResourceLimitExceededError
from emulator.store import Tx


def get_in_region(tx: Tx, kind: str, ident: str, region: str, noun: str) -> Doc:
    """The resource of `kind` stored in `region`, else NotFoundException (`noun` names the kind)."""
    doc = tx.get(kind, ident, region)
    if doc is None:
        raise NotFoundError(f"{noun} {ident} not found in {region}")
    return doc


def check_request_region(ctx: Ctx, region: str) -> None:
    """A resource lives in the Region of the endpoint that was called; naming another is an error."""
    if region != ctx.region:
        raise BadRequestError(f"awsRegion {region} does not match the Region of the request ({ctx.region})")


def check_quota(held: int, adding: int, limit: int, message: str) -> None:
    """ResourceLimitExceededException when `adding` more would take `held` past `limit`."""
    if held + adding > limit:
        raise ResourceLimitExceededError(message)


def check_regional_create(
    tx: Tx, kind: str, region: str, p: Params, limit: int, plural: str
) -> dict[str, str]:
    """What every create of a per-Region resource checks before writing: its Tags, then the Region's
    quota of `kind` (`plural` names the kind in the message). Returns the tags to store."""
    tags = initial_tags(p.get("Tags"))
    check_quota(tx.count(kind, region), 1, limit, f"The Region already has the maximum of {limit} {plural}")
    return tags
