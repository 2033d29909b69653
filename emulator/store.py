"""The emulator's state: one SQLite database of JSON documents, keyed by (kind, id).

Every API request runs inside one `transaction()`: a process-wide lock plus an SQLite transaction
that commits before the HTTP answer is written, so an acknowledged write survives `kill -9` (WAL
mode; the OS holds committed pages even if the process dies). The lock also makes concurrent
clients safe: requests are applied one at a time, in arrival order.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resource (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    doc TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS resource_kind_region ON resource (kind, region, seq);
"""

Doc = dict[str, Any]
Placed = list[tuple[str, Doc]]  # (Region, document) pairs


class Tx:
    """Document operations inside one open transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, kind: str, ident: str, region: str | None = None) -> Doc | None:
        """The document, or None; with `region`, only if it was stored in that Region."""
        if region is None:
            row = self._conn.execute(
                "SELECT doc FROM resource WHERE kind = ? AND id = ?", (kind, ident)).fetchone()
        else:
            row = self._conn.execute(
                "SELECT doc FROM resource WHERE kind = ? AND id = ? AND region = ?", (kind, ident, region)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, kind: str, ident: str, doc: Doc, region: str = "") -> None:
        """Insert or replace; a replaced document keeps its place in listing order."""
        self._conn.execute(
            "INSERT INTO resource (kind, id, region, doc) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, region = excluded.region",
            (kind, ident, region, json.dumps(doc, separators=(",", ":"))),
        )

    def delete(self, kind: str, ident: str) -> bool:
        cur = self._conn.execute("DELETE FROM resource WHERE kind = ? AND id = ?", (kind, ident))
        return cur.rowcount > 0

    def list(self, kind: str, region: str | None = None) -> list[Doc]:
        """Documents of a kind (in one Region if given), oldest first."""
        if region is None:
            rows = self._conn.execute("SELECT doc FROM resource WHERE kind = ? ORDER BY seq", (kind,))
        else:
            rows = self._conn.execute(
                "SELECT doc FROM resource WHERE kind = ? AND region = ? ORDER BY seq", (kind, region)
            )
        return [dict(json.loads(r[0])) for r in rows]

    def list_with_region(self, kind: str) -> Placed:
        """(Region, document) of every document of a kind, oldest first; the Region is the one it
        was stored under ("" for account-wide kinds)."""
        rows = self._conn.execute("SELECT region, doc FROM resource WHERE kind = ? ORDER BY seq", (kind,))
        return [(str(r[0]), dict(json.loads(r[1]))) for r in rows]

    def count(self, kind: str, region: str | None = None) -> int:
        if region is None:
            row = self._conn.execute("SELECT COUNT(*) FROM resource WHERE kind = ?", (kind,)).fetchone()
        else:
            row = self._conn.execute(
                "SELECT COUNT(*) FROM resource WHERE kind = ? AND region = ?", (kind, region)
            ).fetchone()
        return int(row[0])


class Store:
    def __init__(self, path: str | None = None) -> None:
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        if path:
            self._conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit is in the OS before we answer, which is what survives
            # `kill -9` (only a power loss could drop the last commits).
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._lock:
            if self._depth:  # re-entered from the same thread (e.g. a Directory read): join it
                yield Tx(self._conn)
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield Tx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth -= 1

    def reset(self) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM resource")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
