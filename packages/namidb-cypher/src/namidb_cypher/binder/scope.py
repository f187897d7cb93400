"""Scopes: which variables a clause can see, and what each one is.

A :class:`Scope` is immutable; every clause produces a new one, so the bound
statement can hand the planner the exact scope before and after each clause.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from namidb_cypher.binder.types import ANY, NODE, PATH, RELATIONSHIP, CypherType

__all__ = ["VariableKind", "VariableInfo", "Scope", "kind_of"]

VariableKind = Literal["node", "relationship", "path", "value"]


def kind_of(t: CypherType) -> VariableKind:
    """The variable kind a static type implies (lists of relationships are values)."""
    if t == NODE:
        return "node"
    if t == RELATIONSHIP:
        return "relationship"
    if t == PATH:
        return "path"
    return "value"


@dataclass(frozen=True, slots=True)
class VariableInfo:
    """One variable: its name, static type and whether the user named it (vs. a generated name)."""

    name: str
    type: CypherType = ANY
    anonymous: bool = False

    @property
    def kind(self) -> VariableKind:
        """node / relationship / path / value."""
        return kind_of(self.type)


class Scope(Mapping[str, VariableInfo]):
    """An immutable, ordered name -> :class:`VariableInfo` mapping (ordered by first definition)."""

    __slots__ = ("_vars",)

    def __init__(self, variables: Mapping[str, VariableInfo] | None = None) -> None:
        self._vars: dict[str, VariableInfo] = dict(variables or {})

    def __getitem__(self, name: str) -> VariableInfo:
        return self._vars[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._vars)

    def __len__(self) -> int:
        return len(self._vars)

    def __repr__(self) -> str:
        inner = ", ".join(f"{v.name}: {v.type}" for v in self._vars.values())
        return f"Scope({inner})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scope) and self._vars == other._vars

    def __hash__(self) -> int:
        return hash(tuple(self._vars.items()))

    def with_vars(self, *infos: VariableInfo) -> Scope:
        """A new scope with ``infos`` added (replacing same-named entries)."""
        merged = dict(self._vars)
        for info in infos:
            merged[info.name] = info
        return Scope(merged)

    @property
    def visible(self) -> tuple[VariableInfo, ...]:
        """The user-named variables, in definition order (what ``RETURN *`` projects)."""
        return tuple(v for v in self._vars.values() if not v.anonymous)
