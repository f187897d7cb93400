"""Graph values as the executor hands them to functions and to the result layer.

Inside the vectorized executor nodes and relationships are columns of dense
integer ids; when an expression needs a whole entity (a function argument, a
returned node) it is materialized into one of these small objects. Equality
and hashing are by identity (``id``), as Cypher compares entities.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Node", "Path", "Relationship"]


@dataclass(frozen=True, eq=False, slots=True)
class Node:
    """A node: dense ``id`` within the statement's snapshot, its stable ``key`` (a UUID string)."""

    id: int
    labels: tuple[str, ...]
    properties: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("node", self.id))


@dataclass(frozen=True, eq=False, slots=True)
class Relationship:
    """A relationship from ``start`` to ``end`` (dense node ids) of one ``type``."""

    id: int
    type: str
    start: int
    end: int
    properties: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Relationship) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("rel", self.id))


@dataclass(frozen=True, slots=True)
class Path:
    """A path: ``nodes`` has one more element than ``relationships``."""

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]

    def __post_init__(self) -> None:
        if len(self.nodes) != len(self.relationships) + 1:
            raise ValueError("a path has exactly one more node than relationships")

    def __len__(self) -> int:
        return len(self.relationships)
