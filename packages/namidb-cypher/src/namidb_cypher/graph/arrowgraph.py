"""``ArrowGraph``: an immutable base graph over Arrow blocks, with CSR adjacency.

The storage layer hands over nodes and relationships as blocks of columns
(one block per label partition / edge type, as they come out of SSTs and the
memtable). Node ids are positions in the concatenation of the node blocks;
relationship endpoints are mapped from UUID keys to those positions once,
with one vectorized hash lookup (``pyarrow.compute.index_in``).

Adjacency is compressed sparse rows, built lazily per (relationship type,
direction) on first use: an ``argsort`` of the endpoint column and a
``cumsum`` of its ``bincount``. Expanding a whole column of nodes is then a
handful of numpy calls (``repeat`` + ``cumsum`` over the ranges), never a
Python loop per node.
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from namidb_cypher import semantics as sem
from namidb_cypher.graph.base import BaseGraph, Direction, IdArray, PropertyColumn, in_sorted
from namidb_cypher.graph.txgraph import column_to_list, make_column

__all__ = [
    "ArrowGraph",
    "NodeBlock",
    "RelBlock",
    "ValueIndex",
    "build_value_index",
    "seekable",
    "value_index",
]

_EMPTY = np.empty(0, dtype=np.int64)


PropertyColumns = Mapping[str, Any]
"""Property name → a pyarrow array (typed) or a numpy object array (mixed values), row-aligned."""


@dataclass(frozen=True)
class NodeBlock:
    """Nodes sharing a primary label: keys (UUID strings or 16 raw bytes), labels, properties; row-aligned."""

    keys: pa.Array
    labels: list[tuple[str, ...]]
    props: PropertyColumns
    partition: str = ""


@dataclass(frozen=True)
class RelBlock:
    """Relationships of one type: endpoint keys (as the nodes' keys), their own keys and property columns."""

    type: str
    src: pa.Array
    dst: pa.Array
    keys: pa.Array
    props: PropertyColumns


def _ranges(starts: IdArray, counts: IdArray) -> IdArray:
    """Concatenate ``arange(s, s + c)`` for every (s, c), vectorized."""
    total = int(counts.sum())
    if total == 0:
        return _EMPTY
    ends = np.cumsum(counts)
    out = np.ones(total, dtype=np.int64)
    nonzero = counts > 0
    s, e, c = starts[nonzero], ends[nonzero], counts[nonzero]
    out[0] = s[0]
    # At each range start, jump from the previous range's last value to this start.
    idx = (e - c)[1:]
    out[idx] = s[1:] - (s[:-1] + c[:-1] - 1)
    return np.cumsum(out)


def _take(col: Any, rows: IdArray) -> PropertyColumn:
    """Rows of a property column (pyarrow array or numpy object array)."""
    if isinstance(col, np.ndarray):
        return col[rows]
    return col.take(pa.array(rows, type=pa.int64()))


class _CSR:
    def __init__(self, endpoint: IdArray, other: IdArray, rel_ids: IdArray, n: int) -> None:
        order = np.argsort(endpoint, kind="stable")
        self.rel = rel_ids[order]
        self.other = other[order]
        self.offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(endpoint, minlength=n), out=self.offsets[1:])

    def expand(self, ids: IdArray) -> tuple[IdArray, IdArray, IdArray]:
        starts = self.offsets[ids]
        counts = self.offsets[ids + 1] - starts
        pos = _ranges(starts, counts)
        row = np.repeat(np.arange(len(ids), dtype=np.int64), counts)
        return row, self.rel[pos], self.other[pos]


class ValueIndex:
    """A hash index over one label's nodes: equivalence key of the indexed value(s) → node ids.

    Keys are :func:`namidb_cypher.semantics.group_key` values (a tuple of them for
    a composite index), so ``1`` and ``1.0`` share a slot; nodes missing any
    indexed property are not in the index. The ids of a slot are one slice of
    a single sorted array (``order[offsets[s]:offsets[s + 1]]``), ascending.
    """

    def __init__(self, arity: int, slots: dict[Any, int], order: IdArray, offsets: IdArray) -> None:
        self.arity = arity
        self._slots = slots
        self._order = order
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._slots)

    def lookup(self, key: tuple[Any, ...]) -> IdArray:
        """The nodes whose indexed values have the equivalence keys ``key`` (one per property)."""
        slot = self._slots.get(key[0] if self.arity == 1 else key)
        if slot is None:
            return _EMPTY
        return self._order[self._offsets[slot] : self._offsets[slot + 1]]

    def groups(self) -> Iterator[tuple[Any, IdArray]]:
        """Every (key, ids) pair."""
        for key, slot in self._slots.items():
            yield key, self._order[self._offsets[slot] : self._offsets[slot + 1]]


