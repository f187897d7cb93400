"""The memtable: committed mutations not yet flushed to SSTs, kept columnar.

Mutations arrive as *runs*: an immutable Arrow table of rows of one label
(nodes) or one edge type (edges), with a base LSN (row ``i`` has LSN
``lsn + i``). A commit appends its runs; a bulk ``merge_nodes`` of 160k rows is
one run (a few, if the WAL had to cut it), not 160k Python objects.

Keys: nodes by (primary label, 16-byte id); edges by (type, src, dst, ekey)
(see :mod:`.layout` for edge identity). Last write wins by LSN and tombstones
are rows, so merging is "newest row per key" (:mod:`.merge`).

Point lookups use a per-label dict from id to the newest (run, row), built
lazily and incrementally on the first lookup after runs were added, so bulk
ingest never pays for it. A reader pinned to an older state (a snapshot)
passes the number of runs it can see; an index hit in a newer run sends it to
a per-run scan instead, so snapshots never see later commits.

The writer's *staged* (uncommitted) batch is a :class:`StagedBatch`: single
upserts buffer as Python rows and become runs when read or committed.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from namidb_core.storage.columns import cell_to_python, check_property_key, rows_to_columns
from namidb_core.storage.layout import ID, LABELS, LSN, TOMB, edge_system_fields, node_system_fields
from namidb_core.storage.merge import PendingOrder
from namidb_core.storage.wal.record import RecordKind, WalRecord
from namidb_core.values import fixed16_to_numpy, one_chunk, validate_value

__all__ = ["Memtable", "Run", "StagedBatch", "id_key", "node_row_dict"]


def id_key(raw: bytes) -> bytes:
    """The dict key of a 16-byte id (numpy's ``S16`` drops trailing NULs; so do we)."""
    return raw.rstrip(b"\x00")


def node_row_dict(table: pa.Table, row: int, label: str, lsn: int) -> dict[str, Any] | None:
    """Decode one node row (None for a tombstone) into the engine's node dict, minus ``id``."""
    if table.column(TOMB)[row].as_py():
        return None
    labels = table.column(LABELS)[row].as_py() or [label]
    props: dict[str, Any] = {}
    for i, field in enumerate(table.schema):
        if field.name.startswith("__"):
            continue
        v = cell_to_python(field, table.column(i), row)
        if v is not None:
            props[field.name] = v
    return {"label": label, "labels": labels, "lsn": lsn, "properties": props}


class Run:
    """An immutable batch of rows with consecutive LSNs."""

    __slots__ = (
        "_decoded",
        "_index",
        "_with_lsn",
        "count",
        "kind",
        "labels",
        "lsn",
        "name",
        "nbytes",
        "order",
        "table",
    )

    def __init__(
        self, kind: RecordKind, name: str, table: pa.Table, lsn: int, order: PendingOrder | None = None
    ) -> None:
        self.kind = kind
        #: The run's merge order, when it was sorted in the background (see merge.presort).
        self.order = order
        self.name = name
        self.table = table.combine_chunks()
        self.lsn = lsn
        self.count = int(table.num_rows)
        self.nbytes = int(self.table.nbytes)
        self._index: dict[bytes, int] | None = None
        self._with_lsn: pa.Table | None = None
        self._decoded: dict[int, dict[str, Any] | None] = {}
        self.labels: frozenset[str] = frozenset()
        if kind is RecordKind.NODES:
            col = self.table.column(LABELS)
            if col.null_count == len(col):
                self.labels = frozenset([name])
            else:
                flat = one_chunk(col).flatten().unique().to_pylist()
                self.labels = frozenset([name, *flat]) if col.null_count else frozenset(flat)

    @classmethod
    def from_record(cls, record: WalRecord) -> Run:
        """The run a WAL record describes."""
        return cls(record.kind, record.name, record.table, record.lsn)

    @property
    def last_lsn(self) -> int:
        """LSN of the last row."""
        return self.lsn + self.count - 1

    def to_record(self) -> WalRecord:
        """The WAL record of this run."""
        return WalRecord(self.lsn, self.kind, self.name, self.table)

    def with_lsn(self) -> pa.Table:
        """The rows plus their ``__lsn`` column."""
        if self._with_lsn is None:
            # from_buffers, not pa.array: no pandas import on first use
            lsns = np.arange(self.lsn, self.lsn + self.count, dtype=np.int64)
            self._with_lsn = self.table.append_column(
                LSN, pa.Array.from_buffers(pa.int64(), self.count, [None, pa.py_buffer(lsns)])
            )
        return self._with_lsn

    def decoded(self, row: int, label: str) -> dict[str, Any] | None:
        """Row ``row`` as a node dict (None for a tombstone), decoded once and cached."""
        try:
            return self._decoded[row]
        except KeyError:
            d = self._decoded[row] = node_row_dict(self.table, row, label, self.lsn + row)
            return d

    def index(self) -> dict[bytes, int]:
        """Node id key → last row with that id in this run."""
        if self._index is None:
            raw = fixed16_to_numpy(self.table.column(ID))
            keys = np.ascontiguousarray(raw).view("S16").ravel().tolist()
            self._index = dict(zip(keys, range(len(keys)), strict=True))
        return self._index


class _Partition:
    """The runs of one label or edge type, plus the lazily built newest-row index."""

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self.index: dict[bytes, tuple[int, int]] = {}
        self.indexed = 0


class Memtable:
    """Committed, unflushed runs, grouped by (kind, name)."""

    def __init__(self) -> None:
        self.parts: dict[tuple[RecordKind, str], _Partition] = {}
        self.nbytes = 0
        self.min_lsn: int | None = None
        self.max_lsn = 0
        self._lock = threading.Lock()

    def add(self, run: Run) -> None:
        """Append a committed run (LSNs increase across calls)."""
        if run.count == 0:
            return
        part = self.parts.get((run.kind, run.name))
        if part is None:
            part = self.parts[(run.kind, run.name)] = _Partition()
        part.runs.append(run)
        self.nbytes += run.nbytes
        if self.min_lsn is None:
            self.min_lsn = run.lsn
        self.max_lsn = max(self.max_lsn, run.last_lsn)

    def extended(self, runs: Sequence[Run]) -> Memtable:
        """A new memtable holding this one's runs, then ``runs`` (newer)."""
        out = Memtable()
        for part in self.parts.values():
            for run in part.runs:
                out.add(run)
        for run in runs:
            out.add(run)
        return out

    def pin(self) -> dict[tuple[RecordKind, str], int]:
        """How many runs each partition holds now (a snapshot's view)."""
        return {k: len(p.runs) for k, p in self.parts.items()}

    def runs(self, kind: RecordKind, name: str, upto: int | None = None) -> list[Run]:
        """The runs of one partition (the first ``upto`` of them)."""
        part = self.parts.get((kind, name))
        if part is None:
            return []
        return part.runs[:upto] if upto is not None else list(part.runs)

    def names(self, kind: RecordKind) -> list[str]:
        """Labels (or edge types) with at least one run."""
        return [n for k, n in self.parts if k is kind]

    def lookup_node(self, label: str, key: bytes, upto: int | None) -> tuple[Run, int] | None:
        """The newest (run, row) of node ``key`` among the first ``upto`` runs of ``label``."""
        part = self.parts.get((RecordKind.NODES, label))
        if part is None:
            return None
        with self._lock:
            n = len(part.runs)
            if part.indexed < n:
                for ri in range(part.indexed, n):
                    idx = part.runs[ri].index()
                    part.index.update(zip(idx.keys(), zip(itertools.repeat(ri), idx.values()), strict=False))
                part.indexed = n
            hit = part.index.get(key)
        limit = n if upto is None else upto
        if hit is None:
            return None
        if hit[0] < limit:
            return part.runs[hit[0]], hit[1]
        for ri in range(limit - 1, -1, -1):  # the newest is invisible to this snapshot
            row = part.runs[ri].index().get(key)
            if row is not None:
                return part.runs[ri], row
        return None


@dataclass
class _Pending:
    kind: RecordKind
    name: str
    rows: list[tuple[Any, ...]]


class StagedBatch:
    """A writer's uncommitted mutations, in order.

    Single-row calls append to a pending row list for their partition; bulk
    calls (and any read) seal pending rows into Arrow tables first, so the
    order of mutations is kept exactly.
    """

    def __init__(self) -> None:
        self.tables: list[tuple[RecordKind, str, pa.Table, PendingOrder | None]] = []
        self._pending: dict[tuple[RecordKind, str], list[tuple[Any, ...]]] = {}
        self.rows = 0

    def __bool__(self) -> bool:
        return self.rows > 0

    def add_node(
        self, label: str, key: bytes, tomb: bool, labels: list[str] | None, props: dict[str, Any]
    ) -> None:
        """Stage one node upsert (``tomb`` False) or tombstone."""
        clean = {}
        for k, v in props.items():
            check_property_key(k, f"node {label!r}")
            if v is not None:
                clean[k] = validate_value(v, f"property {k!r}")
        self._pending.setdefault((RecordKind.NODES, label), []).append((key, tomb, labels, clean))
        self.rows += 1

    def add_edge(
        self, etype: str, src: bytes, dst: bytes, ekey: bytes, tomb: bool, props: dict[str, Any]
    ) -> None:
        """Stage one edge upsert or tombstone."""
        clean = {}
        for k, v in props.items():
            check_property_key(k, f"edge {etype!r}")
            if v is not None:
                clean[k] = validate_value(v, f"property {k!r}")
        self._pending.setdefault((RecordKind.EDGES, etype), []).append((src, dst, ekey, tomb, clean))
        self.rows += 1

    def add_table(
        self, kind: RecordKind, name: str, table: pa.Table, order: PendingOrder | None = None
    ) -> None:
        """Stage a bulk table (already in the record column layout), with its merge order if sorting."""
        self.seal()
        if table.num_rows:
            self.tables.append((kind, name, table, order))
            self.rows += int(table.num_rows)

    def seal(self) -> None:
        """Turn pending single rows into tables (keeping the order of calls)."""
        for (kind, name), rows in self._pending.items():
            self.tables.append((kind, name, _rows_table(kind, rows), None))
        self._pending.clear()

    def after(self, count: int) -> StagedBatch:
        """A batch of what was staged after the first ``count`` tables (those were committed)."""
        self.seal()
        rest = StagedBatch()
        rest.tables = self.tables[count:]
        rest.rows = sum(int(t.num_rows) for _, _, t, _ in rest.tables)
        return rest

    def runs(self, first_lsn: int) -> list[Run]:
        """The staged mutations as runs with LSNs from ``first_lsn`` on."""
        self.seal()
        out = []
        lsn = first_lsn
        for kind, name, table, order in self.tables:
            out.append(Run(kind, name, table, lsn, order))
            lsn += int(table.num_rows)
        return out


def _fixed16(values: list[bytes]) -> pa.Array:
    return pa.Array.from_buffers(pa.binary(16), len(values), [None, pa.py_buffer(b"".join(values))])


def _bools(values: list[bool]) -> pa.Array:
    bits = np.packbits(np.fromiter(values, dtype=np.bool_, count=len(values)), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])


def _rows_table(kind: RecordKind, rows: Sequence[tuple[Any, ...]]) -> pa.Table:
    # System columns straight from buffers: this runs once per single-row
    # commit, where three ``pa.array`` conversions were a visible share.
    if kind is RecordKind.NODES:
        fields = node_system_fields()
        labels = [r[2] for r in rows]
        arrays: list[pa.Array] = [
            _fixed16([r[0] for r in rows]),
            _bools([r[1] for r in rows]),
            pa.nulls(len(rows), pa.list_(pa.string()))
            if labels.count(None) == len(labels)
            else pa.array(labels, type=pa.list_(pa.string())),
        ]
        props = [r[3] for r in rows]
    else:
        fields = edge_system_fields()
        arrays = [_fixed16([r[i] for r in rows]) for i in range(3)]
        arrays.append(_bools([r[3] for r in rows]))
        props = [r[4] for r in rows]
    pf, pa_arrays = rows_to_columns(props)
    return pa.Table.from_arrays(arrays + pa_arrays, schema=pa.schema(fields + pf))
