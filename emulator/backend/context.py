"""What every backend operation gets: the configuration, the caller's Region, the clock, ids."""

from __future__ import annotations

import base64
import secrets
import string
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from emulator.errors import BadRequestError
from emulator.pool import NumberPool

if TYPE_CHECKING:
    from emulator.calls.service import CallService

Doc = dict[str, Any]
Params = dict[str, Any]
T = TypeVar("T")

DEFAULT_MAX_RESULTS = 100  # the service's ResultMax ceiling; its default page size is undocumented


@dataclass
class Config:
    account_id: str = "123456789012"
    order_delay: float = 2.0
    phone_number_quota: int = 5
    sip_media_applications_per_region: int = 30
    voice_connectors_per_region: int = 3
    deletion_queue_seconds: float = 7 * 24 * 3600
    seed: int = 0
    pool: NumberPool = field(default_factory=lambda: NumberPool(0))
    calls: CallService | None = None
    clock: Callable[[], float] = time.time  # injectable so tests can let days pass


@dataclass
class Ctx:
    config: Config
    region: str
    now: float = 0.0
    # Work to run once the transaction has committed (e.g. handing a call to the simulator, which
    # reads state through the Directory from its own threads). Each gets and returns the output.
    after_commit: list[Callable[[Doc], Doc]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.now:
            self.now = self.config.clock()

    @property
    def account_id(self) -> str:
        return self.config.account_id


def new_guid() -> str:
    return str(uuid.uuid4())


def new_voice_connector_id() -> str:
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(22))


def encode_token(kind: str, value: str) -> str:
    """An opaque NextToken carrying `kind:value` (a list offset, the last number of a search page)."""
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


def paginate(items: Sequence[T], params: Params) -> tuple[list[T], str | None]:
    """One page of `items` by the request's MaxResults/NextToken; the token for the next page."""
    start = int(decode_token(params["NextToken"], "offset")) if params.get("NextToken") else 0
    size = params.get("MaxResults") or DEFAULT_MAX_RESULTS
    page = list(items[start:start + size])
    following = start + size
    return page, (encode_token("offset", str(following)) if following < len(items) else None)


def list_answer(member: str, items: Sequence[Doc], params: Params) -> Doc:
    """A List* answer: one page of `items` under `member`, plus NextToken when more follow."""
    page, token = paginate(items, params)
    out: Doc = {member: page}
    if token:
        out["NextToken"] = token
    return out
