"""The two committed tables: which tests cover each module, and which mutants are equivalent."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Target:
    """One module to mutate and the tests that must catch its mutants."""

    module: str
    tests: tuple[str, ...]
    sample: float  # share of the mutants run (1.0: all of them); the same ones every run
    timeout: float  # seconds one test run may take before the mutant counts as killed (a hang)


@dataclass(frozen=True)
class Equivalent:
    """A mutant that no test can kill: the program behaves the same with it."""

    module: str
    line: str  # the source line it mutates, stripped (line numbers move; the text rarely does)
    operator: str  # cosmic-ray's operator name, e.g. core/NumberReplacer
    reason: str
    column: int | None = None  # where on the stripped line, when the operator applies more than once
    scope: str | None = None  # the enclosing class or function, when the same line appears elsewhere


def load_targets(path: Path = HERE / "modules.toml") -> dict[str, Target]:
    data = tomllib.loads(path.read_text())
    targets: dict[str, Target] = {}
    for module, entry in data["modules"].items():
        targets[module] = Target(module=module, tests=tuple(entry["tests"]),
                                 sample=float(entry.get("sample", 1.0)),
                                 timeout=float(entry.get("timeout", 120)))
    return targets


def load_equivalents(path: Path = HERE / "equivalent.toml") -> list[Equivalent]:
    data = tomllib.loads(path.read_text())
    return [Equivalent(module=e["module"], line=e["line"].strip(), operator=e["operator"],
                       reason=e["reason"], column=e.get("column"), scope=e.get("scope"))
            for e in data.get("equivalent", [])]
