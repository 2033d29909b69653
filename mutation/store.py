"""Per-module results in .mutation/<module>.sqlite: what each mutant did, against which code and tests."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
create table if not exists results (
    key text primary key, outcome text not null, line integer not null, operator text not null,
    diff text not null, source_sha text not null, tests_sha text not null, seconds real not null,
    killer text not null default '');
create table if not exists baselines (
    source_sha text not null, tests_sha text not null, seconds real not null,
    primary key (source_sha, tests_sha));
"""


@dataclass(frozen=True)
class Result:
    outcome: str  # killed | survived | incompetent (the mutant did not run: counts as killed)
    line: int
    operator: str
    diff: str
    source_sha: str
    tests_sha: str
    seconds: float
    killer: str = ""  # the first test that failed on the mutant


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("pragma table_info(results)")}
        if "killer" not in columns:  # a store written before killers were kept
            self._db.execute("alter table results add column killer text not null default ''")

    def close(self) -> None:
        self._db.close()

    def results(self) -> dict[str, Result]:
        rows = self._db.execute("select key, outcome, line, operator, diff, source_sha, tests_sha, seconds, "
                                "killer from results")
        return {row[0]: Result(*row[1:]) for row in rows}

    def record(self, key: str, result: Result) -> None:
        with self._db:
            self._db.execute("insert or replace into results values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (key, result.outcome, result.line, result.operator, result.diff,
                              result.source_sha, result.tests_sha, result.seconds, result.killer))

    def baseline(self, source_sha: str, tests_sha: str) -> float | None:
        row = self._db.execute("select seconds from baselines where source_sha = ? and tests_sha = ?",
                               (source_sha, tests_sha)).fetchone()
        return None if row is None else float(row[0])

    def record_baseline(self, source_sha: str, tests_sha: str, seconds: float) -> None:
        with self._db:
            self._db.execute("insert or replace into baselines values (?, ?, ?)",
                             (source_sha, tests_sha, seconds))
