"""NextTokens: opaque to clients, carrying `kind:value` (a list offset, the last number of a
search page); a token of another kind, or not issued here, is a bad request."""

from __future__ import annotations

import base64

from emulator.errors import BadRequestError


def encode_token(kind: str, value: str) -> str:
    """An opaque NextToken carrying `kind:value`."""
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode()


def decode_token(token: str, kind: str) -> str:
    """The value of a token `encode_token(kind, ...)` made; anything else is a bad request."""
    try:
        found, _, value = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        found, value = "", ""
    if found != kind or not value.isdigit():
        raise BadRequestError("Invalid NextToken: the token was not issued by this service")
    return value
