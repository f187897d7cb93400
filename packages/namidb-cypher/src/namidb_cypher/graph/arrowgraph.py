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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from namidb_cypher.graph.base import Direction, IdArray, PropertyColumn
from namidb_cypher.graph.txgraph import column_to_list, make_column

__all__ = ["ArrowGraph", "NodeBlock", "RelBlock"]

_EMPTY = np.empty(0, dtype=np.int64)


PropertyColumns = Mapping[str, Any]
"""Property name → a pyarrow array (typed) or a numpy object array (mixed values), row-aligned."""


@dataclass(frozen=True)
class NodeBlock:
    """Nodes sharing a primary label: UUID keys, label lists and property columns, row-aligned."""

    keys: pa.Array
    labels: list[tuple[str, ...]]
    props: PropertyColumns
    partition: str = ""


@dataclass(frozen=True)
class RelBlock:
    """Relationships of one type: endpoint UUID keys, their own keys and property columns."""

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


class ArrowGraph:
    """A read-only graph over node and relationship blocks (see the module docstring)."""

    def __init__(self, nodes: Sequence[NodeBlock], rels: Sequence[RelBlock]) -> None:
        self._node_blocks = list(nodes)
        self._node_offsets = np.cumsum([0] + [len(b.keys) for b in self._node_blocks]).astype(np.int64)
        self.node_capacity = int(self._node_offsets[-1])
        self._node_keys = (
            pa.concat_arrays([b.keys.cast(pa.string()) for b in nodes])
            if nodes
            else pa.array([], pa.string())
        )
        self._labels: list[tuple[str, ...]] = [lab for b in nodes for lab in b.labels]
        self._label_index: dict[str | None, IdArray] = {}

        self._rel_blocks: list[RelBlock] = []
        srcs: list[IdArray] = []
        dsts: list[IdArray] = []
        types: list[str] = []
        for block in rels:
            s_arr = pc.index_in(block.src.cast(pa.string()), value_set=self._node_keys)
            d_arr = pc.index_in(block.dst.cast(pa.string()), value_set=self._node_keys)
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
            self._rel_blocks.append(block)
            srcs.append(s.astype(np.int64))
            dsts.append(d.astype(np.int64))
            types.extend([block.type] * len(s))
        self._rel_offsets = np.cumsum([0] + [len(b.keys) for b in self._rel_blocks]).astype(np.int64)
        self.rel_capacity = int(self._rel_offsets[-1])
        self._src = np.concatenate(srcs) if srcs else _EMPTY
        self._dst = np.concatenate(dsts) if dsts else _EMPTY
        self._rel_type_of_block = [b.type for b in self._rel_blocks]
        self._csr: dict[tuple[str | None, bool], _CSR] = {}

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

    def node_labels(self, ids: IdArray) -> list[tuple[str, ...]]:
        labels = self._labels
        return [labels[i] for i in ids.tolist()]

    def _gather(
        self, blocks: Sequence[NodeBlock] | Sequence[RelBlock], offsets: IdArray, ids: IdArray, key: str
    ) -> PropertyColumn:
        if len(ids) == 0:
            return pa.nulls(0)
        which = np.searchsorted(offsets, ids, side="right") - 1
        first = int(which[0])
        if (which == first).all():
            col = blocks[first].props.get(key)
            if col is None:
                return pa.nulls(len(ids))
            return _take(col, ids - offsets[first])
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
        return str(self._node_keys[node_id].as_py())

    def node_partition(self, node_id: int) -> str:
        """The storage partition (primary label) the node was read from."""
        b = int(np.searchsorted(self._node_offsets, node_id, side="right") - 1)
        return self._node_blocks[b].partition

    def find_nodes(self, label: str, key: str, value: Any) -> IdArray | None:
        return None

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
        return str(self._rel_blocks[b].keys[rel_id - int(self._rel_offsets[b])].as_py())
