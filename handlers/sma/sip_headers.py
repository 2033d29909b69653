"""The SIP headers an outbound call leg may carry, checked before they are sent.

The Developer Guide ("Using SIP headers", "Debugging unexpected ACTION_FAILED events",
CreateSipMediaApplicationCall in the API reference): a header is a custom `x-` header, or
`User-to-User`, or `Diversion` (names case-insensitive); `x-amzn`, `x-vine`, `x-vc`, `x-canary` and
`x-voice` are the service's own; a value holds at most 2,048 characters; at most 20 headers.
CallAndBridge answers a broken header with ACTION_FAILED ("Invalid SIP header(s) provided").
"""

from __future__ import annotations

MAX_SIP_HEADERS = 20
MAX_SIP_HEADER_VALUE = 2048
NAMED_HEADERS = ("user-to-user", "diversion")
RESERVED_PREFIXES = ("x-amzn", "x-vine", "x-vc", "x-canary", "x-voice")


def sip_header_problem(name: str) -> str | None:
    """Why the service would refuse a header called `name`, or None when it is allowed."""
    lowered = name.lower()
    if lowered.startswith(RESERVED_PREFIXES):
        return f"is reserved by the service (no header may start with {', '.join(RESERVED_PREFIXES)})"
    if lowered in NAMED_HEADERS or (lowered.startswith("x-") and len(lowered) > 2):
        return None
    return "must be a custom header starting with x-, or User-to-User, or Diversion"


def check_sip_headers(where: str, headers: object) -> dict[str, str]:
    """A copy of `headers` if the service accepts every one, else ValueError naming the header."""
    if not isinstance(headers, dict):
        raise ValueError(f"{where}: must be an object of header names to string values")
    if len(headers) > MAX_SIP_HEADERS:
        raise ValueError(f"{where}: at most {MAX_SIP_HEADERS} headers (got {len(headers)})")
    for name, value in headers.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"{where}: header names must be non-empty strings (got {name!r})")
        problem = sip_header_problem(name)
        if problem is not None:
            raise ValueError(f"{where}.{name}: {problem}")
        if not isinstance(value, str):
            raise ValueError(f"{where}.{name}: must be a string (got {type(value).__name__})")
        if len(value) > MAX_SIP_HEADER_VALUE:
            raise ValueError(
                f"{where}.{name}: must be at most {MAX_SIP_HEADER_VALUE} characters (got {len(value)})")
    return dict(headers)
