"""The order marker: what ties a phone number to the PhoneNumber resource that ordered it, so that
a later create (after a lost result or a timed-out order) adopts that number and no other.

Orders do not record the search they came from, and phone numbers carry no tags; what the
inventory does show is each number's Name, which CreatePhoneNumberOrder assigns. So every order a
PhoneNumber places is named `"<marker> <digest>"` (the *order name*):
- `marker` is the resource's marker (`providers.resource_marker`), an internal input derived from
  the Pulumi project, stack and resource name: unique per stack resource, so another resource's,
  stack's or project's number is never taken;
- `digest` hashes what identifies the resource's number (search or number, product type,
  Region: exactly the inputs whose change replaces it), so the number a replacement is about to
  release is never taken either.

No later update may erase it: whenever the provider writes a number's Name it writes
`"<name> <order name>"` (`number_name`), the user's `name` first, and reads the user's part back
with `user_name`. Only a person renaming the number by hand removes the marker; then the number
is no longer recognised (and never adopted by mistake). Names need not be unique, so the user's
`name` alone is never used to recognise a number.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from providers.resource_marker import MARKER_PATTERN, resource_marker

# The order name is "<marker> <12 hex digits>"; PhoneNumberName allows 256 characters.
DIGEST_LENGTH = 12
NAME_MAX = 256
MARKER_MAX = NAME_MAX - 1 - DIGEST_LENGTH
_DIGEST = re.compile(rf"[0-9a-f]{{{DIGEST_LENGTH}}}")


def default_order_marker(project: str, stack: str, resource_name: str) -> str:
    """The resource's marker, short enough to leave room for the digest in one PhoneNumberName."""
    return resource_marker(project, stack, resource_name, MARKER_MAX)


def order_name(props: dict[str, Any], region: str, product_type: str) -> str | None:
    """The Name this resource's orders carry; None without a marker (a provider driven directly)."""
    marker = props.get("order_marker")
    if not marker:
        return None
    search = props.get("search")
    identity = {
        "e164_phone_number": props.get("e164_phone_number"),
        "search": {k: v for k, v in sorted(search.items()) if v is not None} if search else None,
        "product_type": product_type,
        "region": region,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
    return f"{marker} {digest[:DIGEST_LENGTH]}"


def name_max(marker: str | None) -> int:
    """The longest `name` that fits beside this marker's order name in one PhoneNumberName."""
    return NAME_MAX if not marker else NAME_MAX - len(marker) - 2 - DIGEST_LENGTH


def number_name(name: str | None, ordered_as: str | None) -> str | None:
    """The Name to write on a number: the user's `name`, then the order name (either may be absent)."""
    parts = [part for part in (name, ordered_as) if part]
    return " ".join(parts) if parts else None


def _split(number_name_: Any) -> tuple[str, str, str] | None:
    """(user part, marker, digest) of a Name that ends in an order name, else None."""
    if not isinstance(number_name_, str):
        return None
    tokens = number_name_.split()
    if len(tokens) < 2 or not _DIGEST.fullmatch(tokens[-1]) or not re.fullmatch(MARKER_PATTERN, tokens[-2]):
        return None
    return " ".join(tokens[:-2]), tokens[-2], tokens[-1]


def carries(number_name_: Any, ordered_as: str) -> bool:
    """Whether a number's Name ends in this order name: an order of this resource made it."""
    parts = _split(number_name_)
    return parts is not None and f"{parts[1]} {parts[2]}" == ordered_as


def user_name(number_name_: Any, marker: str | None) -> str | None:
    """The user's part of a number's Name: without this resource's order name (if it ends in
    one); None when nothing else is there."""
    if not isinstance(number_name_, str) or not number_name_:
        return None
    parts = _split(number_name_)
    if parts is not None and marker and parts[1] == marker:
        return parts[0] or None
    return number_name_
