"""The one place the providers get a chime-sdk-voice client, and what that client retries.

Clients are built inside each provider call, never stored on a provider or pickled: a pickled
client cannot be unpickled (SSLContext) and would drag credentials into the state. Credentials
always come from the standard AWS chain at call time.

Retries follow `awsutil.retry.PROVISIONING` (botocore's own are off; that module says why):
- reads, updates and deletes (`Connection.client`) are retried on throttling, 5xx and connection
  errors: all are safe here (a repeated delete answers NotFound, which callers treat as done).
- creates are NOT idempotent (the API takes no client token), so they go out once per attempt
  through `providers.reconcile.create_reconciled`, on the client's `.once`.
Each API operation, its retries included, ends within the deadline: the stack config's
`chime-pstn-routing:apiDeadlineSeconds`, else `CHIME_PSTN_API_DEADLINE_SECONDS`, else 300 s. Giving
up is a `ProviderError` naming the operation, the attempts and the time spent.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from awsutil.classify import classify
from awsutil.endpoint_url import endpoint_problem
from awsutil.retry import PROVISIONING, RetriesExhausted, deadline_problem
from awsutil.service_model import CHIME_SDK_VOICE
from providers.errors import ProviderError

T = TypeVar("T")

PROJECT = "chime-pstn-routing"
CONFIG_ENDPOINT = f"{PROJECT}:chimeEndpoint"
CONFIG_REGION = "aws:region"
CONFIG_DEADLINE = f"{PROJECT}:apiDeadlineSeconds"

# boto3's default session is not safe to build clients from concurrently (the dynamic provider
# server has 4 worker threads); the lock guards creation only, never a stored client.
_CLIENT_LOCK = threading.Lock()


@dataclass(frozen=True)
class Connection:
    """Where to send calls: resolved by `configure()`; holds no credentials."""

    region: str | None = None
    endpoint_url: str | None = None
    deadline_seconds: float | None = None  # None: the environment's, else PROVISIONING's default

    @classmethod
    def from_config(cls, config: Any) -> Connection:
        """Read the stack config a dynamic provider receives in `configure(req)`.

        The engine sends dynamic providers the whole stack config with namespaces kept
        (`chime-pstn-routing:chimeEndpoint`, `aws:region`); full keys avoid relying on the
        provider process knowing the project name.
        """
        endpoint = config.get(CONFIG_ENDPOINT) if config is not None else None
        region = config.get(CONFIG_REGION) if config is not None else None
        deadline = config.get(CONFIG_DEADLINE) if config is not None else None
        # The program's settings refuse these first; the providers read the raw config, so again.
        problem = endpoint_problem(str(endpoint)) if endpoint else None
        if problem:
            raise ProviderError(f"{CONFIG_ENDPOINT}: {problem}")
        problem = deadline_problem(str(deadline)) if deadline else None
        if problem:
            raise ProviderError(f"{CONFIG_DEADLINE}: {problem}, got {str(deadline)[:60]!r}")
        return cls(region=str(region) if region else None, endpoint_url=str(endpoint) if endpoint else None,
                   deadline_seconds=float(str(deadline)) if deadline else None)

    def resolve_region(self, requested: Any = None) -> str:
        """The resource's own `region`, else the stack's `aws:region`, else the AWS environment."""
        for candidate in (requested, self.region, os.environ.get("AWS_REGION"),
                          os.environ.get("AWS_DEFAULT_REGION")):
            if isinstance(candidate, str) and candidate:
                return candidate
        raise ProviderError("no AWS Region: set the resource's region, the stack config aws:region "
                            "or AWS_REGION")

    def inventory(self) -> str:
        """Which phone number inventory calls reach: "aws" (one per account, across Regions), or
        the endpoint (an emulator) that stack config or the environment names."""
        return (self.endpoint_url or os.environ.get("AWS_ENDPOINT_URL_CHIME_SDK_VOICE")
                or os.environ.get("AWS_ENDPOINT_URL") or "aws")

    def client(self, region: str) -> RetryingClient:
        """A fresh chime-sdk-voice client; without `endpoint_url`, boto3 reads the standard env
        (AWS_ENDPOINT_URL_CHIME_SDK_VOICE / AWS_ENDPOINT_URL) itself. Its operations are retried
        by `call_with_retries`; `.once` is the same client sending each call exactly once."""
        import boto3

        deadline = PROVISIONING.deadline(self.deadline_seconds)
        config = PROVISIONING.client_config(deadline, user_agent_extra=PROJECT)
        with _CLIENT_LOCK:
            client = boto3.client(CHIME_SDK_VOICE, region_name=region,  # type: ignore[call-overload]
                                  endpoint_url=self.endpoint_url, config=config)
        return RetryingClient(client, deadline)


class RetryingClient:
    """A botocore client whose operations are retried (for idempotent operations only), each
    within `deadline` seconds."""

    def __init__(self, client: Any, deadline: float | None = None) -> None:
        self._client = client
        self.deadline = PROVISIONING.deadline(deadline)
        self.once = client  # no retries at all: for creates, through `create_reconciled`

    def __getattr__(self, name: str) -> Any:
        operation = getattr(self._client, name)
        if not callable(operation) or name.startswith(("get_paginator", "can_paginate", "close")):
            return operation
        api_name = self._client.meta.method_to_api_mapping.get(name, name)

        def call(**params: Any) -> Any:
            return call_with_retries(lambda: operation(**params), api_name, self.deadline)

        return call


def call_with_retries(send: Callable[[], T], what: str = "request", deadline: float | None = None) -> T:
    """Send an idempotent request; retry throttling, 5xx and connection errors until `deadline`."""
    try:
        return PROVISIONING.call(send, lambda exc: classify(exc) != "fatal", what, deadline)
    except RetriesExhausted as exc:
        raise ProviderError(str(exc)) from exc.last
