"""Custom SIP headers, as the Developer Guide page "Using SIP headers" and the CallAndBridge rows of
"Debugging unexpected ACTION_FAILED events" define them.

A header a Lambda or an API caller may send is named `x-...` (any case), `User-to-User` or
`Diversion`; names starting with an internal prefix (`x-amzn`, `x-vine`, `x-vc`, `x-canary`,
`x-voice`) are refused; a value is at most 2,048 characters; at most 20 headers (the API model's
limit for CreateSipMediaApplicationCall, applied to CallAndBridge too). The same names are the only
ones an inbound call exposes in `Participants[].SipHeaders`.

`sip_header_problem(headers)` is the one check, for CreateSipMediaApplicationCall (a
BadRequestException with its text) and CallAndBridge (ACTION_FAILED with `invalid_sip_headers`).
Stdlib-only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MAX_HEADERS = 20
MAX_VALUE_CHARS = 2048
RESERVED_PREFIXES = ("x-amzn", "x-vine", "x-vc", "x-canary", "x-voice")
NAMED_HEADERS = ("user-to-user", "diversion")
_TOKEN = re.compile(r"[A-Za-z0-9\-.!%*_+`'~]+")  # RFC 3261 token: what a header name may be made of


def exposed(name: str) -> bool:
    """A name the service passes on: `x-...` or one of the two named headers (any case)."""
    lowered = name.lower()
    return (lowered.startswith("x-") and len(lowered) > 2) or lowered in NAMED_HEADERS


def invalid_sip_headers(headers: Mapping[object, object]) -> list[str]:
    """The names (as given) of every header the service refuses, in the given order."""
    bad: list[str] = []
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            bad.append(str(name))
            continue
        lowered = name.lower()
        if (
            not exposed(name)
            or lowered.startswith(RESERVED_PREFIXES)
            or not isinstance(value, str)
            or len(value) > MAX_VALUE_CHARS
        ):
            bad.append(name)
    return bad


def sip_header_problem(headers: object) -> str | None:
    """None when `headers` (a SipHeaders map) is acceptable; else a sentence naming what is wrong."""
    if headers is None:
        return None
    if not isinstance(headers, Mapping):
        return "SipHeaders must be a map of header names to values"
    if len(headers) > MAX_HEADERS:
        return f"at most {MAX_HEADERS} SIP headers may be sent (got {len(headers)})"
    bad = invalid_sip_headers(headers)
    if bad:
        return f"invalid SIP header(s) provided: {', '.join(bad)}"
    return None


def inbound_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """What an inbound INVITE's headers show in the events: the exposed names that are not internal,
    names kept as sent."""
    return {
        name: value
        for name, value in headers.items()
        if exposed(name) and not name.lower().startswith(RESERVED_PREFIXES)
    }
