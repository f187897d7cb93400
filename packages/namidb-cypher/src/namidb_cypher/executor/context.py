"""The state one statement runs with: its graph view, parameters and entity cache."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from namidb_cypher.errors import EntityNotFoundError
from namidb_cypher.executor.frame import Column, values_column
from namidb_cypher.graph.txgraph import TxGraph
from namidb_cypher.schema import Schema
from namidb_cypher.values import Node, Path, Relationship

__all__ = ["ExecContext", "Procedure"]


@dataclass(frozen=True)
class Procedure:
    """A registered procedure: named input and output columns and a function producing rows."""

    name: str
    inputs: tuple[tuple[str, str], ...]  # (name, type)
    outputs: tuple[tuple[str, str], ...]
    fn: Callable[[Sequence[Any]], list[dict[str, Any]]]


@dataclass
class ExecContext:
    """Everything an operator needs besides its input frame."""

    graph: TxGraph
    params: Mapping[str, Any]
    procedures: Mapping[str, Procedure] = field(default_factory=dict)
    #: Run the optimizer's rules (False: the naive plan, for oracle tests).
    optimize: bool = True
    #: The graph's constraints and indexes (the optimizer turns indexed equalities into seeks).
    schema: Schema = field(default_factory=Schema)
    #: When set (PROFILE), every operator's output rows and seconds, by operator identity.
    profile: dict[int, list[Any]] | None = None
    _nodes: dict[int, Node] = field(default_factory=dict)
    _rels: dict[int, Relationship] = field(default_factory=dict)

    def record(self, operator: object, rows: int, seconds: float) -> None:
        """Count one execution of ``operator`` when profiling."""
        if self.profile is None:
            return
        entry = self.profile.setdefault(id(operator), [operator, 0, 0.0, 0])
        entry[1] += rows
        entry[2] += seconds
        entry[3] += 1

    def wrote(self) -> None:
        """Forget materialized entities after a write (they may be stale now)."""
        self._nodes.clear()
        self._rels.clear()

    # -- entities as Python values ------------------------------------------------------------
    def node(self, node_id: int) -> Node:
        """The node ``node_id`` as a value (labels and properties as of now)."""
        node = self._nodes.get(node_id)
        if node is None:
            g = self.graph
            if g.node_deleted(node_id):
                node = Node(node_id, (), {}, g.node_key(node_id))
            else:
                ids = np.array([node_id], dtype=np.int64)
                node = Node(node_id, g.node_labels(ids)[0], g.node_properties(node_id), g.node_key(node_id))
            self._nodes[node_id] = node
        return node

    def rel(self, rel_id: int) -> Relationship:
        """The relationship ``rel_id`` as a value."""
        rel = self._rels.get(rel_id)
        if rel is None:
            g = self.graph
            types, src, dst = g.rel_info(np.array([rel_id], dtype=np.int64))
            props = {} if g.rel_deleted(rel_id) else g.rel_properties(rel_id)
            rel = Relationship(rel_id, types[0], int(src[0]), int(dst[0]), props, g.rel_key(rel_id))
            self._rels[rel_id] = rel
        return rel

    def path(self, ids: tuple[tuple[int, ...], tuple[int, ...]] | None) -> Path | None:
        """A path value from its node and relationship ids."""
        if ids is None:
            return None
        nodes, rels = ids
        return Path(tuple(self.node(n) for n in nodes), tuple(self.rel(r) for r in rels))

    def check_live_node(self, node_id: int) -> None:
        """Raise if a node deleted by this statement is read."""
        if self.graph.node_deleted(node_id):
            raise EntityNotFoundError(
                "the node was deleted earlier in this statement", code="DeletedEntityAccess", phase="runtime"
            )

    def check_live_rel(self, rel_id: int) -> None:
        """Raise if a relationship deleted by this statement is read."""
        if self.graph.rel_deleted(rel_id):
            raise EntityNotFoundError(
                "the relationship was deleted earlier in this statement",
                code="DeletedEntityAccess",
                phase="runtime",
            )

    # -- columns <-> Python values --------------------------------------------------------------
    def to_python(self, column: Column) -> list[Any]:
        """Every row of ``column`` as a Python value (entities materialized)."""
        if column.kind == "node":
            return [None if i < 0 else self.node(i) for i in column.data.tolist()]
        if column.kind == "rel":
            return [None if i < 0 else self.rel(i) for i in column.data.tolist()]
        if column.kind == "rels":
            return [None if v is None else [self.rel(r) for r in v] for v in column.data]
        if column.kind == "path":
            return [self.path(v) for v in column.data]
        return column.to_list()

    def from_python(self, values: Sequence[Any]) -> Column:
        """A column from Python values; all-node or all-relationship values become entity columns."""
        kinds = {type(v) for v in values if v is not None}
        if kinds == {Node}:
            return Column(
                "node", np.fromiter((-1 if v is None else v.id for v in values), np.int64, len(values))
            )
        if kinds == {Relationship}:
            return Column(
                "rel", np.fromiter((-1 if v is None else v.id for v in values), np.int64, len(values))
            )
        return values_column(values)
