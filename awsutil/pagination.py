"""Client-side pagination of NextToken-paged list calls (also for operations botocore has no
paginator for)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any


def paginate(send: Callable[..., Mapping[str, Any]], key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """The items under `key` of every page `send(**params, NextToken=...)` answers, in order.

    `send` is the operation itself (a retrying client's method, or a wrapper adding retries)."""
    token: str | None = None
    while True:
        page = send(**params, **({"NextToken": token} if token else {}))
        yield from page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return
