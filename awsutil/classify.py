"""Classify a failed AWS call: what the service answered, and whether repeating it is safe."""

from __future__ import annotations

from typing import Any

THROTTLING_CODES = frozenset({"ThrottledClientException", "Throttling", "ThrottlingException",
                              "TooManyRequestsException"})


def _response_field(exc: BaseException, section: str, key: str) -> Any:
    """A field of a botocore error's parsed response; None for other exceptions."""
    response = getattr(exc, "response", None)
    return response.get(section, {}).get(key) if isinstance(response, dict) else None


def error_code(exc: BaseException) -> str | None:
    code = _response_field(exc, "Error", "Code")
    return str(code) if code else None


def error_message(exc: BaseException) -> str | None:
    message = _response_field(exc, "Error", "Message")
    return str(message) if message is not None else None


def status_code(exc: BaseException) -> int | None:
    status = _response_field(exc, "ResponseMetadata", "HTTPStatusCode")
    return int(status) if status else None


def is_not_found(exc: BaseException) -> bool:
    return error_code(exc) == "NotFoundException" or status_code(exc) == 404


def is_throttling(exc: BaseException) -> bool:
    return error_code(exc) in THROTTLING_CODES or status_code(exc) == 429


def classify(exc: BaseException) -> str:
    """'unsent' (never reached the service), 'throttled' (refused, nothing applied),
    'ambiguous' (may have been applied: lost response, timeout, 5xx) or 'fatal'."""
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, HTTPClientError

    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
        return "unsent"
    if isinstance(exc, HTTPClientError | BotoConnectionError):
        return "ambiguous"
    if is_throttling(exc):
        return "throttled"
    status = status_code(exc)
    if status is not None and status >= 500:
        return "ambiguous"
    return "fatal"


def describe(exc: BaseException) -> str:
    """An error in a few words: `Code: message` for a service error (without botocore's
    "(reached max retries: 0)", which only says botocore's own retries were off), else its text."""
    code = error_code(exc)
    if code is None:
        return str(exc) or type(exc).__name__
    return f"{code}: {error_message(exc) or 'no message'}"
