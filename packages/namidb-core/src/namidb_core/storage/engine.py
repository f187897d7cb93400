"""The storage engine of one namespace: staging, commits, reads, flush and compaction.

An :class:`Engine` owns one namespace prefix in an object store. In write
mode (``mode="w"``) opening claims the next writer epoch with a commit (so a
previous writer is fenced); in read mode (``mode="r"``) it never writes and
``refresh()`` moves it to the newest committed version.

State: the current :class:`~.manifest.model.Manifest`, the committed
:class:`~.memtable.Memtable` (the mutations of the manifest's WAL segments),
and the writer's :class:`~.memtable.StagedBatch`. Reads go through a
:class:`~.snapshot.Snapshot` of that state, rebuilt lazily after each change.

Commit (see :mod:`.manifest.commit` for the pointer protocol): WAL segments
(create-only, keys unique per attempt), then the manifest, then the memtable,
then the acknowledgement. A commit is flushed automatically to L0 SSTs when
the memtable passes ``flush_threshold_bytes`` or the manifest lists
``max_wal_segments`` segments — the latter keeps reopening cheap (a reopen
replays at most that many segments) after many small commits — and compacted
when that leaves a label or edge type with ``max_l0_files`` or more L0 files.

``schema_version`` in read results is always 0 for now: the manifest records
the property types seen per label / edge type (``Manifest.schema``) but rows
do not carry a schema version of their own.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from namidb_core.errors import (
    ClientClosedError,
    CommitConflictError,
    CommitStateUnknownError,
    InvalidArgumentError,
    ReadOnlyError,
    StorageError,
    WriterFencedError,
)
from namidb_core.objectstore.base import ObjectStore
from namidb_core.storage.cache import Cache
from namidb_core.storage.columns import id_columns, normalise_arrow_column, rows_to_columns
from namidb_core.storage.compaction import build_outputs, l0_runs, plan_compaction, sweep
from namidb_core.storage.flush import flush_memtable
from namidb_core.storage.layout import DEFAULT_EKEY, WILDCARD_EKEY, edge_system_fields, node_system_fields
from namidb_core.storage.manifest import paths
from namidb_core.storage.manifest.commit import ManifestLog
from namidb_core.storage.manifest.model import Manifest, WalSegmentRef
from namidb_core.storage.memtable import Memtable, Run, StagedBatch
from namidb_core.storage.merge import PendingOrder, SlicedPresort, presort
from namidb_core.storage.snapshot import ArrowValues, Snapshot, parse_id_fast
from namidb_core.storage.sst.reader import SstReader
from namidb_core.storage.wal.record import RecordKind, WalRecord
from namidb_core.storage.wal.replay import replay_segments
from namidb_core.storage.wal.writer import plan_segments, split_rows
from namidb_core.values import numpy_to_fixed16, parse_ids

__all__ = ["Engine"]

_CLAIM_ATTEMPTS = 8


def _check_name(name: Any, what: str) -> str:
    if not isinstance(name, str) or not name:
        raise InvalidArgumentError(f"{what} must be a non-empty string, got {name!r}")
    return name


class Engine:
    """The storage engine of one namespace. Build it with :meth:`open`."""

    def __init__(
        self,
        store: ObjectStore,
        prefix: str,
        mode: str,
        cache: Cache,
        flush_threshold_bytes: int,
        max_wal_segments: int,
        grace_seconds: float,
        max_l0_files: int = 8,
        bulk_commit_bytes: int = 8 << 20,
    ) -> None:
        self.store = store
        self.prefix = prefix
        self.mode = mode
        self.cache = cache
        self.flush_threshold_bytes = flush_threshold_bytes
        self.max_wal_segments = max_wal_segments
        self.max_l0_files = max_l0_files
        self.bulk_commit_bytes = bulk_commit_bytes
        self.grace_seconds = grace_seconds
        self.log = ManifestLog(store, prefix)
        self.reader = SstReader(store, prefix, cache)
        self._lock = threading.RLock()
        self._manifest = Manifest(version=0, epoch=0, writer="")
        self._memtable = Memtable()
        self._staged = StagedBatch()
        self._view: Snapshot | None = None
        self._closed = False
        self._fenced: str | None = None
        # A commit whose outcome is unknown: (manifest, its runs, whether it flushed the memtable).
        self._unknown: tuple[Manifest, list[Run], bool] | None = None
        self.writer_id = uuid.uuid4().hex[:16]

    # -- opening -----------------------------------------------------------------
    @classmethod
    def open(
        cls,
        store: ObjectStore,
        namespace_prefix: str,
        *,
        mode: str = "w",
        cache_bytes: int = 256 << 20,
        flush_threshold_bytes: int = 64 << 20,
        max_wal_segments: int = 32,
        grace_seconds: float = 600.0,
        max_l0_files: int = 8,
        bulk_commit_bytes: int = 8 << 20,
    ) -> Engine:
        """Open the namespace under ``namespace_prefix`` (``mode`` "w" claims the writer epoch).

        A commit of at least ``bulk_commit_bytes`` (Arrow bytes staged) is
        written straight to L0 SSTs instead of the WAL (see :meth:`commit`).
        """
        if mode not in ("r", "w"):
            raise InvalidArgumentError(f"mode must be 'r' or 'w', got {mode!r}")
        prefix = namespace_prefix.strip("/")
        prefix = prefix + "/" if prefix else ""
        engine = cls(
            store,
            prefix,
            mode,
            Cache(cache_bytes),
            flush_threshold_bytes,
            max_wal_segments,
            grace_seconds,
            max_l0_files,
            bulk_commit_bytes,
        )
        if mode == "w":
            engine._claim()
        else:
            engine._load(engine.log.load_latest())
        return engine

    def _load(self, manifest: Manifest | None) -> None:
        """Adopt ``manifest`` and rebuild the memtable from its WAL segments."""
        manifest = manifest or Manifest(version=0, epoch=0, writer="")
        memtable = Memtable()
        old = self._manifest
        reuse = (
            old.version and old.wal and manifest.wal[: len(old.wal)] == old.wal and old.ssts == manifest.ssts
        )
        if reuse:  # same flushed base: replay only the new segments
            memtable = self._memtable
            refs = manifest.wal[len(old.wal) :]
        else:
            refs = manifest.wal
        for record in replay_segments(self.store, self.prefix, refs):
            memtable.add(Run.from_record(record))
        self._manifest = manifest
        self._memtable = memtable
        self._view = None

    def _claim(self) -> None:
        """Claim the next epoch with a commit (fencing any previous writer)."""
        for _ in range(_CLAIM_ATTEMPTS):
            current = self.log.load_latest()
            base = current or Manifest(version=0, epoch=0, writer="")
            claim = base.successor(epoch=base.epoch + 1, writer=self.writer_id, nonce=paths.uuid7_hex())
            try:
                self.log.commit(claim)
            except (CommitConflictError, WriterFencedError):
                continue  # another writer claimed at the same moment: look again
            self._load(claim)  # the claim lists the same WAL segments as its base
            self.log.write_hint(claim.version)
            return
        raise CommitConflictError(f"could not claim the writer epoch after {_CLAIM_ATTEMPTS} attempts")

    # -- guards ------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError("the engine is closed")

    def _check_writer(self) -> None:
        self._check_open()
        if self.mode != "w":
            raise ReadOnlyError("this engine was opened read-only (mode='r')")
        if self._fenced is not None:
            raise WriterFencedError(self._fenced)

    @property
    def version(self) -> int:
        """The manifest version the engine currently reads."""
        return self._manifest.version

    @property
    def manifest(self) -> Manifest:
        """The current manifest (immutable)."""
        return self._manifest

    @property
    def epoch(self) -> int:
        """The writer epoch of the current manifest."""
        return self._manifest.epoch

    # -- staging -----------------------------------------------------------------
    def upsert_node(
        self, label: str, node_id: str, props: dict[str, Any], *, labels: Sequence[str] | None = None
    ) -> None:
        """Stage a node (replacing all its properties) in the current batch."""
        _check_name(label, "label")
        raw = parse_id_fast(node_id, "node id")
        if not isinstance(props, dict):
            raise InvalidArgumentError(f"props must be a dict, got {type(props).__name__}")
        labs = None
        if labels is not None:
            labs = [_check_name(x, "label") for x in labels]
            if label not in labs:
                labs.insert(0, label)
        with self._lock:
            self._check_writer()
            self._staged.add_node(label, raw, False, labs, props)
            self._view = None

    def tombstone_node(self, label: str, node_id: str) -> None:
        """Stage the deletion of a node."""
        _check_name(label, "label")
        raw = parse_id_fast(node_id, "node id")
        with self._lock:
            self._check_writer()
            self._staged.add_node(label, raw, True, None, {})
            self._view = None

    def upsert_edge(
        self, edge_type: str, src: str, dst: str, props: dict[str, Any], *, edge_key: bytes | None = None
    ) -> None:
        """Stage an edge; without ``edge_key`` it is the default edge between src and dst."""
        _check_name(edge_type, "edge type")
        s, d = parse_id_fast(src, "src"), parse_id_fast(dst, "dst")
        ekey = DEFAULT_EKEY if edge_key is None else bytes(edge_key)
        if len(ekey) != 16 or ekey == WILDCARD_EKEY:
            raise InvalidArgumentError("edge_key must be 16 bytes (and not all 0xff)")
        if not isinstance(props, dict):
            raise InvalidArgumentError(f"props must be a dict, got {type(props).__name__}")
        with self._lock:
            self._check_writer()
            self._staged.add_edge(edge_type, s, d, ekey, False, props)
            self._view = None

    def tombstone_edge(self, edge_type: str, src: str, dst: str, *, edge_key: bytes | None = None) -> None:
        """Stage the deletion of every ``edge_type`` edge from src to dst (or just ``edge_key``)."""
        _check_name(edge_type, "edge type")
        s, d = parse_id_fast(src, "src"), parse_id_fast(dst, "dst")
        ekey = WILDCARD_EKEY if edge_key is None else bytes(edge_key)
        with self._lock:
            self._check_writer()
            self._staged.add_edge(edge_type, s, d, ekey, True, {})
            self._view = None

    def merge_nodes(self, label: str, rows: Sequence[dict[str, Any]] | pa.Table) -> int:
        """Stage many nodes at once (rows with ``"id"`` + properties, or an Arrow table); return the count."""
        _check_name(label, "label")
        if isinstance(rows, pa.Table):
            if "id" not in rows.column_names:
                raise InvalidArgumentError("merge_nodes: the table needs an 'id' column")
            system = _node_system(parse_ids(rows.column("id")))
            # The ids alone decide the merge order: it is sorted while the properties are built.
            order = presort(False, _table(system, node_system_fields()))
            table = _table(system, node_system_fields(), _arrow_props(rows, ("id",)))
        else:
            rows, counts, ids, order = _parse_rows(rows, ("id",), "merge_nodes")
            system = _node_system(*ids)
            table = _table(system, node_system_fields(), rows_to_columns(rows, ("id",), key_counts=counts))
        with self._lock:
            self._check_writer()
            self._staged.add_table(RecordKind.NODES, label, table, order)
            self._view = None
        return int(table.num_rows)

    def merge_edges(self, edge_type: str, rows: Sequence[dict[str, Any]] | pa.Table) -> int:
        """Stage many default edges (rows with ``"src"``, ``"dst"`` + properties, or a table).

        Returns the number of rows staged.
        """
        _check_name(edge_type, "edge type")
        if isinstance(rows, pa.Table):
            for c in ("src", "dst"):
                if c not in rows.column_names:
                    raise InvalidArgumentError(f"merge_edges: the table needs a {c!r} column")
            system = _edge_system(parse_ids(rows.column("src"), "src"), parse_ids(rows.column("dst"), "dst"))
            order = presort(True, _table(system, edge_system_fields()))
            table = _table(system, edge_system_fields(), _arrow_props(rows, ("src", "dst")))
        else:
            rows, counts, ids, order = _parse_rows(rows, ("src", "dst"), "merge_edges")
            system = _edge_system(*ids)
            props = rows_to_columns(rows, ("src", "dst"), key_counts=counts)
            table = _table(system, edge_system_fields(), props)
        with self._lock:
            self._check_writer()
            self._staged.add_table(RecordKind.EDGES, edge_type, table, order)
            self._view = None
        return int(table.num_rows)

    def rollback(self) -> None:
        """Drop the staged batch."""
        with self._lock:
            self._check_open()
            self._staged = StagedBatch()
            self._view = None

    # -- committing --------------------------------------------------------------
    def _resolve_unknown(self) -> None:
        """Settle a commit whose outcome was unknown: did its pointer land?"""
        if self._unknown is None:
            return
        manifest, runs, flushed = self._unknown
        pointer = self.log.read_pointer(manifest.version)
        self._unknown = None
        ours = pointer is not None and pointer.writer == self.writer_id and pointer.epoch == manifest.epoch
        if ours and pointer is not None and self.log.load_body(pointer).nonce == manifest.nonce:
            self._install(manifest, runs, flushed)

    def _install(self, manifest: Manifest, runs: list[Run], flushed: bool = False) -> None:
        """Adopt a committed manifest: its runs join the memtable, or the memtable went to SSTs.

        ``runs`` are the staged batch's first tables (more may have been
        staged after a commit whose outcome was unknown): only those leave it.
        """
        self._manifest = manifest
        if flushed:
            self._memtable = Memtable()
        else:
            for run in runs:
                self._memtable.add(run)
        if runs:
            self._staged = self._staged.after(len(runs))
        self._view = None

    def commit(self) -> int | None:
        """Make the staged batch durable and visible; return its last LSN (None if nothing was staged).

        A batch of at least ``bulk_commit_bytes`` skips the WAL: it is
        written, together with the committed memtable, as L0 SSTs that the
        commit's manifest lists (a flush and a commit in one manifest CAS).
        Writing it to the WAL and then again to SSTs at the next flush would
        write every byte twice; the SSTs are as durable (fsynced before the
        pointer) and as invisible until the pointer lands.
        """
        with self._lock:
            self._check_writer()
            self._resolve_unknown()
            if not self._staged:
                return None
            base = self._manifest
            runs = self._staged.runs(base.next_lsn)
            if sum(r.nbytes for r in runs) >= self.bulk_commit_bytes:
                return self._commit_to_ssts(base, runs)
            records = []
            for run in runs:
                offset = 0
                for chunk in split_rows(run.table):
                    records.append(WalRecord(run.lsn + offset, run.kind, run.name, chunk))
                    offset += chunk.num_rows
            refs, side = self._plan_wal(records, base.epoch)
            last = runs[-1].last_lsn
            new = base.successor(
                next_lsn=last + 1,
                wal=base.wal + tuple(refs),
                schema=_merge_schema(base.schema, runs),
                nonce=paths.uuid7_hex(),
            )
            self._commit_manifest(new, runs, side)
            self._install(new, runs)
            self._maintain()
            return last

    def _commit_to_ssts(self, base: Manifest, runs: list[Run]) -> int:
        """Commit a large batch as L0 SSTs, flushing the memtable with it (see :meth:`commit`)."""
        written = flush_memtable(self.store, self.prefix, self._memtable.extended(runs), base.epoch)
        last = runs[-1].last_lsn
        now = time.time()
        new = base.successor(
            next_lsn=last + 1,
            wal=(),
            ssts=base.ssts + tuple(written),
            garbage=_wal_garbage(base, now),
            schema=_merge_schema(base.schema, runs),
            nonce=paths.uuid7_hex(),
        )
        self._commit_manifest(new, runs, flushed=True)
        self._install(new, runs, flushed=True)
        self._maintain()
        return last

    def _maintain(self) -> None:
        """Automatic flush (and compaction of a deep L0) after a commit.

        The commit is already durable, so a failure here must not make
        ``commit()`` raise: the work is simply retried after a later commit
        (a fencing is remembered and reported by the next call).
        """
        try:
            m = self._manifest
            if self._memtable.nbytes > self.flush_threshold_bytes or len(m.wal) >= self.max_wal_segments:
                self._flush_locked()
                if l0_runs(self._manifest) >= self.max_l0_files:
                    self._compact(auto=True)
        except StorageError:
            pass

    @staticmethod
    def _plan_wal(
        records: list[WalRecord], epoch: int
    ) -> tuple[list[WalSegmentRef], list[tuple[str, bytes]]]:
        refs, side = [], []
        for seg in plan_segments(records):
            key = paths.wal_key(seg.first_lsn, epoch)
            side.append((key, seg.data))
            refs.append(
                WalSegmentRef(
                    key, hashlib.sha256(seg.data).hexdigest(), seg.first_lsn, seg.last_lsn, len(seg.data)
                )
            )
        return refs, side

    def _commit_manifest(
        self,
        new: Manifest,
        runs: list[Run],
        side: Sequence[tuple[str, bytes]] = (),
        *,
        flushed: bool = False,
    ) -> None:
        try:
            self.log.commit(new, side)
        except WriterFencedError as e:
            self._fenced = str(e)
            raise
        except CommitStateUnknownError:
            self._unknown = (new, runs, flushed)
            raise

    # -- flush, compaction -------------------------------------------------------
    def flush(self) -> dict[str, Any]:
        """Write the committed memtable to L0 SSTs and drop its WAL segments from the manifest."""
        with self._lock:
            self._check_writer()
            self._resolve_unknown()
            return self._flush_locked()

    def _flush_locked(self) -> dict[str, Any]:
        base = self._manifest
        if not base.wal:
            return {"flushed": False, "version": base.version, "ssts_written": 0, "wal_dropped": 0}
        written = flush_memtable(self.store, self.prefix, self._memtable, base.epoch)
        now = time.time()
        new = base.successor(
            wal=(),
            ssts=base.ssts + tuple(written),
            garbage=_wal_garbage(base, now),
            nonce=paths.uuid7_hex(),
        )
        self._commit_manifest(new, [], flushed=True)
        self._install(new, [], flushed=True)
        return {
            "flushed": True,
            "version": new.version,
            "ssts_written": len(written),
            "wal_dropped": len(base.wal),
        }

    def compact(self) -> dict[str, Any]:
        """Merge L0 and L1 into new L1 files (prepared off the writer lock); return a report."""
        return self._compact(auto=False)

    def _compact(self, *, auto: bool) -> dict[str, Any]:
        """:meth:`compact`; ``auto`` (after a flush) may merge a small L0 alone (see compaction.py)."""
        with self._lock:
            self._check_writer()
            self._resolve_unknown()
            pinned = self._manifest
        l0_before = sum(1 for d in pinned.ssts if d.level == 0)
        plan = plan_compaction(pinned, auto=auto)
        report: dict[str, Any] = {
            "applied": False,
            "version_before": pinned.version,
            "version_after": pinned.version,
            "l0_before": l0_before,
            "l0_after": l0_before,
            "ssts_removed": 0,
            "ssts_written": 0,
        }
        if plan.inputs:
            outputs = build_outputs(self.store, self.prefix, self.reader, plan, pinned.epoch)
            with self._lock:
                self._check_writer()
                base = self._manifest
                current = {d.key for d in base.ssts}
                if all(d.key in current for d in plan.inputs):
                    gone = {d.key for d in plan.inputs}
                    now = time.time()
                    new = base.successor(
                        ssts=tuple(d for d in base.ssts if d.key not in gone) + tuple(outputs),
                        garbage=base.garbage + tuple((k, now) for k in sorted(gone)),
                        nonce=paths.uuid7_hex(),
                    )
                    self._commit_manifest(new, [])
                    self._manifest = new
                    self._view = None
                    report.update(
                        applied=True,
                        version_after=new.version,
                        l0_after=sum(1 for d in new.ssts if d.level == 0),
                        ssts_removed=len(gone),
                        ssts_written=len(outputs),
                    )
        with self._lock:
            report["swept"] = self._sweep_locked()
        return report

    def _sweep_locked(self) -> int:
        """Delete expired garbage and old orphans; commit the shortened garbage list."""
        base = self._manifest
        deleted, orphans = sweep(self.store, self.prefix, base, self.grace_seconds)
        if deleted:
            gone = set(deleted)
            new = base.successor(
                garbage=tuple(g for g in base.garbage if g[0] not in gone), nonce=paths.uuid7_hex()
            )
            self._commit_manifest(new, [])
            self._manifest = new
            self._view = None
        return len(deleted) + orphans

    # -- reading -----------------------------------------------------------------
    def refresh(self) -> int:
        """Move to the newest committed version (read mode); return the version."""
        with self._lock:
            self._check_open()
            if self.mode == "w":
                self._resolve_unknown()
                return self._manifest.version
            latest = self.log.latest_version()
            if latest != self._manifest.version:
                self._load(self.log.load(latest))
            return self._manifest.version

    def snapshot(self) -> Snapshot:
        """An immutable view of the current state (including the writer's own staged batch)."""
        with self._lock:
            self._check_open()
            view = self._view
            if view is None:
                staged = self._staged.runs(self._manifest.next_lsn) if self._staged else []
                view = self._view = Snapshot(self._manifest, self._memtable, self.reader, staged)
            return view

    def lookup_node(self, label: str, node_id: str) -> dict[str, Any] | None:
        """The node ``node_id`` of label ``label``, or None.

        Shape: ``{"id", "label", "labels", "lsn", "schema_version", "properties"}``.
        """
        view = self._view
        if view is None or self._closed:
            view = self.snapshot()
        return view.lookup_node(label, node_id)

    def scan_label(self, label: str) -> list[dict[str, Any]]:
        """Every live node carrying ``label``, as :meth:`lookup_node` dicts."""
        return self.snapshot().scan_label(label)

    def scan_label_arrow(self, label: str, arrow_values: ArrowValues | None = None) -> pa.Table:
        """Every live node carrying ``label`` as Arrow: id, label, labels, lsn, schema_version, properties.

        ``arrow_values`` may present a column of decoded codec values (see
        :meth:`Snapshot.scan_label_arrow`).
        """
        return self.snapshot().scan_label_arrow(label, arrow_values)

    def scan_edge_type(self, edge_type: str) -> list[dict[str, Any]]:
        """Every live edge of ``edge_type``."""
        return self.snapshot().scan_edge_type(edge_type)

    def out_edges(self, edge_type: str, src: str) -> list[dict[str, Any]]:
        """Live ``edge_type`` edges leaving ``src``."""
        return self.snapshot().out_edges(edge_type, src)

    def in_edges(self, edge_type: str, dst: str) -> list[dict[str, Any]]:
        """Live ``edge_type`` edges entering ``dst``."""
        return self.snapshot().in_edges(edge_type, dst)

    def cache_stats(self) -> dict[str, int]:
        """The shared SST cache's counters."""
        return self.cache.stats()

    def close(self) -> None:
        """Drop staged work and refuse further calls (the store stays open: the caller owns it)."""
        with self._lock:
            self._closed = True
            self._staged = StagedBatch()
            self._view = None


def _parse_rows(
    rows: Any, keys: tuple[str, ...], what: str
) -> tuple[list[dict[str, Any]], set[int], tuple[np.ndarray, ...], PendingOrder | None]:
    """Bulk rows → (list of dicts, their key counts, id columns ``keys``, the run's pending order).

    ``keys`` is ``("id",)`` for nodes, ``("src", "dst")`` for edges.

    The ids alone decide the merge order(s): each parsed slice is sorted on
    the worker pool while the next one is parsed. The dict check comes after
    the ids, so the last sorts overlap it and the property columns that
    follow; a row that is not a dict (and so failed the parse) is named by it.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    sliced = SlicedPresort(len(keys) == 2, len(rows))
    try:
        ids = id_columns(rows, keys, sliced.add)
    except (TypeError, AttributeError):
        _as_rows(rows, what)
        raise
    rows, counts = _as_rows(rows, what)
    return rows, counts, ids, sliced.pending()


def _as_rows(rows: Any, what: str) -> tuple[list[dict[str, Any]], set[int]]:
    """``rows`` as a list of dicts, and the set of their key counts (for :func:`rows_to_columns`).

    One C-level pass does both: ``dict.__len__`` raises on anything but a dict.
    """
    out: list[dict[str, Any]] = rows if isinstance(rows, list) else list(rows)
    try:
        counts = set(map(dict.__len__, out))
    except TypeError:
        bad = next(i for i, r in enumerate(out) if not isinstance(r, dict))
        raise InvalidArgumentError(
            f"{what}: row {bad} must be a dict, got {type(out[bad]).__name__}"
        ) from None
    return out, counts


_Props = tuple[list[pa.Field], list[pa.Array]]


def _arrow_props(table: pa.Table, skip: tuple[str, ...]) -> _Props:
    props = [
        normalise_arrow_column(table.schema.field(n), table.column(n))
        for n in table.column_names
        if n not in skip
    ]
    return [p[0] for p in props], [p[1] for p in props]


def _node_system(ids: np.ndarray) -> list[pa.Array]:
    n = len(ids)
    return [numpy_to_fixed16(ids), _all_false(n), pa.nulls(n, pa.list_(pa.string()))]


def _edge_system(src: np.ndarray, dst: np.ndarray) -> list[pa.Array]:
    # Every bulk edge gets DEFAULT_EKEY (all zero bytes).
    return [numpy_to_fixed16(src), numpy_to_fixed16(dst), _zero_keys(len(src)), _all_false(len(src))]


def _table(system: list[pa.Array], fields: list[pa.Field], props: _Props = ([], [])) -> pa.Table:
    """A record-layout table: the system columns, then the property columns."""
    return pa.Table.from_arrays(system + props[1], schema=pa.schema(fields + props[0]))


def _all_false(n: int) -> pa.Array:
    """A bool array of ``n`` False (from buffers: ``pa.array`` would import pandas on first use)."""
    return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bytes((n + 7) // 8))])


def _zero_keys(n: int) -> pa.Array:
    return pa.Array.from_buffers(pa.binary(16), n, [None, pa.py_buffer(bytes(16 * n))])


def _wal_garbage(base: Manifest, now: float) -> tuple[tuple[str, float], ...]:
    """``base``'s garbage plus its WAL segments, which a flush drops (one entry for them all)."""
    return (*base.garbage, (paths.wal_below(base.next_lsn), now)) if base.wal else base.garbage


def _merge_schema(schema: dict[str, Any], runs: list[Run]) -> dict[str, Any]:
    """Record the property types seen per label / edge type (``{kind: {name: {prop: [types]}}}``).

    Returns ``schema`` itself when the runs bring nothing new, so successive
    manifests share it (and its cached JSON text, see ``manifest.model``).
    """
    out: dict[str, Any] | None = None
    for run in runs:
        kind = "labels" if run.kind is RecordKind.NODES else "edge_types"
        for f in run.table.schema:
            if f.name.startswith("__") or pa.types.is_null(f.type):
                continue
            t = "value" if f.metadata and f.metadata.get(b"namidb.encoding") == b"value" else str(f.type)
            current = out if out is not None else schema
            if t in current.get(kind, {}).get(run.name, {}).get(f.name, ()):
                continue
            if out is None:  # copy on first change only
                out = {k: {n: dict(p) for n, p in v.items()} for k, v in schema.items()}
            props = out.setdefault(kind, {}).setdefault(run.name, {})
            props[f.name] = sorted([*props.get(f.name, []), t])
    return schema if out is None else out
