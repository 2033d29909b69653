"""Tags as stored, by resource ARN: checked on the way in, written with a resource's create, and
deleted with it. The tagging operations themselves are in `tags`."""

from __future__ import annotations

from emulator.backend.context import Doc
from emulator.backend.kinds import TAGS
from emulator.errors import BadRequestError, ResourceLimitExceededError
from emulator.store import Tx

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


def current_tags(tx: Tx, resource_arn: str) -> dict[str, str]:
    current = tx.get(TAGS, resource_arn)
    return dict(current["Tags"]) if current is not None else {}


def store_tags(tx: Tx, resource_arn: str, tags: dict[str, str]) -> None:
    if tags:
        tx.put(TAGS, resource_arn, {"Tags": tags})


def delete_tagged(tx: Tx, kind: str, ident: str, resource_arn: str) -> None:
    """Delete a resource and, with it, its tags."""
    tx.delete(kind, ident)
    tx.delete(TAGS, resource_arn)
