"""Creates that are safe to retry although the API takes no client token: a create whose answer
was lost is looked up before it is sent again, so no resource is ever made twice."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from awsutil.classify import classify
from awsutil.retry import PROVISIONING, RetriesExhausted
from providers.errors import ProviderError

T = TypeVar("T")

# After a lost create response, a look-alike counts as ours only if created at most this long
# before we sent the create (clock-skew allowance): an older one is never adopted by mistake.
ADOPT_WINDOW = dt.timedelta(minutes=5)


def create_reconciled(create: Callable[[], T], lookup: Callable[[], T | None], what: str,
                      deadline: float | None = None) -> T:
    """Run a non-idempotent create at most once per certainty, within `deadline` seconds (the
    look-ups included).

    `create` must use a client with retries off. Throttling is retried (nothing was applied).
    After an ambiguous failure (a lost response, a 5xx) we wait, so an eventually consistent
    list can catch up, then `lookup`; we create again only if the resource is not there.
    """
    try:
        with PROVISIONING.operation(what, deadline) as budget:
            while True:
                started = time.monotonic()
                try:
                    return create()
                except Exception as exc:
                    kind = classify(exc)
                    if kind == "fatal":
                        raise
                    budget.retry_after(exc, time.monotonic() - started)
                    if kind == "ambiguous":
                        found = lookup()
                        if found is not None:
                            return found
    except RetriesExhausted as exc:
        raise ProviderError(str(exc)) from exc.last


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
