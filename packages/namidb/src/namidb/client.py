"""``namidb.Client``: one namespace of a graph, opened from a store URI."""

from __future__ import annotations

import datetime
import json
import sys
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from namidb.__about__ import __version__
from namidb.result import QueryResult
from namidb_core.errors import (
    AlreadyExistsError,
    ClientClosedError,
    InvalidArgumentError,
    ReadOnlyError,
)
from namidb_core.objectstore import ObjectStore
from namidb_core.objectstore.preflight import verify_create_only
from namidb_core.plugins import get_registry
from namidb_core.storage import Engine
from namidb_core.uri import StoreURI, parse_uri
from namidb_core.values import register_value_type_loader

if TYPE_CHECKING:
    import pyarrow as pa

    from namidb_cypher.executor.context import Procedure
    from namidb_cypher.graph import TxGraph
    from namidb_cypher.schema import Schema


def _load_cypher_value_types() -> None:
    from namidb._temporal import register_storage

    register_storage()


# The Cypher stack (parser, executor, temporal library) is imported on the first
# statement, not with `import namidb`: direct-API users never pay for it. Stored
# Cypher values (type names "cypher.*") load it on first decode.
register_value_type_loader("cypher.", _load_cypher_value_types)

__all__ = ["Client"]

#: Past this many written entities, a writer rebuilds its graph from storage instead of growing the overlay.
_MAX_OVERLAY = 50_000

#: The namespace descriptor, written create-only when a namespace is first opened for writing.
NAMESPACE_FILE = "namespace.json"
FORMAT_VERSION = 1


