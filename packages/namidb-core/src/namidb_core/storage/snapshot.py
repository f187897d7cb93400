"""An immutable, pinned view of a namespace: one manifest version + memtable state.

Reads merge, per label or edge type, every source that can hold it — SSTs
(from the manifest), the committed memtable runs visible at pin time, and, for
the writer's own view, its staged batch — keeping the newest row per key and
dropping tombstones. A snapshot never sees later commits: the manifest is
immutable, memtable runs are append-only and the snapshot remembers how many
it may see, and the staged runs are copied when it is made.

For the Cypher executor
-----------------------
* :meth:`Snapshot.labels` / :meth:`Snapshot.edge_types` — what exists.
* :meth:`Snapshot.node_table(label)` — an Arrow table with columns ``id``
  (UUID string), ``label`` (primary), ``labels``, ``lsn``, ``schema_version``,
  the properties (union of keys, missing → null), and ``__dense`` (int64).
  A node whose secondary labels include ``label`` is included too.
* Dense ids: every live node of the snapshot gets an int in ``[0, node_count)``:
  primary-label partitions in sorted label order, rows in id order. They are
  stable for the snapshot's lifetime only. :meth:`Snapshot.dense_of` maps
  16-byte ids (or UUID strings) to dense ids (-1 when absent);
  :meth:`Snapshot.node_at` maps back to (label, row) of that label's table.
* :meth:`Snapshot.edge_table(type)` — columns ``src``, ``dst`` (UUID strings),
  ``edge_key`` (16 bytes), ``lsn``, properties, and ``__src_dense`` /
  ``__dst_dense`` (-1 for a dangling endpoint); rows sorted by (src, dst, key).
* :meth:`Snapshot.csr(type, direction)` — ``(indptr, neighbour, edge_row)``
  int64 arrays: the edges leaving dense node ``i`` ("out") or entering it
  ("in") are ``edge_row[indptr[i]:indptr[i+1]]`` with far ends
  ``neighbour[...]``; ``edge_row`` indexes :meth:`edge_table`. Built once per
  snapshot and cached.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from namidb_core.storage.columns import arrow_column_to_python, is_codec_field, values_to_arrow
from namidb_core.storage.layout import (
    DST,
    EKEY,
    ID,
    LABELS,
    LSN,
    SRC,
    edge_system_fields,
    node_system_fields,
)
from namidb_core.storage.manifest.model import Manifest, SstDescriptor
from namidb_core.storage.memtable import Memtable, Run, id_key, node_row_dict
from namidb_core.storage.merge import concat_tables, drop_tombstones, latest_edges, latest_nodes
from namidb_core.storage.sst.layout import EDGES_FWD, NODES
from namidb_core.storage.sst.reader import SstReader
from namidb_core.storage.wal.record import RecordKind
from namidb_core.values import fixed16_to_numpy, format_ids, one_chunk, parse_id, parse_ids

__all__ = ["ArrowValues", "Snapshot", "parse_id_fast"]

#: Decoded values of a codec column → the Arrow array to present them as (None: the default).
ArrowValues = Callable[[list[Any]], pa.Array | None]

_HOT_LIMIT = 1 << 18
_TOKENS = itertools.count()
_NODE_FIELDS = [*node_system_fields(), pa.field(LSN, pa.int64())]
_EDGE_FIELDS = [*edge_system_fields(), pa.field(LSN, pa.int64())]


def parse_id_fast(value: Any, where: str = "id") -> bytes:
    """16 bytes of a canonical UUID string (fast path; falls back to :func:`parse_id` for errors)."""
    if type(value) is str and len(value) == 36 and value.count("-") == 4:
        try:
            raw = bytes.fromhex(value.replace("-", ""))
        except ValueError:
            raw = b""
        if len(raw) == 16 and value[8] == value[13] == value[18] == value[23] == "-":
            return raw
    return parse_id(value, where)


def _sort_ssts(ssts: Sequence[SstDescriptor]) -> list[SstDescriptor]:
    """Newest first: level 0 by LSN descending, then deeper levels."""
    return sorted(ssts, key=lambda d: (d.level, -d.max_lsn))


class Snapshot:
    """An immutable pinned view; see the module docstring for the executor helpers."""

    def __init__(
        self,
        manifest: Manifest,
        memtable: Memtable,
        reader: SstReader,
        staged: Sequence[Run] = (),
    ) -> None:
        self.manifest = manifest
        self._memtable = memtable
        self._pins = memtable.pin()
        self._reader = reader
        self._staged = list(staged)
        self._lock = threading.RLock()
        # Derived data (merged partitions, dense ids, CSR) lives in the shared
        # byte-budgeted cache. A committed state is named by its manifest
        # (version + nonce: the memtable is exactly the manifest's WAL); a view
        # with staged runs is private and gets a unique token.
        ident = reader.store.identity
        self._token: tuple[Any, ...] = (
            (ident, "snap", manifest.version, manifest.nonce)
            if not self._staged
            else (ident, "staged", next(_TOKENS))
        )
        self._hot: dict[tuple[str, bytes], tuple[dict[str, Any] | None]] = {}
        self._by_name: dict[tuple[str, str], list[SstDescriptor]] = {}
        for d in _sort_ssts(manifest.ssts):
            self._by_name.setdefault((d.kind, d.name), []).append(d)

    @property
    def version(self) -> int:
        """The manifest version this snapshot reads."""
        return self.manifest.version

    # -- sources -----------------------------------------------------------------
    def _runs(self, kind: RecordKind, name: str) -> list[Run]:
        upto = self._pins.get((kind, name), 0)
        runs = self._memtable.runs(kind, name, upto)
        return runs + [r for r in self._staged if r.kind is kind and r.name == name]

    def node_partitions(self) -> list[str]:
        """Primary labels that have (or had) nodes in this snapshot's sources, sorted."""
        return sorted(self._node_partitions())

    def _node_partitions(self) -> set[str]:
        names = {d.name for d in self.manifest.ssts if d.kind == NODES}
        names.update(n for (k, n), c in self._pins.items() if k is RecordKind.NODES and c)
        names.update(r.name for r in self._staged if r.kind is RecordKind.NODES)
        return names

    def _edge_partitions(self) -> set[str]:
        names = {d.name for d in self.manifest.ssts if d.kind == EDGES_FWD}
        names.update(n for (k, n), c in self._pins.items() if k is RecordKind.EDGES and c)
        names.update(r.name for r in self._staged if r.kind is RecordKind.EDGES)
        return names

    def _memo(self, part: Any, load: Callable[[], Any]) -> Any:
        """``load()`` once per committed state, kept in the shared cache (recomputed if evicted)."""

        def sized() -> tuple[Any, int]:
            value = load()
            return value, _nbytes(value)

        with self._lock:
            return self._reader.cache.get_or_load((*self._token, part), sized)

    def partition_nodes(self, label: str) -> pa.Table:
        """Live rows of the ``label`` partition (primary label), sorted by id, system columns kept."""

        def load() -> pa.Table:
            tables = [self._reader.table(d) for d in reversed(self._by_name.get((NODES, label), []))]
            tables += [r.with_lsn() for r in self._runs(RecordKind.NODES, label)]
            return drop_tombstones(latest_nodes(concat_tables(tables, _NODE_FIELDS)))

        table: pa.Table = self._memo(("nodes", label), load)
        return table

    def partition_edges(self, edge_type: str) -> pa.Table:
        """Live edges of ``edge_type``, sorted by (src, dst, ekey), system columns kept."""

        def load() -> pa.Table:
            ssts = self._by_name.get((EDGES_FWD, edge_type), [])
            tables = [self._reader.table(d) for d in reversed(ssts)]
            tables += [r.with_lsn() for r in self._runs(RecordKind.EDGES, edge_type)]
            return drop_tombstones(latest_edges(concat_tables(tables, _EDGE_FIELDS)))

        table: pa.Table = self._memo(("edges", edge_type), load)
        return table

    # -- catalogue ---------------------------------------------------------------
    def labels(self) -> list[str]:
        """Every label carried by at least one live node (primary or secondary), sorted."""
        found: set[str] = set()
        for name in self._node_partitions():
            t = self.partition_nodes(name)
            if t.num_rows == 0:
                continue
            col = t.column(LABELS)
            if col.null_count:
                found.add(name)
            if col.null_count < len(col):
                found.update(pc.unique(pc.list_flatten(col)).to_pylist())
        return sorted(found)

    def edge_types(self) -> list[str]:
        """Edge types with at least one live edge, sorted."""
        return sorted(n for n in self._edge_partitions() if self.partition_edges(n).num_rows)

    # -- nodes -------------------------------------------------------------------
    def lookup_node(self, label: str, node_id: str) -> dict[str, Any] | None:
        """The live node ``node_id`` of primary label ``label``, or None."""
        raw = parse_id_fast(node_id)
        # The snapshot is immutable, so a decoded answer (hit or miss) stays
        # right for its lifetime: warm lookups are one dict probe.
        hot = self._hot.get((label, raw))
        if hot is None:
            hot = (self._lookup(label, raw),)
            if len(self._hot) >= _HOT_LIMIT:
                self._hot.clear()
            self._hot[(label, raw)] = hot
        return self._finish(node_id, hot[0])

    def _lookup(self, label: str, raw: bytes) -> dict[str, Any] | None:
        key = id_key(raw)
        for run in reversed(self._staged):
            if run.kind is RecordKind.NODES and run.name == label:
                row = run.index().get(key)
                if row is not None:
                    return run.decoded(row, label)
        hit = self._memtable.lookup_node(label, key, self._pins.get((RecordKind.NODES, label), 0))
        if hit is not None:
            run, row = hit
            return run.decoded(row, label)
        for desc in self._by_name.get((NODES, label), ()):
            if self._reader.ranged(desc):
                ranged = self._reader.ranged_row(desc, raw)
                if ranged is not None:
                    group, row = ranged
                    return node_row_dict(group, row, label, int(group.column(LSN)[row].as_py()))
                continue
            lo, hi = self._reader.find(desc, raw)
            if hi > lo:
                cache = self._reader.cache
                ck = (self._reader.store.identity, desc.key, ("row", hi - 1))
                found = cache.get(ck)
                if found is None:
                    table = self._reader.table(desc)
                    found = (node_row_dict(table, hi - 1, label, int(table.column(LSN)[hi - 1].as_py())),)
                    cache.put(ck, found, 512)
                return found[0]
        return self._lookup_secondary(label, raw)

    def _lookup_secondary(self, label: str, raw: bytes) -> dict[str, Any] | None:
        """A node whose *secondary* labels include ``label`` (rare: merged partitions are scanned)."""
        for name in sorted(self._node_partitions() - {label}):
            if not self._may_carry(name, label):
                continue
            t = self.partition_nodes(name)
            keys = np.ascontiguousarray(fixed16_to_numpy(t.column(ID))).view("S16").ravel()
            pos = int(np.searchsorted(keys, np.array([raw], dtype="S16"))[0])
            if pos < len(keys) and keys[pos] == raw.rstrip(b"\x00"):
                row = node_row_dict(t, pos, name, int(t.column(LSN)[pos].as_py()))
                if row is not None and label in row["labels"]:
                    return row
        return None

    def _may_carry(self, partition: str, label: str) -> bool:
        """Whether any source of ``partition`` has a node labelled ``label`` (from descriptors and runs)."""
        if any(label in d.labels for d in self._by_name.get((NODES, partition), ())):
            return True
        return any(label in r.labels for r in self._runs(RecordKind.NODES, partition))

    @staticmethod
    def _finish(node_id: str, row: dict[str, Any] | None) -> dict[str, Any] | None:
        if row is None:
            return None
        return {
            "id": node_id.lower(),
            "label": row["label"],
            "labels": list(row["labels"]),
            "lsn": row["lsn"],
            "schema_version": 0,
            "properties": dict(row["properties"]),
        }

    def _label_rows(self, label: str) -> list[tuple[str, pa.Table]]:
        """(primary label, live rows carrying ``label``) over every partition."""
        out = []
        for name in sorted(self._node_partitions()):
            t = self.partition_nodes(name)
            if t.num_rows == 0:
                continue
            if name == label:  # a node always carries its primary label
                out.append((name, t))
            else:
                col = t.column(LABELS)
                if col.null_count == len(col):
                    continue
                sub = t.filter(pc.fill_null(_list_contains(col, label), False))
                if sub.num_rows:
                    out.append((name, sub))
        return out

    def scan_label_arrow(self, label: str, arrow_values: ArrowValues | None = None) -> pa.Table:
        """Live nodes carrying ``label``: id, label, labels, lsn, schema_version, then properties.

        A codec column's decoded values become the array ``arrow_values``
        returns for them, or (when it returns None, or is not given)
        :func:`~namidb_core.storage.columns.values_to_arrow`'s.
        """
        parts = self._label_rows(label)
        out = [_present_nodes(name, t, arrow_values) for name, t in parts]
        if not out:
            return _present_nodes(label, concat_tables([], _NODE_FIELDS), arrow_values)
        return concat_tables(out, []) if len(out) > 1 else out[0]

    def scan_label(self, label: str) -> list[dict[str, Any]]:
        """Live nodes carrying ``label`` as dicts shaped like :meth:`lookup_node`."""
        out = []
        for name, t in self._label_rows(label):
            ids = format_ids(t.column(ID)).to_pylist()
            props = _props_python(t)
            labels = t.column(LABELS).to_pylist()
            lsns = t.column(LSN).to_pylist()
            for i, nid in enumerate(ids):
                out.append(
                    {
                        "id": nid,
                        "label": name,
                        "labels": labels[i] or [name],
                        "lsn": lsns[i],
                        "schema_version": 0,
                        "properties": {k: v[i] for k, v in props.items() if v[i] is not None},
                    }
                )
        return out

    # -- edges -------------------------------------------------------------------
    def _edge_dicts(self, edge_type: str, t: pa.Table) -> list[dict[str, Any]]:
        src = format_ids(t.column(SRC)).to_pylist()
        dst = format_ids(t.column(DST)).to_pylist()
        keys = t.column(EKEY).to_pylist()
        lsns = t.column(LSN).to_pylist()
        props = _props_python(t)
        return [
            {
                "edge_type": edge_type,
                "src": src[i],
                "dst": dst[i],
                "edge_key": keys[i],
                "lsn": lsns[i],
                "properties": {k: v[i] for k, v in props.items() if v[i] is not None},
            }
            for i in range(t.num_rows)
        ]

    def scan_edge_type(self, edge_type: str) -> list[dict[str, Any]]:
        """Every live edge of ``edge_type`` as dicts (edge_type, src, dst, edge_key, lsn, properties)."""
        return self._edge_dicts(edge_type, self.partition_edges(edge_type))

    def _endpoint_index(self, edge_type: str, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(sorted ``S16`` keys of ``column``, row order): the partition is sorted by src already."""

        def load() -> tuple[np.ndarray, np.ndarray]:
            t = self.partition_edges(edge_type)
            keys = np.ascontiguousarray(fixed16_to_numpy(t.column(column))).view("S16").ravel()
            order = np.arange(len(keys)) if column == SRC else np.argsort(keys, kind="stable")
            return keys[order], order

        got: tuple[np.ndarray, np.ndarray] = self._memo(("endpoint", edge_type, column), load)
        return got

    def _endpoint_rows(self, edge_type: str, column: str, node_id: str) -> pa.Table:
        t = self.partition_edges(edge_type)
        if t.num_rows == 0:
            return t
        keys, order = self._endpoint_index(edge_type, column)
        probe = np.array([parse_id_fast(node_id)], dtype="S16")
        lo = int(np.searchsorted(keys, probe, side="left")[0])
        hi = int(np.searchsorted(keys, probe, side="right")[0])
        return t.take(pa.array(order[lo:hi]))

    def out_edges(self, edge_type: str, src: str) -> list[dict[str, Any]]:
        """Live edges of ``edge_type`` leaving ``src``."""
        return self._edge_dicts(edge_type, self._endpoint_rows(edge_type, SRC, src))

    def in_edges(self, edge_type: str, dst: str) -> list[dict[str, Any]]:
        """Live edges of ``edge_type`` entering ``dst``."""
        return self._edge_dicts(edge_type, self._endpoint_rows(edge_type, DST, dst))

    # -- dense ids and adjacency -------------------------------------------------------
    def _dense_index(self) -> tuple[np.ndarray, np.ndarray, list[tuple[str, int]]]:
        """(sorted S16 keys, their dense ids, [(partition, base)])."""

        def load() -> tuple[np.ndarray, np.ndarray, list[tuple[str, int]]]:
            bases: list[tuple[str, int]] = []
            keys = []
            n = 0
            for name in sorted(self._node_partitions()):
                t = self.partition_nodes(name)
                bases.append((name, n))
                keys.append(np.ascontiguousarray(fixed16_to_numpy(t.column(ID))).view("S16").ravel())
                n += t.num_rows
            allk = np.concatenate(keys) if keys else np.empty(0, dtype="S16")
            order = np.argsort(allk, kind="stable")
            return allk[order], order.astype(np.int64), bases

        got: tuple[np.ndarray, np.ndarray, list[tuple[str, int]]] = self._memo("dense", load)
        return got

    @property
    def node_count(self) -> int:
        """How many live nodes (the dense id range)."""
        return len(self._dense_index()[0])

    def dense_of(self, ids: Sequence[str] | pa.Array | np.ndarray) -> np.ndarray:
        """Dense ids of node ids (UUID strings, fixed16 array or (n,16) uint8); -1 when absent."""
        if isinstance(ids, np.ndarray):
            raw = ids
        elif isinstance(ids, (pa.Array, pa.ChunkedArray)) and pa.types.is_fixed_size_binary(ids.type):
            raw = fixed16_to_numpy(ids)
        else:
            raw = parse_ids(ids)
        keys, dense, _ = self._dense_index()
        probe = np.ascontiguousarray(raw).view("S16").ravel()
        if len(keys) == 0:
            return np.full(len(probe), -1, dtype=np.int64)
        pos = np.clip(np.searchsorted(keys, probe), 0, len(keys) - 1)
        return np.where(keys[pos] == probe, dense[pos], -1).astype(np.int64)

    def node_at(self, dense_id: int) -> tuple[str, int]:
        """(primary label, row in that partition's sorted live table) of a dense id."""
        _, _, bases = self._dense_index()
        for name, base in reversed(bases):
            if dense_id >= base:
                return name, dense_id - base
        raise IndexError(dense_id)

    def node_table(self, label: str) -> pa.Table:
        """:meth:`scan_label_arrow` plus a ``__dense`` int64 column."""

        def load() -> pa.Table:
            t = self.scan_label_arrow(label)
            ids = parse_ids(t.column("id")) if t.num_rows else np.empty((0, 16), np.uint8)
            return t.append_column("__dense", pa.array(self.dense_of(ids)))

        table: pa.Table = self._memo(("node_table", label), load)
        return table

    def edge_table(self, edge_type: str) -> pa.Table:
        """Live edges of ``edge_type`` for the executor (see the module docstring)."""

        def load() -> pa.Table:
            t = self.partition_edges(edge_type)
            cols = {
                "src": format_ids(t.column(SRC)),
                "dst": format_ids(t.column(DST)),
                "edge_key": t.column(EKEY),
                "lsn": t.column(LSN),
            }
            out = pa.table(cols)
            for i, f in enumerate(t.schema):
                if not f.name.startswith("__"):
                    out = out.append_column(f.name, _present_column(f, t.column(i)))
            out = out.append_column("__src_dense", pa.array(self.dense_of(fixed16_to_numpy(t.column(SRC)))))
            return out.append_column("__dst_dense", pa.array(self.dense_of(fixed16_to_numpy(t.column(DST)))))

        table: pa.Table = self._memo(("edge_table", edge_type), load)
        return table

    def csr(self, edge_type: str, direction: str = "out") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, neighbour, edge_row) for ``direction`` "out" or "in" (dangling edges skipped)."""
        if direction not in ("out", "in"):
            raise ValueError(f"direction must be 'out' or 'in', got {direction!r}")

        def load() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            t = self.edge_table(edge_type)
            near = t.column("__src_dense" if direction == "out" else "__dst_dense").to_numpy()
            far = t.column("__dst_dense" if direction == "out" else "__src_dense").to_numpy()
            rows = np.flatnonzero((near >= 0) & (far >= 0))
            order = rows[np.argsort(near[rows], kind="stable")]
            count = self.node_count
            indptr = np.zeros(count + 1, dtype=np.int64)
            np.cumsum(np.bincount(near[order], minlength=count), out=indptr[1:])
            return indptr, far[order].astype(np.int64), order.astype(np.int64)

        got: tuple[np.ndarray, np.ndarray, np.ndarray] = self._memo(("csr", edge_type, direction), load)
        return got


def _nbytes(value: Any) -> int:
    """Approximate memory of a cached value (tables, arrays, tuples of them)."""
    if isinstance(value, (pa.Table, pa.Array, pa.ChunkedArray)):
        return int(value.nbytes)
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, (tuple, list)):
        return 64 + sum(_nbytes(v) for v in value)
    return 64


def _list_contains(col: pa.ChunkedArray | pa.Array, label: str) -> pa.Array:
    """Per row: does the list column contain ``label`` (null rows → null)."""
    col = one_chunk(col)
    parents = pc.list_parent_indices(col).to_numpy()
    hit = pc.equal(pc.list_flatten(col), label).to_numpy(zero_copy_only=False)
    out = np.zeros(len(col), dtype=bool)
    out[parents[hit]] = True
    return pa.array(out, mask=col.is_null().to_numpy(zero_copy_only=False))


def _present_column(
    field: pa.Field, col: pa.ChunkedArray, arrow_values: ArrowValues | None = None
) -> pa.Array | pa.ChunkedArray:
    """A stored property column as users see it (codec columns decoded)."""
    if not is_codec_field(field):
        return col
    values = arrow_column_to_python(field, col)
    typed = arrow_values(values) if arrow_values is not None else None
    return typed if typed is not None else values_to_arrow(values)


def _props_python(t: pa.Table) -> dict[str, list[Any]]:
    return {
        f.name: arrow_column_to_python(f, t.column(i))
        for i, f in enumerate(t.schema)
        if not f.name.startswith("__")
    }


def _present_nodes(label: str, t: pa.Table, arrow_values: ArrowValues | None = None) -> pa.Table:
    n = t.num_rows
    labels = t.column(LABELS)
    if labels.null_count == n:
        labels = pa.ListArray.from_arrays(
            pa.array(np.arange(n + 1, dtype=np.int32)), pa.array([label] * n, type=pa.string())
        )
    elif labels.null_count:
        filled = [v if v is not None else [label] for v in labels.to_pylist()]
        labels = pa.array(filled, type=pa.list_(pa.string()))
    cols: dict[str, Any] = {
        "id": format_ids(t.column(ID)),
        "label": pa.array([label] * n, type=pa.string()),
        "labels": labels,
        "lsn": t.column(LSN),
        "schema_version": pa.array(np.zeros(n, dtype=np.int64)),
    }
    out = pa.table(cols)
    for i, f in enumerate(t.schema):
        if not f.name.startswith("__"):
            out = out.append_column(f.name, _present_column(f, t.column(i), arrow_values))
    return out
