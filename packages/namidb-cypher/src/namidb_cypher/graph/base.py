"""What the executor needs from a graph: columnar reads by dense id, plus writes.

The executor never sees UUIDs, SSTs or the memtable. It sees a
:class:`GraphView`: nodes and relationships are **dense integer ids** (int64,
valid for one statement), read in bulk — a whole label's ids at once, one
property for a whole column of ids, the neighbours of a whole column of nodes
(CSR expansion). :class:`~namidb_cypher.graph.txgraph.TxGraph` implements it
over an immutable base snapshot plus the statement's own writes.

Property columns come back as pyarrow arrays when the values share a type
(so filters and aggregates run in pyarrow.compute) and as numpy object arrays
otherwise; both hold ``None`` for a missing property.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa

__all__ = ["BaseGraph", "Direction", "GraphView", "IdArray", "PropertyColumn", "in_sorted"]

IdArray: TypeAlias = npt.NDArray[np.int64]


def in_sorted(ids: IdArray, sorted_ids: IdArray) -> npt.NDArray[np.bool_]:
    """Per id, whether it is in ``sorted_ids`` (ascending, unique): ``np.isin`` by binary search.

    ``np.isin`` costs 70-90 µs even for one id (it sorts or tables both
    sides); one-row frames — a statement's point lookups and writes — call
    this several times each, so it is ~2.5 µs here.
    """
    if not len(sorted_ids) or not len(ids):
        return np.zeros(len(ids), dtype=bool)
    pos = np.searchsorted(sorted_ids, ids)
    pos[pos == len(sorted_ids)] = 0
    return np.asarray(sorted_ids[pos] == ids)


#: A property for a column of entities: a typed pyarrow array, or a numpy object array of mixed values.
PropertyColumn: TypeAlias = "pa.Array | npt.NDArray[np.object_]"


class Direction(enum.Enum):
    """Which way an expansion follows relationships, seen from the source node."""

    OUT = "out"
    IN = "in"
    BOTH = "both"


class BaseGraph(Protocol):
    """An immutable, columnar snapshot of a graph (what the storage engine provides).

    Node ids are ``0 .. node_capacity-1`` and relationship ids
    ``0 .. rel_capacity-1``; a snapshot may leave holes (deleted entities),
    which the scans never return.
    """

    @property
    def node_capacity(self) -> int:
        """One past the largest node id."""

    @property
    def rel_capacity(self) -> int:
        """One past the largest relationship id."""

    def labels(self) -> Sequence[str]:
        """Every label that has at least one node."""

    def rel_types(self) -> Sequence[str]:
        """Every relationship type that has at least one relationship."""

    def scan_nodes(self, label: str | None) -> IdArray:
        """The ids of every node (with ``label``), ascending."""

    def node_labels(self, ids: IdArray) -> list[tuple[str, ...]]:
        """Each node's labels (primary label first)."""

    def node_property(self, ids: IdArray, key: str) -> PropertyColumn:
        """One property for a column of nodes (None where absent)."""

    def node_properties(self, node_id: int) -> dict[str, Any]:
        """Every property of one node."""

    def node_key(self, node_id: int) -> str:
        """The node's stable UUID string."""

    def find_nodes(self, label: str, key: str, value: Any) -> IdArray | None:
        """Nodes of ``label`` whose ``key`` equals ``value`` via an index, or None if no index."""

    def expand(
        self, ids: IdArray, types: Sequence[str] | None, direction: Direction
    ) -> tuple[IdArray, IdArray, IdArray]:
        """Follow relationships from each node in ``ids``.

        Returns ``(row, rel, other)``: for every relationship found, the
        position in ``ids`` it was reached from, its id and the node at its
        other end. Rows come out grouped by ``row`` ascending.
        """

    def scan_rels(self, types: Sequence[str] | None) -> tuple[IdArray, IdArray, IdArray]:
        """Every relationship (of ``types``): ``(rel, src, dst)``."""

    def rel_info(self, ids: IdArray) -> tuple[list[str], IdArray, IdArray]:
        """Types, sources and targets of a column of relationships."""

    def rel_property(self, ids: IdArray, key: str) -> PropertyColumn:
        """One property for a column of relationships."""

    def rel_properties(self, rel_id: int) -> dict[str, Any]:
        """Every property of one relationship."""

    def rel_key(self, rel_id: int) -> str:
        """The relationship's stable key (hex string)."""


class GraphView(BaseGraph, Protocol):
    """A base graph plus one statement's writes, readable as one graph."""

    def create_node(self, labels: Sequence[str], props: Mapping[str, Any]) -> int:
        """Create a node; returns its id."""

    def create_rel(self, rel_type: str, src: int, dst: int, props: Mapping[str, Any]) -> int:
        """Create a relationship; returns its id."""

    def set_node_property(self, node_id: int, key: str, value: Any) -> None:
        """Set (or, with ``None``, remove) one property."""

    def set_rel_property(self, rel_id: int, key: str, value: Any) -> None:
        """Set (or, with ``None``, remove) one relationship property."""

    def add_labels(self, node_id: int, labels: Sequence[str]) -> None:
        """Add labels to a node."""

    def remove_labels(self, node_id: int, labels: Sequence[str]) -> None:
        """Remove labels from a node."""

    def delete_node(self, node_id: int, *, detach: bool) -> None:
        """Delete a node (and with ``detach`` its relationships)."""

    def delete_rel(self, rel_id: int) -> None:
        """Delete a relationship."""

    def node_deleted(self, node_id: int) -> bool:
        """Whether the node was deleted by this statement."""

    def rel_deleted(self, rel_id: int) -> bool:
        """Whether the relationship was deleted by this statement."""
