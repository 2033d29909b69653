"""The one rule for a chime-sdk-voice endpoint URL given in stack config (`chimeEndpoint`): a
plain http(s) URL. Settings check it before anything is declared; the providers check it again
when the engine configures them, since they read the raw config."""

from __future__ import annotations

from urllib.parse import urlsplit


def endpoint_problem(value: str) -> str | None:
    """None for a plain http(s) URL (scheme, host, optional port and path), else what is wrong.

    Credentials, a query or a fragment are refused without echoing the value: a pre-signed or
    credentialed URL would otherwise be copied into the stack's config, state and logs.
    """
    if not value.isascii() or any(c.isspace() or not c.isprintable() for c in value):
        return "must be a plain URL: no white space, control or non-ASCII characters"
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError as exc:
        return f"{value!r} is not a URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{value!r} is not an http(s) URL such as http://127.0.0.1:8600"
    if "@" in parts.netloc:
        return "must not contain credentials; they would be stored in the stack's config and state"
    if "?" in value or "#" in value:
        return "must not have a query (?...) or fragment (#...): give the endpoint's scheme, host and port"
    return None
