"""A resource's marker: `project.stack.resource`, which a create leaves on what it makes (a phone
number's Name, a SIP media application's tag) so that a later create of the same resource, after
its result was lost, recognises it and adopts it instead of making another.

The PhoneNumber and SipMediaApplication components compute it from the Pulumi project, stack and
resource name and pass it as an internal input; unique per stack resource, so what another
resource, stack or project made is never taken.
"""

from __future__ import annotations

import hashlib
import re

# One PhoneNumberName token (the strictest place a marker is written): letters, digits and ,._-
MARKER_PATTERN = r"[A-Za-z0-9,._-]+"
_OTHER_CHARS = re.compile(r"[^A-Za-z0-9,._-]+")


def resource_marker(project: str, stack: str, resource_name: str, max_length: int) -> str:
    """`project.stack.resource` as one MARKER_PATTERN token of at most `max_length` characters.

    Stable across runs; when characters had to be replaced or the name cut, a hash of the original
    is appended so that two names differing only there still get different markers.
    """
    raw = f"{project}.{stack}.{resource_name}"
    marker = _OTHER_CHARS.sub("-", raw)
    if marker != raw or len(marker) > max_length:
        marker = f"{marker[:max_length - 9]}-{hashlib.sha256(raw.encode()).hexdigest()[:8]}"
    return marker
