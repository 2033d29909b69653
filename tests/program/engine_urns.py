"""The URNs and alias matches the Pulumi engine would compute for a program run under mocks.

The mock monitor names a resource with only its parent's last type and keeps the root stack's type
(`pulumi:pulumi:Stack$...`); the engine uses the parent's whole type chain and leaves the root stack
out. State holds the engine's URNs, so anything said about existing stacks is said with these.

Alias matching follows the engine's step generator: a resource is looked up in the old state under
its own URN first, then under each alias; an alias spec's empty fields mean "as the resource is
now"; an alias naming a parent that was itself found under an alias means that parent's old URN;
and a child of a resource found under an alias also tries the old URN it would have had under that
old parent (with the parent's old name substituted when the child's name starts with the parent's).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from testbed.program_mocks import PROJECT, STACK_TYPE, AliasSpec, ProgramRun, Registration


def qualified_type(urn: str) -> str:
    return urn.split("::")[2]


def urn_type(urn: str) -> str:
    return qualified_type(urn).rsplit("$", 1)[-1]


def urn_name(urn: str) -> str:
    return urn.split("::", 3)[3]


def make_urn(stack: str, parent: str, typ: str, name: str, project: str = PROJECT) -> str:
    """The engine's URN: the parent's whole type chain, the root stack left out."""
    chain = qualified_type(parent) if parent and urn_type(parent) != STACK_TYPE else ""
    return f"urn:pulumi:{stack}::{project}::{f'{chain}${typ}' if chain else typ}::{name}"


@dataclass
class Match:
    registration: Registration
    urn: str  # the engine's URN for it
    aliases: list[str]  # every alias URN the engine would try, in its order
    old: str | None  # the old URN it takes over (its own URN when unchanged); None: a new resource


class EngineView:
    """One run's registrations seen as the engine sees them, matched against an old state's URNs."""

    def __init__(self, run: ProgramRun, olds: Collection[str]) -> None:
        self.run = run
        self.olds = set(olds)
        self._by_mock = {r.urn: r for r in run.registrations}
        self._urn: dict[str, str] = {}  # mock URN → engine URN
        self._found_under_alias: dict[str, str] = {}  # engine URN → old URN matched through an alias
        self.matches: list[Match] = []
        for registration in run.registrations:
            self._visit(registration)

    def aliases_of(self, urn: str) -> list[str]:
        (match,) = [m for m in self.matches if m.urn == urn]
        return match.aliases

    def urn(self, mock_urn: str) -> str:
        """The engine URN of a registered resource (or the root stack's URN, unchanged)."""
        if mock_urn in self._urn:
            return self._urn[mock_urn]
        if mock_urn not in self._by_mock:
            return mock_urn  # the root stack: make_urn leaves it out of the chain
        self._visit(self._by_mock[mock_urn])
        return self._urn[mock_urn]

    def _visit(self, reg: Registration) -> None:
        if reg.urn in self._urn:
            return
        parent = self.urn(reg.parent) if reg.parent else ""
        urn = make_urn(self.run.stack, parent, reg.type, reg.name)
        self._urn[reg.urn] = urn
        aliases = self._aliases(reg, urn, parent)
        old = next((candidate for candidate in [urn, *aliases] if candidate in self.olds), None)
        if old is not None and old != urn:
            self._found_under_alias[urn] = old
        self.matches.append(Match(reg, urn, aliases, old))

    def _collapse(self, reg: Registration, parent: str, alias: AliasSpec) -> str:
        if alias.urn:
            return alias.urn
        alias_parent = parent
        if alias.parent_urn:
            alias_parent = self.urn(alias.parent_urn)
            alias_parent = self._found_under_alias.get(alias_parent, alias_parent)
        if alias.no_parent:
            alias_parent = ""
        return make_urn(alias.stack or self.run.stack, alias_parent, alias.type or reg.type,
                        alias.name or reg.name, project=alias.project or PROJECT)

    def _aliases(self, reg: Registration, urn: str, parent: str) -> list[str]:
        found: list[str] = []
        for alias in reg.aliases:
            found.append(self._collapse(reg, parent, alias))
        parent_old = self._found_under_alias.get(parent)
        if parent_old is not None:
            parent_name = urn_name(parent)
            for typ, name in [(reg.type, reg.name)] + [(urn_type(a), urn_name(a)) for a in list(found)]:
                if name.startswith(parent_name):
                    name = urn_name(parent_old) + name[len(parent_name):]
                found.append(make_urn(self.run.stack, parent_old, typ, name))
        return list(dict.fromkeys(a for a in found if a != urn))