class Client:
    """A connection to one namespace of a namidb graph.

    Args:
        uri: where the graph lives, e.g. ``"memory://demo"``,
            ``"file:///data/graphs?ns=prod"`` or ``"s3://bucket/prefix?ns=prod"``
            (the full grammar is in the README). Each ``memory://`` client has
            its own private store.
        mode: ``"w"`` (default) opens the namespace for writing (creating it if
            needed); ``"r"`` opens it read-only.
        cache_bytes: the byte budget of the client's SST cache.

    Raises:
        ValueError: (an ``InvalidURIError``) the URI is malformed, names an
            unknown scheme, or lacks a valid namespace.
        RuntimeError: (a ``BackendError``) the backend cannot be opened, e.g.
            its plugin is not installed.

    Use it as a context manager, or call :meth:`close` when done.
    """

    def __init__(self, uri: str, *, mode: Literal["w", "r"] = "w", cache_bytes: int = 256 << 20) -> None:
        if mode not in ("w", "r"):
            raise InvalidArgumentError(f"mode must be 'w' (read-write) or 'r' (read-only), got {mode!r}")
        if not isinstance(cache_bytes, int) or isinstance(cache_bytes, bool) or cache_bytes < 0:
            raise InvalidArgumentError(f"cache_bytes must be a non-negative int, got {cache_bytes!r}")
        self._uri: StoreURI = parse_uri(uri)
        self._mode = mode
        self._cache_bytes = cache_bytes
        self._lock = threading.RLock()
        self._closed = False
        self._executor: Any = None
        # (data epoch, the committed graph statements run over, its schema); see _base_graph.
        self._live: tuple[int, TxGraph, Schema] | None = None
        self._data_epoch = 0
        self._procedures: dict[str, Procedure] = {}
        self._store: ObjectStore = get_registry().open(self._uri)
        try:
            if mode == "w":
                _preflight(self._store, self.namespace_prefix())
                self._ensure_namespace()
            self._engine = Engine.open(
                self._store, self._uri.namespace_prefix, mode=mode, cache_bytes=cache_bytes
            )
        except BaseException:
            self._store.close()
            raise

    # -- lifecycle ---------------------------------------------------------------
    def _ensure_namespace(self) -> None:
        """Create the namespace descriptor on first write-open (create-only, so races are harmless)."""
        descriptor = {
            "format": "namidb",
            "format_version": FORMAT_VERSION,
            "namespace": self._uri.namespace,
            "created_by": f"namidb {__version__}",
            "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        }
        try:
            self._store.put_if_absent(
                self.namespace_prefix() + NAMESPACE_FILE, json.dumps(descriptor, sort_keys=True).encode()
            )
        except AlreadyExistsError:
            pass

    def _check_open(self) -> Engine:
        if self._closed:
            raise ClientClosedError(f"this namidb Client ({self.store_repr()}) is closed")
        return self._engine

    def close(self) -> None:
        """Release the client's resources. Calling it twice is fine; any other call after it raises."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._executor is not None:
                self._executor.shutdown(wait=True)
            try:
                self._engine.close()
            finally:
                self._store.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def __enter__(self) -> Client:
        self._check_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- introspection -----------------------------------------------------------
    @property
    def uri(self) -> StoreURI:
        """The parsed store URI."""
        return self._uri

    @property
    def mode(self) -> str:
        """``"w"`` or ``"r"``."""
        return self._mode

    def namespace_prefix(self) -> str:
        """The key prefix of this namespace inside the store root, e.g. ``"prod/"``."""
        return self._uri.namespace_prefix

    def store_repr(self) -> str:
        """A description of the store and namespace without secrets, e.g. ``file:///data?ns=prod``."""
        return self._uri.redacted()

    def __repr__(self) -> str:
        state = "closed" if self._closed else self._mode
        return f"<namidb.Client {self.store_repr()} ({state})>"

    # -- queries -----------------------------------------------------------------
    def cypher(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run one Cypher statement and return its rows.

        A statement's writes are staged and committed as one batch before this
        returns (durable on return); a statement that fails leaves nothing behind.
        Raises a ``CypherError`` subclass (with ``tck_name``, ``phase``, ``code``)
        for a bad statement.
        """
        engine = self._check_open()
        if not isinstance(query, str):
            raise InvalidArgumentError(f"query must be a string, got {type(query).__name__}")
        if params is not None and not isinstance(params, dict):
            raise InvalidArgumentError(f"params must be a dict, got {type(params).__name__}")
        from namidb._bridge import new_key, stage_changes, stage_schema, to_python
        from namidb._temporal import from_user
        from namidb_cypher.session import execute
        from namidb_cypher.temporal import pinned_clock

        with self._lock:
            base, schema = self._base_graph(engine)
            cypher_params = {k: from_user(v) for k, v in params.items()} if params else None
            with pinned_clock():  # datetime() & co. read one clock per statement
                result = execute(query, cypher_params, base, new_key, self._procedures, schema)
            if result.changes or result.ddl:
                if self._mode != "w":
                    raise ReadOnlyError("this client is read-only (mode='r'); the statement writes")
                try:
                    stage_changes(engine, base, result.changes)
                    stage_schema(engine, result.schema_changes)
                    engine.commit()
                except BaseException:
                    engine.rollback()
                    self._data_changed()
                    raise
                if result.ddl or result.graph is None:
                    self._data_changed()
                else:
                    base.absorb(result.graph)
            rows = [tuple(to_python(v, result.node_key) for v in row) for row in result.rows]
        return QueryResult(result.columns, rows, result.profile)

    async def acypher(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """:meth:`cypher` as a coroutine, run on this client's worker thread (the loop never blocks)."""
        import asyncio

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker(), self.cypher, query, params)

    def _worker(self) -> Any:
        from concurrent.futures import ThreadPoolExecutor

        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="namidb-acypher")
            return self._executor

    def _base_graph(self, engine: Engine) -> tuple[TxGraph, Schema]:
        """The graph a statement reads: the snapshot's base graph plus the writes Cypher committed since.

        Building the base graph from storage is O(graph); a writer instead keeps
        it and absorbs each committed statement (``TxGraph.absorb``), so an
        auto-commit statement costs what it touches. Any other change to the
        data — staging API, ``refresh()``, schema commands — or an overlay grown
        large makes the next statement rebuild from the engine's snapshot.
        """
        from namidb._bridge import new_key, snapshot_graph, snapshot_schema
        from namidb_cypher.graph import TxGraph

        live = self._live
        if live is not None and live[0] == self._data_epoch and live[1].overlay_size <= _MAX_OVERLAY:
            return live[1], live[2]
        snapshot = engine.snapshot()
        graph = TxGraph(snapshot_graph(snapshot), new_key)
        self._live = (self._data_epoch, graph, snapshot_schema(snapshot))
        return graph, self._live[2]

    def _data_changed(self) -> None:
        """Data changed outside Cypher: the next statement rebuilds its graph from the snapshot."""
        self._data_epoch += 1

    def register_procedure(self, signature: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
        """Register a table-backed procedure callable with ``CALL`` (used by the openCypher TCK).

        ``signature`` is e.g. ``"test.my.proc(in :: INTEGER?) :: (out :: STRING?)"``; the
        procedure returns the ``rows`` whose input columns equal the call's arguments.
        """
        from namidb._procedures import table_procedure

        proc = table_procedure(signature, columns, rows)
        self._procedures[proc.name.lower()] = proc

    # -- staging API ---------------------------------------------------------------
    def upsert_node(self, label: str, node_id: str, props: dict[str, Any] | None = None) -> None:
        """Stage an insert-or-replace of node ``node_id`` (a UUID string) with one label."""
        self._data_changed()
        self._check_open().upsert_node(label, node_id, props or {})

    def upsert_node_with_labels(
        self, labels: Sequence[str], node_id: str, props: dict[str, Any] | None = None
    ) -> None:
        """Stage a node with several labels; the first is its primary label."""
        if isinstance(labels, str) or not labels:
            raise InvalidArgumentError(f"labels must be a non-empty sequence of strings, got {labels!r}")
        self._data_changed()
        self._check_open().upsert_node(labels[0], node_id, props or {}, labels=list(labels))

    def upsert_edge(self, edge_type: str, src: str, dst: str, props: dict[str, Any] | None = None) -> None:
        """Stage an insert-or-replace of *the* ``edge_type`` edge from ``src`` to ``dst``."""
        self._data_changed()
        self._check_open().upsert_edge(edge_type, src, dst, props or {})

    def tombstone_node(self, label: str, node_id: str) -> None:
        """Stage the deletion of a node (its properties and labels; not its edges).

        Edges touching the node stay until they are tombstoned with
        :meth:`tombstone_edge` (Cypher's ``DETACH DELETE`` stages both): direct
        edge reads (:meth:`out_edges`, :meth:`in_edges`, :meth:`scan_edge_type`)
        still return them, while Cypher skips a relationship whose endpoint is gone.
        """
        self._data_changed()
        self._check_open().tombstone_node(label, node_id)

    def tombstone_edge(self, edge_type: str, src: str, dst: str) -> None:
        """Stage the deletion of every ``edge_type`` edge from ``src`` to ``dst``."""
        self._data_changed()
        self._check_open().tombstone_edge(edge_type, src, dst)

    def merge_nodes(self, label: str, rows: Any) -> int:
        """Stage many nodes at once; returns how many were staged.

        ``rows`` is a list of dicts each with an ``id`` (UUID string) plus
        properties, or a pyarrow Table / pandas / polars DataFrame with an
        ``id`` column (converted without a Python loop per row).
        """
        self._data_changed()
        return self._check_open().merge_nodes(label, _as_rows(rows))

    def merge_edges(self, edge_type: str, rows: Any) -> int:
        """Stage many edges at once (rows with ``src`` and ``dst`` plus properties); returns the count."""
        self._data_changed()
        return self._check_open().merge_edges(edge_type, _as_rows(rows))

    def commit(self) -> int | None:
        """Make the staged batch durable (WAL + manifest CAS); returns its last LSN, or None if empty."""
        return self._check_open().commit()

    def rollback(self) -> None:
        """Drop the staged, uncommitted batch."""
        self._data_changed()
        self._check_open().rollback()

    def flush(self) -> dict[str, Any]:
        """Write the memtable out as L0 SSTs (the data is durable before this; flush bounds recovery)."""
        return self._check_open().flush()

    def compact(self) -> dict[str, Any]:
        """Merge SSTs level by level; returns a report of what was done."""
        return self._check_open().compact()

    def refresh(self) -> int:
        """Move to the newest committed version (read-only clients follow a writer this way)."""
        self._data_changed()
        return self._check_open().refresh()

    # -- direct reads ----------------------------------------------------------------
    def lookup_node(self, label: str, node_id: str) -> dict[str, Any] | None:
        """One node as ``{"id", "label", "labels", "lsn", "schema_version", "properties"}``, or None."""
        row = self._check_open().lookup_node(label, node_id)
        return None if row is None else _user_row(row)

    def scan_label(self, label: str) -> list[dict[str, Any]]:
        """Every node of ``label``, as :meth:`lookup_node` dicts."""
        return [_user_row(r) for r in self._check_open().scan_label(label)]

    def scan_label_arrow(self, label: str) -> pa.Table:
        """Every node of ``label`` as a pyarrow Table.

        Columns: ``id``, ``label``, ``labels``, ``lsn``, ``schema_version``, then
        the union of property keys (missing values are null). A property of
        one type has its Arrow type; Cypher temporal values come as
        ``QueryResult.to_arrow()`` gives them (dates ``date32``, datetimes
        ``timestamp``, times ``time64``, durations a struct). Maps and lists
        mixing types hold each value's codec bytes
        (``namidb_core.values.decode_value`` reads one), and a property whose
        values differ in type across nodes is a dense union with one child per type.
        """
        return self._check_open().scan_label_arrow(label, _temporal_column)

    def scan_edge_type(self, edge_type: str) -> list[dict[str, Any]]:
        """Every edge of ``edge_type``."""
        return [_user_row(r) for r in self._check_open().scan_edge_type(edge_type)]

    def out_edges(self, edge_type: str, src: str) -> list[dict[str, Any]]:
        """The ``edge_type`` edges leaving ``src``."""
        return [_user_row(r) for r in self._check_open().out_edges(edge_type, src)]

    def in_edges(self, edge_type: str, dst: str) -> list[dict[str, Any]]:
        """The ``edge_type`` edges arriving at ``dst``."""
        return [_user_row(r) for r in self._check_open().in_edges(edge_type, dst)]

    def cache_stats(self) -> dict[str, int]:
        """The SST cache counters: hit, miss, evict, insert, bytes and capacity_bytes."""
        return self._check_open().cache_stats()


_verified_stores: set[str] = set()
_verified_lock = threading.Lock()


def _preflight(store: ObjectStore, namespace_prefix: str) -> None:
    """Prove, once per store per process, that the store enforces create-only writes.

    A store that silently accepts a second create-only write (an emulator or an
    S3-compatible service ignoring ``If-None-Match``) would let two writers both
    win a commit; refusing to open for writing is the only safe answer.
    """
    with _verified_lock:
        if store.identity in _verified_stores:
            return
    verify_create_only(store, namespace_prefix + "manifest/preflight/")
    with _verified_lock:
        _verified_stores.add(store.identity)


def _temporal_column(values: list[Any]) -> pa.Array | None:
    """Stored Cypher temporal values of one type as ``QueryResult.to_arrow()`` types them, else None."""
    if "namidb_cypher" not in sys.modules:
        return None  # decoding a temporal value imports the Cypher stack: none was decoded
    from namidb._temporal import to_user
    from namidb.result import arrow_column
    from namidb_cypher.temporal import Temporal

    if all(v is None for v in values) or not all(v is None or isinstance(v, Temporal) for v in values):
        return None
    field, array = arrow_column("value", [None if v is None else to_user(v) for v in values])
    return array if field.metadata is None else None  # several types: JSON text, not wanted here


def _user_row(row: dict[str, Any]) -> dict[str, Any]:
    """A direct-API row with stored Cypher temporal values in their user-facing ``datetime`` form.

    Such values exist in memory only once the Cypher stack is loaded (their
    type loader imports it), so without it there is nothing to convert.
    """
    if "namidb_cypher" not in sys.modules:
        return row
    from namidb._temporal import to_user_deep

    props = row.get("properties")
    if props:
        row["properties"] = {k: to_user_deep(v) for k, v in props.items()}
    return row


def _as_rows(rows: Any) -> Any:
    """Accept a list of dicts, a pyarrow Table, or a pandas / polars DataFrame (as Arrow, no row loop)."""
    import pyarrow as pa

    if isinstance(rows, (list, tuple, pa.Table)):
        return rows
    to_arrow = getattr(rows, "to_arrow", None)  # polars
    if callable(to_arrow):
        return to_arrow()
    if type(rows).__module__.startswith("pandas"):
        return pa.Table.from_pandas(rows, preserve_index=False)
    raise InvalidArgumentError(
        "rows must be a list of dicts, a pyarrow Table or a pandas/polars DataFrame, "
        f"got {type(rows).__name__}"
    )
