"""The deterministic pool of phone numbers available to order, derived from `--seed`.

A fixed catalogue of number blocks (country, type, area code or toll-free prefix, city, state);
each block has a few seeded exchanges, and a number in them is available when a seeded hash says
so. Membership is therefore a pure function of (seed, number): the same seed always offers the
same numbers, in the same order, and ordering checks availability without storing the pool.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass

LOCAL, TOLL_FREE = "Local", "TollFree"
TOLL_FREE_PREFIXES = ("800", "833", "844", "855", "866", "877", "888")

# (country, area code, city, state) for local numbers; NANP only (+1).
_LOCAL_BLOCKS = (
    ("US", "206", "Seattle", "WA"),
    ("US", "212", "New York", "NY"),
    ("US", "213", "Los Angeles", "CA"),
    ("US", "303", "Denver", "CO"),
    ("US", "312", "Chicago", "IL"),
    ("US", "415", "San Francisco", "CA"),
    ("US", "425", "Bellevue", "WA"),
    ("US", "512", "Austin", "TX"),
    ("US", "617", "Boston", "MA"),
    ("US", "646", "New York", "NY"),
    ("CA", "416", "Toronto", "ON"),
    ("CA", "604", "Vancouver", "BC"),
)
_EXCHANGES_PER_BLOCK = 2
_AVAILABLE_ONE_IN = 3


@dataclass(frozen=True)
class Block:
    country: str
    number_type: str
    code: str  # area code or toll-free prefix
    city: str | None
    state: str | None
    exchanges: tuple[str, ...]


@dataclass(frozen=True)
class Criteria:
    number_type: str | None = None
    country: str = "US"
    toll_free_prefix: str | None = None
    area_code: str | None = None
    city: str | None = None
    state: str | None = None


class NumberPool:
    def __init__(self, seed: int) -> None:
        self._seed = seed
        rng = random.Random(f"pool:{seed}")
        blocks = [
            Block(country, LOCAL, code, city, state, self._exchanges(rng))
            for country, code, city, state in _LOCAL_BLOCKS
        ]
        blocks += [Block("US", TOLL_FREE, p, None, None, self._exchanges(rng)) for p in TOLL_FREE_PREFIXES]
        self._blocks = sorted(blocks, key=lambda b: b.code)
        self._by_code = {b.code: b for b in self._blocks}

    @staticmethod
    def _exchanges(rng: random.Random) -> tuple[str, ...]:
        # Exchanges 200-999, never N11 or 555 (service codes / fiction), sorted for a stable order.
        picks: set[str] = set()
        while len(picks) < _EXCHANGES_PER_BLOCK:
            ex = str(rng.randint(200, 999))
            if ex[1:] != "11" and ex != "555":
                picks.add(ex)
        return tuple(sorted(picks))

    def _available(self, digits: str) -> bool:
        h = hashlib.blake2b(f"{self._seed}:{digits}".encode(), digest_size=2).digest()
        return int.from_bytes(h, "big") % _AVAILABLE_ONE_IN == 0

    def lookup(self, e164: str) -> Block | None:
        """The block of an available number, or None if the pool does not offer it."""
        if not (e164.startswith("+1") and len(e164) == 12 and e164[1:].isdigit()):
            return None
        block = self._by_code.get(e164[2:5])
        if block is None or e164[5:8] not in block.exchanges or not self._available(e164[1:]):
            return None
        return block

    def offered(self) -> dict[str, tuple[str, ...]]:
        """Country → the number types the pool offers there (Local before TollFree)."""
        types: dict[str, set[str]] = {}
        for block in self._blocks:
            types.setdefault(block.country, set()).add(block.number_type)
        return {c: tuple(t for t in (LOCAL, TOLL_FREE) if t in found) for c, found in sorted(types.items())}

    def blocks(self, criteria: Criteria) -> list[Block]:
        def wanted(b: Block) -> bool:
            return (
                b.country == criteria.country
                and (criteria.number_type is None or b.number_type == criteria.number_type)
                and (criteria.toll_free_prefix is None or b.code == criteria.toll_free_prefix)
                and (criteria.area_code is None or (b.number_type == LOCAL and b.code == criteria.area_code))
                and (criteria.city is None or (b.city or "").lower() == criteria.city.lower())
                and (criteria.state is None or (b.state or "").lower() == criteria.state.lower())
            )

        return [b for b in self._blocks if wanted(b)]

    def numbers(self, criteria: Criteria, after: str | None = None) -> Iterator[str]:
        """Available numbers matching the criteria in ascending order, strictly after `after`."""
        for block in self.blocks(criteria):
            for exchange in block.exchanges:
                stem = f"1{block.code}{exchange}"
                if after is not None and f"+{stem}9999" <= after:
                    continue
                for line in range(10000):
                    digits = f"{stem}{line:04d}"
                    e164 = "+" + digits
                    if after is not None and e164 <= after:
                        continue
                    if self._available(digits):
                        yield e164
