"""What every backend operation gets besides its parameters: `Ctx`, the request's context (the
configuration, the caller's Region, the request's clock reading, work to run after commit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.backend.service_config import Config

Doc = dict[str, Any]
Params = dict[str, Any]


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