def _codes_typed(col: pa.Array) -> tuple[IdArray, dict[Any, int], IdArray] | None:
    """(row positions, slots, slot per row) of a typed column in one dictionary encoding, or None."""
    t = col.type
    simple = pa.types.is_integer(t) or pa.types.is_string(t) or pa.types.is_large_string(t)
    if not (simple or pa.types.is_floating(t) or pa.types.is_boolean(t)):
        return None
    valid = np.asarray(col.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    rows = np.flatnonzero(valid).astype(np.int64)
    encoded = pc.dictionary_encode(col.filter(pa.array(valid)) if not valid.all() else col)
    uniques = encoded.dictionary.to_pylist()
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    if simple:
        # Strings and integers are their own equivalence key, and the dictionary has no duplicates.
        return rows, dict(zip(uniques, range(len(uniques)), strict=True)), codes
    slots: dict[Any, int] = {}
    # Floats: NaNs and the two zeros may be distinct dictionary entries but one equivalence key.
    slot_of = np.fromiter(
        (slots.setdefault(sem.group_key(u), len(slots)) for u in uniques), dtype=np.int64, count=len(uniques)
    )
    return rows, slots, slot_of[codes] if len(codes) else codes


def build_value_index(graph: BaseGraph, label: str, keys: tuple[str, ...]) -> ValueIndex:
    """Build the :class:`ValueIndex` of ``label`` on ``keys`` from one gather per key column."""
    ids = graph.scan_nodes(label)
    cols = [graph.node_property(ids, k) for k in keys]
    typed = _codes_typed(cols[0]) if len(keys) == 1 and isinstance(cols[0], pa.Array) else None
    if typed is not None:
        rows, slots, codes = typed
    else:
        # Mixed-type or composite values: one equivalence key per row, in Python.
        slots = {}
        row_list: list[int] = []
        code_list: list[int] = []
        lists = [column_to_list(c) for c in cols]
        for row, values in enumerate(zip(*lists, strict=True)):
            if any(v is None for v in values):
                continue
            gk = sem.group_key(values[0]) if len(keys) == 1 else tuple(sem.group_key(v) for v in values)
            row_list.append(row)
            code_list.append(slots.setdefault(gk, len(slots)))
        rows = np.asarray(row_list, dtype=np.int64)
        codes = np.asarray(code_list, dtype=np.int64)
    order = ids[rows][np.argsort(codes, kind="stable")] if len(rows) else _EMPTY
    offsets = np.zeros(len(slots) + 1, dtype=np.int64)
    if len(codes):
        np.cumsum(np.bincount(codes, minlength=len(slots)), out=offsets[1:])
    return ValueIndex(len(keys), slots, order, offsets)


def value_index(graph: BaseGraph, label: str, keys: tuple[str, ...]) -> ValueIndex:
    """The value index of ``graph`` (cached on it when it is an :class:`ArrowGraph`)."""
    if isinstance(graph, ArrowGraph):
        return graph.value_index(label, keys)
    return build_value_index(graph, label, keys)


def seekable(value: Any) -> bool:
    """Whether an index lookup of ``value`` is exactly Cypher's ``=``.

    Null and NaN (at any depth) never compare equal, and values beyond
    numbers, strings, booleans and lists of them have equality rules the
    equivalence key does not mirror, so those are left to a scan.
    """
    t = type(value)
    if t is str or t is int or t is bool:
        return True
    if t is float:
        return not math.isnan(value)
    if t is list:
        return all(seekable(v) for v in value)
    return False


class ArrowGraph:
    """A read-only graph over node and relationship blocks (see the module docstring)."""

    def __init__(self, nodes: Sequence[NodeBlock], rels: Sequence[RelBlock]) -> None:
        self._node_blocks = list(nodes)
        self._node_offsets = np.cumsum([0] + [len(b.keys) for b in self._node_blocks]).astype(np.int64)
        self.node_capacity = int(self._node_offsets[-1])
        # Keys are UUID strings, or 16 raw bytes (from storage: half the memory and faster
        # hashing; formatted only when a key is asked for). One type across the blocks.
        key_type = nodes[0].keys.type if nodes else pa.string()
        self._node_keys = (
            pa.concat_arrays([b.keys.cast(key_type) for b in nodes]) if nodes else pa.array([], key_type)
        )
        self._labels: list[tuple[str, ...]] = [lab for b in nodes for lab in b.labels]
        self._label_index: dict[str | None, IdArray] = {}

        self._rel_blocks: list[RelBlock] = []
        srcs: list[IdArray] = []
        dsts: list[IdArray] = []
        types: list[str] = []
        for block in rels:
            s_arr = pc.index_in(block.src.cast(key_type), value_set=self._node_keys)
            d_arr = pc.index_in(block.dst.cast(key_type), value_set=self._node_keys)
            # Edges whose endpoint is not a live node (deleted, dangling) are not part of the graph.
            missing = pc.or_(s_arr.is_null(), d_arr.is_null()).to_numpy(zero_copy_only=False)
            if missing.any():
                keep = np.flatnonzero(~missing)
                idx = pa.array(keep)
                props = {k: _take(v, keep) for k, v in block.props.items()}
                block = RelBlock(
                    block.type, block.src.take(idx), block.dst.take(idx), block.keys.take(idx), props
                )
                s_arr, d_arr = s_arr.take(idx), d_arr.take(idx)
            s = s_arr.to_numpy(zero_copy_only=False).astype(np.int64)
            d = d_arr.to_numpy(zero_copy_only=False).astype(np.int64)
            # The endpoints now live in _src/_dst as dense ids: drop the key columns.
            self._rel_blocks.append(dataclasses.replace(block, src=block.src[:0], dst=block.dst[:0]))
            srcs.append(s.astype(np.int64))
            dsts.append(d.astype(np.int64))
            types.extend([block.type] * len(s))
        self._rel_offsets = np.cumsum([0] + [len(b.keys) for b in self._rel_blocks]).astype(np.int64)
        self.rel_capacity = int(self._rel_offsets[-1])
        self._src = np.concatenate(srcs) if srcs else _EMPTY
        self._dst = np.concatenate(dsts) if dsts else _EMPTY
        self._rel_type_of_block = [b.type for b in self._rel_blocks]
        self._csr: dict[tuple[str | None, bool], _CSR] = {}
        # Derived indexes: this graph is immutable, so an index built once stays exact for its lifetime.
        self._value_indexes: dict[tuple[str, tuple[str, ...]], ValueIndex] = {}

    # -- nodes --------------------------------------------------------------------------
    def labels(self) -> Sequence[str]:
        return sorted({lab for labels in self._labels for lab in labels})

    def scan_nodes(self, label: str | None) -> IdArray:
        ids = self._label_index.get(label)
        if ids is None:
            if label is None:
                ids = np.arange(self.node_capacity, dtype=np.int64)
            else:
                ids = np.fromiter(
                    (i for i, labels in enumerate(self._labels) if label in labels), dtype=np.int64
                )
            self._label_index[label] = ids
        return ids

    def estimate_nodes(self, label: str | None) -> int:
        """How many nodes have ``label`` (exact here: the label's id array is cached)."""
        return len(self.scan_nodes(label))

    def has_label(self, ids: IdArray, label: str) -> np.ndarray:
        """Per id, whether the node carries ``label``."""
        if len(ids) <= 256:
            labels = self._labels
            return np.fromiter((label in labels[i] for i in ids.tolist()), dtype=bool, count=len(ids))
        return in_sorted(ids, self.scan_nodes(label))

    def node_labels(self, ids: IdArray) -> list[tuple[str, ...]]:
        labels = self._labels
        return [labels[i] for i in ids.tolist()]

    def _gather(
        self, blocks: Sequence[NodeBlock] | Sequence[RelBlock], offsets: IdArray, ids: IdArray, key: str
    ) -> PropertyColumn:
        if len(ids) == 0:
            return pa.nulls(0)
        lo, hi = int(ids.min()), int(ids.max())
        first, last = (int(b) for b in np.searchsorted(offsets, [lo, hi], side="right") - 1)
        if first == last:  # one block (the usual case): no per-id block search
            col = blocks[first].props.get(key)
            if col is None:
                return pa.nulls(len(ids))
            start = lo - int(offsets[first])
            if hi - lo + 1 == len(ids) and int(ids[0]) == lo and bool((np.diff(ids) == 1).all()):
                # A run of consecutive rows (a label scan): a zero-copy slice, not a gather.
                return (
                    col[start : start + len(ids)].copy()
                    if isinstance(col, np.ndarray)
                    else col.slice(start, len(ids))
                )
            return _take(col, ids - offsets[first])
        which = np.searchsorted(offsets, ids, side="right") - 1
        values: list[Any] = [None] * len(ids)
        for b in np.unique(which).tolist():
            col = blocks[b].props.get(key)
            if col is None:
                continue
            positions = np.flatnonzero(which == b)
            part = _take(col, ids[positions] - offsets[b])
            for pos, v in zip(positions.tolist(), column_to_list(part), strict=True):
                values[pos] = v
        return make_column(values)

    def node_property(self, ids: IdArray, key: str) -> PropertyColumn:
        return self._gather(self._node_blocks, self._node_offsets, ids, key)

    def _row(
        self, blocks: Sequence[NodeBlock] | Sequence[RelBlock], offsets: IdArray, i: int
    ) -> dict[str, Any]:
        b = int(np.searchsorted(offsets, i, side="right") - 1)
        at = i - int(offsets[b])
        out: dict[str, Any] = {}
        for key, col in blocks[b].props.items():
            v = col[at] if isinstance(col, np.ndarray) else col[at].as_py()
            if v is not None:
                out[key] = v
        return out

    def node_properties(self, node_id: int) -> dict[str, Any]:
        return self._row(self._node_blocks, self._node_offsets, node_id)

    def node_key(self, node_id: int) -> str:
        key = self._node_keys[node_id].as_py()
        return str(uuid.UUID(bytes=key)) if isinstance(key, bytes) else str(key)

    def node_partition(self, node_id: int) -> str:
        """The storage partition (primary label) the node was read from."""
        b = int(np.searchsorted(self._node_offsets, node_id, side="right") - 1)
        return self._node_blocks[b].partition

    def value_index(self, label: str, keys: tuple[str, ...]) -> ValueIndex:
        """The hash index of ``label`` on ``keys``, built on first use and kept for this snapshot."""
        index = self._value_indexes.get((label, keys))
        if index is None:
            index = build_value_index(self, label, keys)
            self._value_indexes[(label, keys)] = index
        return index

    def find_nodes(self, label: str, key: str, value: Any) -> IdArray | None:
        """Nodes of ``label`` whose ``key`` is ``= value`` (ascending), or None if ``value`` needs a scan."""
        if value is None:
            return _EMPTY  # null = anything is null: never a match
        if not seekable(value):
            return None
        return self.value_index(label, (key,)).lookup((sem.group_key(value),))

    # -- relationships --------------------------------------------------------------------
    def rel_types(self) -> Sequence[str]:
        return sorted(set(self._rel_type_of_block))

    def _type_mask(self, types: Sequence[str] | None) -> IdArray:
        if types is None:
            return np.arange(self.rel_capacity, dtype=np.int64)
        parts = [
            np.arange(self._rel_offsets[b], self._rel_offsets[b + 1], dtype=np.int64)
            for b, t in enumerate(self._rel_type_of_block)
            if t in types
        ]
        return np.concatenate(parts) if parts else _EMPTY

    def _csr_for(self, types: Sequence[str] | None, outgoing: bool) -> _CSR:
        key = (None if types is None else "\x00".join(sorted(types)), outgoing)
        csr = self._csr.get(key)
        if csr is None:
            rel_ids = self._type_mask(types)
            src, dst = self._src[rel_ids], self._dst[rel_ids]
            csr = (
                _CSR(src, dst, rel_ids, self.node_capacity)
                if outgoing
                else _CSR(dst, src, rel_ids, self.node_capacity)
            )
            self._csr[key] = csr
        return csr

    def expand(
        self, ids: IdArray, types: Sequence[str] | None, direction: Direction
    ) -> tuple[IdArray, IdArray, IdArray]:
        if len(ids) == 0 or self.rel_capacity == 0:
            return _EMPTY, _EMPTY, _EMPTY
        if direction is not Direction.BOTH:
            return self._csr_for(types, direction is Direction.OUT).expand(ids)
        r1, e1, o1 = self._csr_for(types, True).expand(ids)
        r2, e2, o2 = self._csr_for(types, False).expand(ids)
        loops = self._src[e2] == self._dst[e2]  # a self-loop is found once
        r2, e2, o2 = r2[~loops], e2[~loops], o2[~loops]
        row = np.concatenate([r1, r2])
        order = np.argsort(row, kind="stable")
        return row[order], np.concatenate([e1, e2])[order], np.concatenate([o1, o2])[order]

    def scan_rels(self, types: Sequence[str] | None) -> tuple[IdArray, IdArray, IdArray]:
        rel = self._type_mask(types)
        return rel, self._src[rel], self._dst[rel]

    def rel_info(self, ids: IdArray) -> tuple[list[str], IdArray, IdArray]:
        which = np.searchsorted(self._rel_offsets, ids, side="right") - 1
        names = self._rel_type_of_block
        return [names[w] for w in which.tolist()], self._src[ids], self._dst[ids]

    def rel_property(self, ids: IdArray, key: str) -> PropertyColumn:
        return self._gather(self._rel_blocks, self._rel_offsets, ids, key)

    def rel_properties(self, rel_id: int) -> dict[str, Any]:
        return self._row(self._rel_blocks, self._rel_offsets, rel_id)

    def rel_key(self, rel_id: int) -> str:
        b = int(np.searchsorted(self._rel_offsets, rel_id, side="right") - 1)
        key = self._rel_blocks[b].keys[rel_id - int(self._rel_offsets[b])].as_py()
        # Blocks may hold keys as 16 raw bytes (from storage) or as UUID strings.
        return str(uuid.UUID(bytes=key)) if isinstance(key, bytes) else str(key)
