"""The one place the providers get a chime-sdk-voice client and decide what is safe to retry.

Clients are built inside each provider call, never stored on a provider or pickled: a pickled
client cannot be unpickled (SSLContext) and would drag credentials into the state. Credentials
always come from the standard AWS chain at call time.

Retry policy (one loop, ours, bounded): botocore's retries are switched off because in
botocore 1.44 neither `standard` nor `adaptive` mode retries this service's throttling error
(ThrottledClientException is a modeled error without the `retryable` trait, so a 429 comes back
with RetryAttempts 0), and because botocore would resend a create whose response was lost.
- reads, updates and deletes (`Connection.client`) are retried on throttling, 5xx and connection
  errors: all are safe here (a repeated delete answers NotFound, which callers treat as done).
- creates are NOT idempotent (the API takes no client token), so they go out once per attempt
  through `create_reconciled`: throttling is retried (nothing was applied), while a lost
  response or a 5xx first looks the resource up and only creates again if it is not there.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

PROJECT = "chime-pstn-routing"
CONFIG_ENDPOINT = f"{PROJECT}:chimeEndpoint"
CONFIG_REGION = "aws:region"
SERVICE = "chime-sdk-voice"

# Total attempts per call. Every fault counts (throttle + error + drop: 0.4 in the fault tests),
# so all attempts fail together with p = 0.4**16 ~ 4e-7 (10 attempts gave 1e-4: seen in a bench).
MAX_ATTEMPTS = 16
# Base of the exponential backoff (seconds); botocore uses 1 s for throttling. Tests shrink it.
RETRY_BASE_ENV = "CHIME_PSTN_RETRY_BASE_SECONDS"
_MAX_BACKOFF = 20.0

# After a lost create response, a look-alike counts as ours only if created at most this long
# before we sent the create (clock-skew allowance): an older one is never adopted by mistake.
ADOPT_WINDOW = dt.timedelta(minutes=5)

THROTTLING_CODES = frozenset({"ThrottledClientException", "Throttling", "ThrottlingException",
                              "TooManyRequestsException"})

# boto3's default session is not safe to build clients from concurrently (the dynamic provider
# server has 4 worker threads); the lock guards creation only, never a stored client.
_CLIENT_LOCK = threading.Lock()


class ProviderError(Exception):
    """A failure the provider explains itself (shown to the user by the engine)."""


@dataclass(frozen=True)
class Connection:
    """Where to send calls: resolved by `configure()`; holds no credentials."""

    region: str | None = None
    endpoint_url: str | None = None

    @classmethod
    def from_config(cls, config: Any) -> Connection:
        """Read the stack config a dynamic provider receives in `configure(req)`.

        The engine sends dynamic providers the whole stack config with namespaces kept
        (`chime-pstn-routing:chimeEndpoint`, `aws:region`); full keys avoid relying on the
        provider process knowing the project name.
        """
        endpoint = config.get(CONFIG_ENDPOINT) if config is not None else None
        region = config.get(CONFIG_REGION) if config is not None else None
        return cls(region=str(region) if region else None, endpoint_url=str(endpoint) if endpoint else None)

    def resolve_region(self, requested: Any = None) -> str:
        """The resource's own `region`, else the stack's `aws:region`, else the AWS environment."""
        for candidate in (requested, self.region, os.environ.get("AWS_REGION"),
                          os.environ.get("AWS_DEFAULT_REGION")):
            if isinstance(candidate, str) and candidate:
                return candidate
        raise ProviderError("no AWS Region: set the resource's region, the stack config aws:region "
                            "or AWS_REGION")

    def client(self, region: str) -> RetryingClient:
        """A fresh chime-sdk-voice client; without `endpoint_url`, boto3 reads the standard env
        (AWS_ENDPOINT_URL_CHIME_SDK_VOICE / AWS_ENDPOINT_URL) itself. Its operations are retried
        by `call_with_retries`; `.once` is the same client sending each call exactly once."""
        import boto3
        from botocore.config import Config

        config = Config(
            retries={"mode": "standard", "total_max_attempts": 1},
            connect_timeout=10,
            read_timeout=60,
            user_agent_extra=PROJECT,
        )
        with _CLIENT_LOCK:
            client = boto3.client(SERVICE, region_name=region, endpoint_url=self.endpoint_url,  # type: ignore[call-overload]
                                  config=config)
        return RetryingClient(client)


class RetryingClient:
    """A botocore client whose operations are retried (for idempotent operations only)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.once = client  # no retries at all: for creates, through `create_reconciled`

    def __getattr__(self, name: str) -> Any:
        operation = getattr(self._client, name)
        if not callable(operation) or name.startswith(("get_paginator", "can_paginate", "close")):
            return operation

        def call(**params: Any) -> Any:
            return call_with_retries(lambda: operation(**params))

        return call


def call_with_retries(send: Callable[[], T], attempts: int = MAX_ATTEMPTS) -> T:
    """Send an idempotent request; retry throttling, 5xx and connection errors, bounded."""
    for attempt in range(attempts):
        try:
            return send()
        except Exception as exc:
            if classify(exc) == "fatal" or attempt == attempts - 1:
                raise
            time.sleep(backoff_seconds(attempt))
    raise AssertionError("unreachable")


def _response_field(exc: BaseException, section: str, key: str) -> Any:
    """A field of a botocore error's parsed response; None for other exceptions."""
    response = getattr(exc, "response", None)
    return response.get(section, {}).get(key) if isinstance(response, dict) else None


def error_code(exc: BaseException) -> str | None:
    code = _response_field(exc, "Error", "Code")
    return str(code) if code else None


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


def backoff_seconds(attempt: int, base: float | None = None) -> float:
    """Full-jitter exponential backoff: uniform(0, min(base * 2**attempt, 20 s))."""
    if base is None:
        base = float(os.environ.get(RETRY_BASE_ENV, "1.0"))
    return random.random() * min(base * 2**attempt, _MAX_BACKOFF)


def create_reconciled(create: Callable[[], T], lookup: Callable[[], T | None], what: str,
                      attempts: int = MAX_ATTEMPTS) -> T:
    """Run a non-idempotent create at most once per certainty.

    `create` must use a client with retries off. After an ambiguous failure we wait (so an
    eventually consistent list can catch up), then `lookup`; we create again only if the
    resource is not there.
    """
    last: BaseException | None = None
    for attempt in range(attempts):
        try:
            return create()
        except Exception as exc:
            kind = classify(exc)
            if kind == "fatal":
                raise
            last = exc
            time.sleep(backoff_seconds(attempt))
            if kind == "ambiguous":
                found = lookup()
                if found is not None:
                    return found
    raise ProviderError(f"{what}: gave up after {attempts} attempts; last error: {last}") from last


def created_since(item: dict[str, Any], sent_at: dt.datetime) -> bool:
    """Whether a listed resource may be the one a create sent at `sent_at` made (a resource
    without a `CreatedTimestamp` may be)."""
    created = item.get("CreatedTimestamp")
    return not isinstance(created, dt.datetime) or created >= sent_at - ADOPT_WINDOW


def find_created(listed: Iterable[dict[str, Any]], sent_at: dt.datetime,
                 matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    """The first listed resource that `matches` and may be what a create sent at `sent_at` made:
    the `lookup` of `create_reconciled` for resources that a list call shows."""
    return next((dict(item) for item in listed if matches(item) and created_since(item, sent_at)), None)


def paginate(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Items of a NextToken-paginated list call (works for operations without a paginator too)."""
    token: str | None = None
    while True:
        page = getattr(client, operation)(**params, **({"NextToken": token} if token else {}))
        yield from page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return
