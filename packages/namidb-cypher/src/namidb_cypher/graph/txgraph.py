"""``TxGraph``: one statement's view — an immutable base graph plus its own writes.

Reads go to the columnar base and are patched only where the statement
touched something: a node the statement changed is held whole in a small
overlay, and a bulk read (a label scan, a property column, an expansion)
consults the overlay with one ``np.isin`` over the touched ids rather than a
Python test per row. With no writes, every read is the base's own array.

Writes are recorded, never applied to the base. At the end of a statement
:meth:`TxGraph.changes` hands the net effect to the storage layer, which
commits it as one batch; a statement that fails simply drops its TxGraph, so
nothing it did is left behind.

Created entities take ids past the base's capacity, so ids stay dense and a
created node is told from a base node by ``id >= base.node_capacity``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from namidb_cypher.graph.base import BaseGraph, Direction, IdArray, PropertyColumn, in_sorted
from namidb_cypher.semantics.compare import group_key

__all__ = ["ChangeSet", "EmptyGraph", "NodeChange", "RelChange", "TxGraph", "make_column"]

_EMPTY = np.empty(0, dtype=np.int64)


def make_column(values: Sequence[Any]) -> PropertyColumn:
    """A typed pyarrow array when the values share one type, else a numpy object array."""
    kinds = {type(v) for v in values if v is not None}
    if len(kinds) <= 1 and not (kinds & {dict, list, tuple}):
        try:
            return pa.array(values)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            pass
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _splice(
    n: int, base_pos: IdArray, base: PropertyColumn | None, over_pos: IdArray, over: list[Any]
) -> pa.Array | None:
    """``n`` values: ``base`` at ``base_pos``, ``over`` at ``over_pos``, null elsewhere — columnar.

    None when ``base`` is not a typed Arrow array or ``over`` does not hold
    values of exactly its type (then the caller builds the column row by row,
    which may yield a mixed column; nothing is ever coerced).
    """
    if not isinstance(base, pa.Array):
        return None
    over_col = make_column(over)
    if not isinstance(over_col, pa.Array):
        return None
    if pa.types.is_null(over_col.type):
        over_col = pa.nulls(len(over), base.type)
    elif over_col.type != base.type:
        return None
    index = np.full(n, -1, dtype=np.int64)
    index[base_pos] = np.arange(len(base_pos), dtype=np.int64)
    index[over_pos] = len(base_pos) + np.arange(len(over_pos), dtype=np.int64)
    missing = index < 0
    take = pa.array(index, mask=missing) if missing.any() else pa.array(index)
    return pa.concat_arrays([base, over_col]).take(take)


def _with_ids(ids: IdArray | None, more: set[int]) -> IdArray | None:
    """The sorted id array ``ids`` plus ``more`` (None stays None: rebuilt when next needed)."""
    if ids is None or not more:
        return ids
    return _sorted_union(ids, list(more))


def _sorted_union(ids: IdArray, more: list[int]) -> IdArray:
    """Sorted unique ``ids`` (already sorted and unique) with a few ``more``: a sort, no hashing."""
    out = np.concatenate([ids, np.asarray(more, dtype=np.int64)])
    out.sort(kind="stable")  # ids is sorted: timsort merges the short tail in
    keep = np.empty(len(out), dtype=bool)
    keep[:1] = True
    keep[1:] = out[1:] != out[:-1]
    return out[keep]


def column_to_list(column: PropertyColumn) -> list[Any]:
    """A property column as a Python list."""
    if isinstance(column, np.ndarray):
        return list(column)
    values: list[Any] = column.to_pylist()
    return values


@dataclass
class _NodeState:
    labels: list[str]
    props: dict[str, Any]
    key: str
    created: bool


@dataclass
class _RelState:
    type: str
    src: int
    dst: int
    props: dict[str, Any]
    key: str
    created: bool


@dataclass(frozen=True)
class NodeChange:
    """The final state of a node the statement created or changed."""

    id: int
    key: str
    labels: tuple[str, ...]
    properties: Mapping[str, Any]
    created: bool


@dataclass(frozen=True)
class RelChange:
    """The final state of a relationship the statement created or changed."""

    id: int
    key: str
    type: str
    src_key: str
    dst_key: str
    properties: Mapping[str, Any]
    created: bool


@dataclass
class ChangeSet:
    """The net effect of a statement, ready to be staged as one batch."""

    nodes: list[NodeChange] = field(default_factory=list)
    rels: list[RelChange] = field(default_factory=list)
    deleted_nodes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (key, labels)
    deleted_rels: list[tuple[str, str, str, str]] = field(default_factory=list)  # (type, src, dst, key)

    def __bool__(self) -> bool:
        return bool(self.nodes or self.rels or self.deleted_nodes or self.deleted_rels)


class EmptyGraph:
    """A base graph with nothing in it."""

    node_capacity = 0
    rel_capacity = 0

    def labels(self) -> Sequence[str]:
        return ()

    def rel_types(self) -> Sequence[str]:
        return ()

    def scan_nodes(self, label: str | None) -> IdArray:
        return _EMPTY

    def node_labels(self, ids: IdArray) -> list[tuple[str, ...]]:
        return [() for _ in ids]

    def node_property(self, ids: IdArray, key: str) -> PropertyColumn:
        return pa.nulls(len(ids))

    def node_properties(self, node_id: int) -> dict[str, Any]:
        raise KeyError(node_id)

    def node_key(self, node_id: int) -> str:
        raise KeyError(node_id)

    def find_nodes(self, label: str, key: str, value: Any) -> IdArray | None:
        return None

    def expand(
        self, ids: IdArray, types: Sequence[str] | None, direction: Direction
    ) -> tuple[IdArray, IdArray, IdArray]:
        return _EMPTY, _EMPTY, _EMPTY

    def scan_rels(self, types: Sequence[str] | None) -> tuple[IdArray, IdArray, IdArray]:
        return _EMPTY, _EMPTY, _EMPTY

    def rel_info(self, ids: IdArray) -> tuple[list[str], IdArray, IdArray]:
        raise KeyError("empty graph has no relationships")

    def rel_property(self, ids: IdArray, key: str) -> PropertyColumn:
        return pa.nulls(len(ids))

    def rel_properties(self, rel_id: int) -> dict[str, Any]:
        raise KeyError(rel_id)

    def rel_key(self, rel_id: int) -> str:
        raise KeyError(rel_id)


class TxGraph:
    """A base graph plus the writes of one statement (see the module docstring).

    Args:
        base: the snapshot to read.
        new_key: makes the stable key of a created entity (a UUID string).
    """

    def __init__(self, base: BaseGraph, new_key: Callable[[], str]) -> None:
        self.base = base
        self._new_key = new_key
        self._nb = base.node_capacity
        self._rb = base.rel_capacity
        self._next_node = self._nb
        self._next_rel = self._rb
        self._nodes: dict[int, _NodeState] = {}
        self._rels: dict[int, _RelState] = {}
        self._deleted_nodes: set[int] = set()
        self._deleted_rels: set[int] = set()
        self._new_out: dict[int, list[int]] = {}
        self._new_in: dict[int, list[int]] = {}
        self._touched_nodes: IdArray | None = _EMPTY
        self._touched_rels: IdArray | None = _EMPTY
        self._scans: dict[str | None, IdArray] = {}  # label -> ids, until the next node write
        # Per cached scan, the nodes absorbed since (see absorb): applied when the scan is next read.
        self._stale: dict[str | None, set[int]] = {}

    # -- bookkeeping ---------------------------------------------------------------
    @property
    def node_capacity(self) -> int:
        return self._next_node

    @property
    def rel_capacity(self) -> int:
        return self._next_rel

    @property
    def dirty(self) -> bool:
        """Whether the statement wrote anything."""
        return bool(self._nodes or self._rels or self._deleted_nodes or self._deleted_rels)

    def _node_touched(self) -> IdArray:
        if self._touched_nodes is None:
            ids = set(self._nodes) | self._deleted_nodes
            self._touched_nodes = np.fromiter(sorted(ids), dtype=np.int64, count=len(ids))
        return self._touched_nodes

    def _rel_touched(self) -> IdArray:
        if self._touched_rels is None:
            ids = set(self._rels) | self._deleted_rels
            self._touched_rels = np.fromiter(sorted(ids), dtype=np.int64, count=len(ids))
        return self._touched_rels

    def _node_state(self, node_id: int) -> _NodeState:
        state = self._nodes.get(node_id)
        if state is None:
            if not 0 <= node_id < self._nb:
                raise KeyError(f"no node with id {node_id}")
            labels = self.base.node_labels(np.array([node_id], dtype=np.int64))[0]
            state = _NodeState(
                list(labels), dict(self.base.node_properties(node_id)), self.base.node_key(node_id), False
            )
            self._nodes[node_id] = state
            self._touched_nodes = None
        self._scans.clear()
        self._stale.clear()
        return state

    def _rel_state(self, rel_id: int) -> _RelState:
        state = self._rels.get(rel_id)
        if state is None:
            if not 0 <= rel_id < self._rb:
                raise KeyError(f"no relationship with id {rel_id}")
            types, src, dst = self.base.rel_info(np.array([rel_id], dtype=np.int64))
            state = _RelState(
                types[0],
                int(src[0]),
                int(dst[0]),
                dict(self.base.rel_properties(rel_id)),
                self.base.rel_key(rel_id),
                False,
            )
            self._rels[rel_id] = state
            self._touched_rels = None
        return state

    # -- node reads ------------------------------------------------------------------
    def labels(self) -> Sequence[str]:
        found = set(self.base.labels())
        for state in self._nodes.values():
            found.update(state.labels)
        return sorted(found)

    def rel_types(self) -> Sequence[str]:
        found = set(self.base.rel_types())
        found.update(s.type for s in self._rels.values())
        return sorted(found)

    def estimate_nodes(self, label: str | None) -> int:
        """About how many nodes have ``label`` (for the optimizer; no scan)."""
        if label in self._scans:  # exact, and kept up to date cheaply (see absorb)
            return len(self.scan_nodes(label))
        estimate = getattr(self.base, "estimate_nodes", None)
        base = estimate(label) if estimate is not None else len(self.base.scan_nodes(label))
        mine = sum(1 for s in self._nodes.values() if label is None or label in s.labels)
        return int(base) + mine

    def has_label(self, ids: IdArray, label: str) -> np.ndarray:
        """Per id, whether the node carries ``label``."""
        if len(ids) <= 256 or self.dirty:
            return np.fromiter(
                (label in labels for labels in self.node_labels(ids)), dtype=bool, count=len(ids)
            )
        return in_sorted(ids, self.scan_nodes(label))

    def scan_nodes(self, label: str | None) -> IdArray:
        cached = self._scans.get(label)
        if cached is not None:
            pending = self._stale.get(label)
            if pending:
                cached = self._scans[label] = self._rescan(cached, pending, label)
                pending.clear()
            return cached
        ids = self._scan_nodes(label)
        self._scans[label] = ids
        self._stale[label] = set()
        return ids

    def _rescan(self, ids: IdArray, changed: set[int], label: str | None) -> IdArray:
        """A cached scan brought up to date with absorbed writes to ``changed`` nodes only."""
        touched = np.fromiter(changed, dtype=np.int64, count=len(changed))
        kept = ids[~np.isin(ids, touched)]
        members = [
            i
            for i in changed
            if i not in self._deleted_nodes and (label is None or label in self._nodes[i].labels)
        ]
        return _sorted_union(kept, members) if members else kept

    def _scan_nodes(self, label: str | None) -> IdArray:
        ids = self.base.scan_nodes(label)
        if not self._nodes and not self._deleted_nodes:
            return ids
        touched = self._node_touched()
        if len(ids) and len(touched):
            ids = ids[~in_sorted(ids, touched)]
        extra = [
            i
            for i, s in self._nodes.items()
            if i not in self._deleted_nodes and (label is None or label in s.labels)
        ]
        if not extra:
            return ids
        return np.sort(np.concatenate([ids, np.asarray(extra, dtype=np.int64)]))

    def node_labels(self, ids: IdArray) -> list[tuple[str, ...]]:
        if not self._nodes:
            return self.base.node_labels(ids)
        out: list[tuple[str, ...]] = []
        base_rows = [i for i in ids.tolist() if i not in self._nodes]
        base_labels = (
            iter(self.base.node_labels(np.asarray(base_rows, dtype=np.int64))) if base_rows else iter(())
        )
        for i in ids.tolist():
            state = self._nodes.get(i)
            out.append(tuple(state.labels) if state is not None else next(base_labels))
        return out

    def _patched(
        self,
        ids: IdArray,
        touched: IdArray,
        capacity: int,
        base_read: Callable[[IdArray], PropertyColumn],
        overlay_read: Callable[[int], Any],
    ) -> PropertyColumn:
        """The base column with the overlay's values (and nulls for ids < 0) put in their places.

        Only the overlay rows are read in Python; the rest stays the base's
        typed array, spliced with one ``take`` — a writer's long-lived graph
        holds every entity written since it was built, and a property read
        over a whole label must not turn into a Python pass over every row.
        """
        valid = ids >= 0
        from_overlay = ids >= capacity
        if len(touched):
            from_overlay |= in_sorted(ids, touched)
        if not from_overlay.any() and valid.all():
            return base_read(ids)
        base_pos = np.flatnonzero(valid & ~from_overlay)
        over_pos = np.flatnonzero(valid & from_overlay)
        base = base_read(ids[base_pos]) if len(base_pos) else None
        over = [overlay_read(i) for i in ids[over_pos].tolist()]
        spliced = _splice(len(ids), base_pos, base, over_pos, over)
        if spliced is not None:
            return spliced
        values: list[Any] = [None] * len(ids)
        if base is not None:
            for pos, v in zip(base_pos.tolist(), column_to_list(base), strict=True):
                values[pos] = v
        for pos, v in zip(over_pos.tolist(), over, strict=True):
            values[pos] = v
        return make_column(values)

    def node_property(self, ids: IdArray, key: str) -> PropertyColumn:
        def overlay(i: int) -> Any:
            state = self._nodes.get(i)
            return None if state is None else state.props.get(key)

        return self._patched(
            ids, self._node_touched(), self._nb, lambda b: self.base.node_property(b, key), overlay
        )

    def node_properties(self, node_id: int) -> dict[str, Any]:
        state = self._nodes.get(node_id)
        if state is not None:
            return dict(state.props)
        return dict(self.base.node_properties(node_id))

    def node_key(self, node_id: int) -> str:
        state = self._nodes.get(node_id)
        return state.key if state is not None else self.base.node_key(node_id)

    def find_nodes(self, label: str, key: str, value: Any) -> IdArray | None:
        found = self.base.find_nodes(label, key, value)
        if found is None or not self.dirty:
            return found
        # The base's answer, minus the nodes written here, plus those written here that match now.
        touched = self._node_touched()
        if len(found) and len(touched):
            found = found[~in_sorted(found, touched)]
        want = group_key(value)
        extra = [
            i
            for i, s in self._nodes.items()
            if i not in self._deleted_nodes
            and label in s.labels
            and s.props.get(key) is not None
            and group_key(s.props[key]) == want
        ]
        if not extra:
            return found
        return np.sort(np.concatenate([found, np.asarray(extra, dtype=np.int64)]))

    def node_partition(self, node_id: int) -> str | None:
        """The primary label the node is stored under (None: no label).

        Meaningful on a graph whose overlay is committed (a writer's long-lived
        graph): a node it holds is stored under its current first label.
        """
        state = self._nodes.get(node_id)
        if state is not None:
            return state.labels[0] if state.labels else None
        partition = getattr(self.base, "node_partition", None)
        return partition(node_id) if partition is not None else None

    def absorb(self, child: TxGraph) -> None:
        """Take over the writes of ``child``, a statement graph over this one, once they are committed.

        A writer keeps one long-lived TxGraph over the snapshot's base graph and
        absorbs each committed statement into it, so the next statement does not
        rebuild the base graph from storage. Ids line up: the child's created
        entities already took ids past this graph's capacity.
        """
        if child.base is not self:
            raise ValueError("absorb() takes a statement graph built over this graph")
        for node_id, state in child._nodes.items():
            mine = self._nodes.get(node_id)
            created = node_id >= self._next_node or (mine is not None and mine.created)
            self._nodes[node_id] = _NodeState(list(state.labels), dict(state.props), state.key, created)
        for rel_id, rel in child._rels.items():
            mine_rel = self._rels.get(rel_id)
            created = rel_id >= self._next_rel or (mine_rel is not None and mine_rel.created)
            if rel_id >= self._next_rel:
                self._new_out.setdefault(rel.src, []).append(rel_id)
                self._new_in.setdefault(rel.dst, []).append(rel_id)
            self._rels[rel_id] = _RelState(rel.type, rel.src, rel.dst, dict(rel.props), rel.key, created)
        self._deleted_nodes |= child._deleted_nodes
        self._deleted_rels |= child._deleted_rels
        self._next_node = child._next_node
        self._next_rel = child._next_rel
        # Update the derived arrays for what the statement touched, instead of rebuilding them
        # from the whole overlay: a long-lived graph holds every write since it was built.
        nodes = set(child._nodes) | child._deleted_nodes
        self._touched_nodes = _with_ids(self._touched_nodes, nodes)
        self._touched_rels = _with_ids(self._touched_rels, set(child._rels) | child._deleted_rels)
        if nodes:
            for pending in self._stale.values():
                pending |= nodes

    @property
    def overlay_size(self) -> int:
        """How many entities this overlay holds (a reason to rebuild from storage when large)."""
        return len(self._nodes) + len(self._rels) + len(self._deleted_nodes) + len(self._deleted_rels)

    # -- relationship reads ----------------------------------------------------------
    def expand(
        self, ids: IdArray, types: Sequence[str] | None, direction: Direction
    ) -> tuple[IdArray, IdArray, IdArray]:
        valid = ids >= 0
        base_sel = np.flatnonzero(valid & (ids < self._nb))
        row, rel, other = self.base.expand(ids[base_sel], types, direction)
        row = base_sel[row] if len(row) else row
        if not self._rels and not self._deleted_rels:
            return row, rel, other
        if len(rel) and self._deleted_rels:
            keep = ~np.isin(rel, np.fromiter(self._deleted_rels, dtype=np.int64))
            row, rel, other = row[keep], rel[keep], other[keep]
        rows_x: list[int] = []
        rels_x: list[int] = []
        others_x: list[int] = []
        wanted = None if types is None else set(types)
        for pos in np.flatnonzero(valid).tolist():
            node = int(ids[pos])
            for adjacency, out in ((self._new_out, True), (self._new_in, False)):
                if (direction is Direction.OUT and not out) or (direction is Direction.IN and out):
                    continue
                for r in adjacency.get(node, ()):
                    s = self._rels[r]
                    if r in self._deleted_rels or (wanted is not None and s.type not in wanted):
                        continue
                    if direction is Direction.BOTH and not out and s.src == s.dst:
                        continue  # a self-loop is found once by an undirected expansion
                    rows_x.append(pos)
                    rels_x.append(r)
                    others_x.append(s.dst if out else s.src)
        if not rows_x:
            return row, rel, other
        row = np.concatenate([row, np.asarray(rows_x, dtype=np.int64)])
        rel = np.concatenate([rel, np.asarray(rels_x, dtype=np.int64)])
        other = np.concatenate([other, np.asarray(others_x, dtype=np.int64)])
        order = np.argsort(row, kind="stable")
        return row[order], rel[order], other[order]

    def scan_rels(self, types: Sequence[str] | None) -> tuple[IdArray, IdArray, IdArray]:
        rel, src, dst = self.base.scan_rels(types)
        if len(rel) and self._deleted_rels:
            keep = ~np.isin(rel, np.fromiter(self._deleted_rels, dtype=np.int64))
            rel, src, dst = rel[keep], src[keep], dst[keep]
        wanted = None if types is None else set(types)
        extra = [
            (r, s.src, s.dst)
            for r, s in self._rels.items()
            if s.created and r not in self._deleted_rels and (wanted is None or s.type in wanted)
        ]
        if not extra:
            return rel, src, dst
        x = np.asarray(extra, dtype=np.int64)
        return np.concatenate([rel, x[:, 0]]), np.concatenate([src, x[:, 1]]), np.concatenate([dst, x[:, 2]])

    def rel_info(self, ids: IdArray) -> tuple[list[str], IdArray, IdArray]:
        if not self._rels:
            return self.base.rel_info(ids)
        base_rows = [i for i in ids.tolist() if i not in self._rels]
        b_types, b_src, b_dst = (
            self.base.rel_info(np.asarray(base_rows, dtype=np.int64)) if base_rows else ([], _EMPTY, _EMPTY)
        )
        it = iter(range(len(base_rows)))
        types: list[str] = []
        src = np.empty(len(ids), dtype=np.int64)
        dst = np.empty(len(ids), dtype=np.int64)
        for pos, i in enumerate(ids.tolist()):
            state = self._rels.get(i)
            if state is not None:
                types.append(state.type)
                src[pos], dst[pos] = state.src, state.dst
            else:
                j = next(it)
                types.append(b_types[j])
                src[pos], dst[pos] = b_src[j], b_dst[j]
        return types, src, dst

    def rel_property(self, ids: IdArray, key: str) -> PropertyColumn:
        def overlay(i: int) -> Any:
            state = self._rels.get(i)
            return None if state is None else state.props.get(key)

        return self._patched(
            ids, self._rel_touched(), self._rb, lambda b: self.base.rel_property(b, key), overlay
        )

    def rel_properties(self, rel_id: int) -> dict[str, Any]:
        state = self._rels.get(rel_id)
        if state is not None:
            return dict(state.props)
        return dict(self.base.rel_properties(rel_id))

    def rel_key(self, rel_id: int) -> str:
        state = self._rels.get(rel_id)
        return state.key if state is not None else self.base.rel_key(rel_id)

    # -- writes -----------------------------------------------------------------------
    def create_node(self, labels: Sequence[str], props: Mapping[str, Any]) -> int:
        node_id = self._next_node
        self._next_node += 1
        clean = {k: v for k, v in props.items() if v is not None}
        self._nodes[node_id] = _NodeState(list(dict.fromkeys(labels)), clean, self._new_key(), True)
        self._touched_nodes = None
        self._scans.clear()
        self._stale.clear()
        return node_id

    def create_rel(self, rel_type: str, src: int, dst: int, props: Mapping[str, Any]) -> int:
        rel_id = self._next_rel
        self._next_rel += 1
        clean = {k: v for k, v in props.items() if v is not None}
        self._rels[rel_id] = _RelState(rel_type, src, dst, clean, self._new_key(), True)
        self._new_out.setdefault(src, []).append(rel_id)
        self._new_in.setdefault(dst, []).append(rel_id)
        self._touched_rels = None
        return rel_id

    def set_node_property(self, node_id: int, key: str, value: Any) -> None:
        props = self._node_state(node_id).props
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value

    def set_rel_property(self, rel_id: int, key: str, value: Any) -> None:
        props = self._rel_state(rel_id).props
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value

    def add_labels(self, node_id: int, labels: Sequence[str]) -> None:
        state = self._node_state(node_id)
        for label in labels:
            if label not in state.labels:
                state.labels.append(label)

    def remove_labels(self, node_id: int, labels: Sequence[str]) -> None:
        state = self._node_state(node_id)
        state.labels = [x for x in state.labels if x not in labels]

    def node_deleted(self, node_id: int) -> bool:
        return node_id in self._deleted_nodes

    def rel_deleted(self, rel_id: int) -> bool:
        return rel_id in self._deleted_rels

    def _live_rels(self, node_id: int) -> list[int]:
        ids = np.array([node_id], dtype=np.int64)
        _, rels, _ = self.expand(ids, None, Direction.BOTH)
        return [r for r in rels.tolist() if r not in self._deleted_rels]

    def delete_node(self, node_id: int, *, detach: bool) -> None:
        if detach:
            for r in self._live_rels(node_id):
                self.delete_rel(r)
        self._node_state(node_id)  # remember labels and key for the tombstone
        self._deleted_nodes.add(node_id)
        self._touched_nodes = None
        self._scans.clear()
        self._stale.clear()

    def delete_rel(self, rel_id: int) -> None:
        self._rel_state(rel_id)
        self._deleted_rels.add(rel_id)
        self._touched_rels = None

    def connected_deleted_nodes(self) -> list[int]:
        """Deleted nodes that still have live relationships (a DELETE without DETACH)."""
        return [n for n in sorted(self._deleted_nodes) if self._live_rels(n)]

    # -- the net effect -----------------------------------------------------------------
    def changed_nodes(self) -> list[tuple[int, tuple[str, ...], Mapping[str, Any]]]:
        """``(id, labels, properties)`` of every live node the statement created or changed."""
        return [
            (node_id, tuple(state.labels), state.props)
            for node_id, state in self._nodes.items()
            if node_id not in self._deleted_nodes
        ]

    def touched_node_ids(self) -> IdArray:
        """Ids of every node the statement created, changed or deleted (sorted)."""
        return self._node_touched()

    def changes(self) -> ChangeSet:
        """What the statement did, for the storage layer to stage and commit."""
        out = ChangeSet()
        for node_id, state in sorted(self._nodes.items()):
            if node_id in self._deleted_nodes:
                if not state.created:
                    out.deleted_nodes.append((state.key, tuple(state.labels)))
                continue
            out.nodes.append(
                NodeChange(node_id, state.key, tuple(state.labels), dict(state.props), state.created)
            )
        for rel_id, r in sorted(self._rels.items()):
            if rel_id in self._deleted_rels:
                if not r.created:
                    out.deleted_rels.append((r.type, self.node_key(r.src), self.node_key(r.dst), r.key))
                continue
            out.rels.append(
                RelChange(
                    rel_id,
                    r.key,
                    r.type,
                    self.node_key(r.src),
                    self.node_key(r.dst),
                    dict(r.props),
                    r.created,
                )
            )
        return out
