"""What a create in this provider process took over instead of making, so that the delete the
engine sends next for the resource instance that held it before leaves it to its new holder.

A create adopts what an earlier attempt of the same resource made (after a lost result). The same
look-up also finds the live resource when the engine replaces one without a change that tells
old and new apart (`pulumi up --replace`, a tainted resource, `replaceWith`): it creates the
replacement first, then deletes the old instance, whose id is by then the adopted one. Both
happen in one `pulumi up`, hence in one provider process.

So every create returns a fresh `create_token` output, and a create that adopts records the id
with its token here. A delete whose resource carries another token (the old instance) skips the
API call and warns; a delete of the adopting instance itself (same token) deletes as usual.
Making an id afresh clears its record; a new provider process starts with none.
"""

from __future__ import annotations

import secrets
import threading
from typing import Any

_LOCK = threading.Lock()
_TAKEN: dict[tuple[str, str], str] = {}  # (resource type, id) -> the adopting create's token


def new_token() -> str:
    """A `create_token` output: different for every create."""
    return secrets.token_hex(8)


def took_over(kind: str, ident: str, token: str) -> None:
    """A create of `kind` adopted `ident` and returned `token`."""
    with _LOCK:
        _TAKEN[(kind, ident)] = token


def made(kind: str, ident: str) -> None:
    """A create of `kind` made `ident` afresh: no earlier takeover of that id applies any more."""
    with _LOCK:
        _TAKEN.pop((kind, ident), None)


def handed_over(kind: str, ident: str, token: Any) -> bool:
    """Whether a create of this process took `ident` over from the instance holding `token` (then
    that instance's delete must leave it alone)."""
    with _LOCK:
        holder = _TAKEN.get((kind, ident))
        if holder is None:
            return False
        del _TAKEN[(kind, ident)]  # either way the record is used: one old instance per takeover
        return holder != token


def forget() -> None:
    """Forget every takeover (what a new provider process knows)."""
    with _LOCK:
        _TAKEN.clear()
