"""Server-side paging of List* answers: one page by the request's MaxResults and NextToken."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from emulator.backend.context import Doc, Params
from emulator.backend.next_tokens import decode_token, encode_token

T = TypeVar("T")

DEFAULT_MAX_RESULTS = 100  # the service's ResultMax ceiling; its default page size is undocumented


def page_of(items: Sequence[T], params: Params) -> tuple[list[T], str | None]:
    """One page of `items` by the request's MaxResults/NextToken; the token for the next page."""
    start = int(decode_token(params["NextToken"], "offset")) if params.get("NextToken") else 0
    size = params.get("MaxResults") or DEFAULT_MAX_RESULTS
    page = list(items[start:start + size])
    following = start + size
    return page, (encode_token("offset", str(following)) if following < len(items) else None)


def list_answer(member: str, items: Sequence[Doc], params: Params) -> Doc:
    """A List* answer: one page of `items` under `member`, plus NextToken when more follow."""
    page, token = page_of(items, params)
    out: Doc = {member: page}
    if token:
        out["NextToken"] = token
    return out
