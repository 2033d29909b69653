"""The emulated service's configuration: the account, quotas, order and calling-name delays, the
number pool, the call simulator (if any) and the clock. One per emulator process, shared by every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from emulator.pool import NumberPool

if TYPE_CHECKING:
    from emulator.calls.service import CallService


@dataclass
class Config:
    account_id: str = "123456789012"
    order_delay: float = 2.0
    phone_number_quota: int = 5
    sip_media_applications_per_region: int = 30
    voice_connectors_per_region: int = 3
    deletion_queue_seconds: float = 7 * 24 * 3600
    calling_name_delay: float = 5.0  # how long a number's calling-name update stays in progress
    calling_name_interval: float = 7 * 24 * 3600  # one calling-name update per number (or default) per 7 days
    seed: int = 0
    pool: NumberPool = field(default_factory=lambda: NumberPool(0))
    calls: CallService | None = None
    clock: Callable[[], float] = time.time  # injectable so tests can let days pass
