"""Vectorized merging: keep the newest row per key, apply edge wildcard tombstones.

Rows are ordered by their 16-byte key columns concatenated into one
fixed-width byte string per row, followed by the row's index as 4 (or 8)
big-endian bytes: the index makes every string unique, so numpy's plain
(unstable, fastest) sort of those ``S<w>`` values yields exactly the stable
byte-order multi-key sort, and the sorted values carry both the order and
the sorted keys. Measured ~3x faster than Arrow's multi-column sort of
fixed-size binary columns, and correct for any ids (uuid7s sharing their high
bytes included). A trailing key column holding one value on every row (the
default ekey of a bulk merge) is left out of the sort string.

Every row carries a unique LSN; inputs are concatenated oldest first, so the
newest row of a key is the last of its group after the (stable) sort.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from namidb_core.storage.columns import unify_columns
from namidb_core.storage.layout import DST, EKEY, ID, LABELS, LSN, SRC, TOMB, WILDCARD_EKEY
from namidb_core.storage.workers import POOL
from namidb_core.values import fixed16_to_numpy, one_chunk

__all__ = [
    "MergeOrder",
    "PendingOrder",
    "SliceSorter",
    "SlicedPresort",
    "concat_tables",
    "drop_tombstones",
    "index_array",
    "latest_edge_rows",
    "latest_edges",
    "latest_nodes",
    "presort",
    "sort_order",
    "take_rows",
]

_WILD = np.frombuffer(WILDCARD_EKEY, dtype=np.uint8)


def index_array(rows: np.ndarray) -> pa.Array:
    """Row indices as an Arrow int64 array, zero-copy.

    ``pa.array(ndarray)`` would do too, but its first call in a process makes
    pyarrow import pandas (0.2-0.5 s); bulk paths avoid it.
    """
    ints = np.ascontiguousarray(rows, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(ints), [None, pa.py_buffer(ints)])


def sort_order(table: pa.Table, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The stable byte-order sort of ``table`` by 16-byte key ``columns``.

    Returns ``(order, last)``: the row indices in sorted order, and a mask
    over that order marking the last row of each distinct key. Callers
    concatenate their sources oldest first (older levels, then L0 by LSN,
    then memtable runs in commit order) and keep each key's rows in LSN
    order, so the last row of each key in this order is the newest — no LSN
    sort key needed.
    """
    n = table.num_rows
    raws = [fixed16_to_numpy(table.column(c)) for c in columns]
    while len(raws) > 1 and (n == 0 or (raws[-1] == raws[-1][0]).all()):
        raws.pop()  # one value on every row: adds nothing to the order
    buf = _key_buffer(n, len(raws))
    _fill_keys(buf, 0, raws)
    _sort_view(buf).sort(kind="quicksort")  # in place: no second copy
    return _order_and_last(buf, len(raws))


def _key_buffer(n: int, columns: int) -> np.ndarray:
    """Room for ``n`` rows of ``columns`` 16-byte keys followed by the row's index, big-endian."""
    index_bytes = 4 if n < (1 << 32) else 8
    return np.empty((n, 16 * columns + index_bytes), dtype=np.uint8)


def _fill_keys(buf: np.ndarray, start: int, raws: Sequence[np.ndarray]) -> None:
    """Write rows ``start:start + len(raws[0])`` of a :func:`_key_buffer`: the keys, then the index."""
    n, width = len(raws[0]), 16 * len(raws)
    part = buf[start : start + n]
    for i, raw in enumerate(raws):
        part[:, 16 * i : 16 * i + 16] = raw
    size = buf.shape[1] - width
    part[:, width:] = np.arange(start, start + n, dtype=f">u{size}").view(np.uint8).reshape(n, size)


def _sort_view(buf: np.ndarray) -> np.ndarray:
    """The rows of ``buf`` as one ``S<width>`` value each (sorting it sorts the rows bytewise)."""
    return buf.view(f"S{buf.shape[1]}").ravel()


def _order_and_last(buf: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted :func:`_key_buffer` rows → (row indices in order, mask of each key's last row)."""
    n, width = buf.shape[0], 16 * columns
    order = np.ascontiguousarray(buf[:, width:]).view(f">u{buf.shape[1] - width}").ravel().astype(np.int64)
    # The sorted keys as a strided S<width> view of the same buffer (no copy).
    keys = np.ndarray((n,), dtype=f"S{width}", buffer=buf, strides=(buf.shape[1],))
    last = np.ones(n, dtype=bool)
    if n > 1:
        last[:-1] = keys[1:] != keys[:-1]
    return order, last


def concat_tables(tables: Sequence[pa.Table], system: Sequence[pa.Field]) -> pa.Table:
    """Concatenate tables with differing property columns (a mix becomes a codec column)."""
    tables = [t for t in tables if t.num_rows]
    if not tables:
        return pa.Table.from_arrays([pa.array([], type=f.type) for f in system], schema=pa.schema(system))
    if len(tables) == 1:
        return tables[0]
    names: dict[str, None] = {}
    for t in tables:
        names.update(dict.fromkeys(t.schema.names))
    fields: list[pa.Field] = []
    arrays: list[pa.ChunkedArray] = []
    for name in names:
        parts = []
        for t in tables:
            i = t.schema.get_field_index(name)
            parts.append((t.schema.field(i), t.column(i), t.num_rows) if i >= 0 else (None, None, t.num_rows))
        if name.startswith("__"):
            f = next(p[0] for p in parts if p[0] is not None)
            chunks = [c if c is not None else pa.nulls(n, f.type) for _, c, n in parts]
            flat = [x for ch in chunks for x in (ch.chunks if isinstance(ch, pa.ChunkedArray) else [ch])]
            fields.append(pa.field(name, f.type))
            arrays.append(pa.chunked_array(flat, type=f.type))
        else:
            f2, arr = unify_columns(parts)
            fields.append(f2)
            arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _take(table: pa.Table, keep: np.ndarray) -> pa.Table:
    if len(keep) == table.num_rows and (len(keep) < 2 or bool((np.diff(keep) == 1).all())):
        return table
    return table.take(index_array(keep))


def latest_nodes(table: pa.Table) -> pa.Table:
    """Keep the newest row per ``__id`` (input oldest first); the result is sorted by id."""
    if table.num_rows == 0:
        return table
    return _take(table, _latest_node_rows(table))


def latest_edges(table: pa.Table) -> pa.Table:
    """Keep the newest row per (src, dst, ekey) and apply wildcard tombstones.

    Input rows must be oldest first (see :func:`sort_order`). A wildcard
    tombstone removes every edge between its (src, dst) with a lower LSN; it
    stays in the result (as a tombstone) to shadow older files. The result is
    sorted by (src, dst, ekey).
    """
    if table.num_rows == 0:
        return table
    return _take(table, latest_edge_rows(table))


def latest_edge_rows(table: pa.Table) -> np.ndarray:
    """The rows :func:`latest_edges` keeps, as indices in (src, dst, ekey) order."""
    if table.num_rows == 0:
        return np.empty(0, dtype=np.int64)
    order, last = sort_order(table, [SRC, DST, EKEY])
    keep = order[last]
    ekeys = fixed16_to_numpy(table.column(EKEY))
    wild = np.zeros(len(keep), dtype=bool)
    maybe = np.flatnonzero(ekeys[keep, 0] == 0xFF)  # cheap first-byte filter
    if len(maybe):
        wild[maybe] = (ekeys[keep[maybe]] == _WILD).all(axis=1)
    if wild.any():
        ends = [fixed16_to_numpy(table.column(c))[keep] for c in (SRC, DST)]
        pairs = np.concatenate(ends, axis=1).view("S32").ravel()  # sorted: a prefix of the sort key
        pair_new = np.ones(len(pairs), dtype=bool)
        pair_new[1:] = pairs[1:] != pairs[:-1]
        # Without an LSN column (a run not yet committed) row order is LSN order.
        lsns = table.column(LSN).to_numpy() if LSN in table.column_names else np.arange(table.num_rows)
        lsn_k = lsns[keep]
        group = np.cumsum(pair_new) - 1
        wl = np.where(wild, lsn_k, -1)
        gmax = np.maximum.reduceat(wl, np.flatnonzero(pair_new))
        alive = wild | (lsn_k > gmax[group])
        keep = keep[alive]
    rows: np.ndarray = keep
    return rows


@dataclass(frozen=True)
class MergeOrder:
    """How one run's rows merge: what a flush of that run alone would sort.

    ``keep`` is :func:`latest_nodes`' or :func:`latest_edge_rows`' surviving
    rows in key order; ``inverse`` (edges only) is the (dst, src, ekey) order of
    *all* rows, as :func:`~namidb_core.storage.flush.merge_edge_pair` wants it.
    """

    keep: np.ndarray
    inverse: np.ndarray | None
    #: Columns holding one value on every row (a bulk merge's edge keys, live flags and
    #: labels): :func:`take_rows` slices them instead of gathering.
    uniform: tuple[str, ...] = ()


class PendingOrder:
    """A run's :class:`MergeOrder`, being computed on the worker pool."""

    def __init__(
        self, keep: Future[np.ndarray], inverse: Future[np.ndarray] | None, uniform: tuple[str, ...] = ()
    ) -> None:
        self._keep, self._inverse, self._uniform = keep, inverse, uniform

    def result(self) -> MergeOrder:
        """Wait for the sorts (re-raising any error they met)."""
        inverse = None if self._inverse is None else self._inverse.result()
        return MergeOrder(self._keep.result(), inverse, self._uniform)


def take_rows(table: pa.Table, rows: np.ndarray, uniform: Sequence[str] = ()) -> pa.Table:
    """``table.take(rows)``, slicing the ``uniform`` columns (one value on every row) instead.

    Gathering is what a flush's takes cost: random reads, and fresh pages
    for each gathered column.
    """
    if not uniform:
        return table.take(index_array(rows))
    index = index_array(rows)
    n = len(rows)
    columns = [
        one_chunk(col).slice(0, n) if name in uniform else col.take(index)
        for name, col in zip(table.column_names, table.columns, strict=True)
    ]
    return pa.Table.from_arrays(columns, schema=table.schema)


#: Staged tables of at least this many rows sort themselves in the background.
PRESORT_MIN_ROWS = 16_384


def presort(edges: bool, table: pa.Table) -> PendingOrder | None:
    """Start sorting a staged table on the worker pool (None below :data:`PRESORT_MIN_ROWS` rows).

    A bulk table sorts itself while its writer goes on to commit it (WAL
    encoding and fsyncs leave the second core idle); a flush of that run alone
    then skips both sorts. Sorting is pure: the rows are immutable Arrow
    buffers, and a run never changes its row order.
    """
    if table.num_rows < PRESORT_MIN_ROWS:
        return None
    if edges:
        return PendingOrder(
            POOL.submit(latest_edge_rows, table), POOL.submit(lambda: sort_order(table, [DST, SRC, EKEY])[0])
        )
    return PendingOrder(POOL.submit(_latest_node_rows, table), None)


#: Rows per slice a :class:`SliceSorter` hands the worker pool.
SORT_SLICE_ROWS = 131_072


class SliceSorter:
    """One key order of rows that arrive a slice at a time (ids parsed from dicts).

    The caller's thread copies each slice's keys into place; once
    :data:`SORT_SLICE_ROWS` rows are in, a worker sorts them while the
    caller parses on. :meth:`result` then merges the sorted slices with one
    stable sort, which finds the runs (timsort). A worker task is a single
    numpy sort, which releases the GIL: tasks that needed it often would
    stall in turn behind the parsing thread, which holds it.
    """

    def __init__(self, n: int, columns: int) -> None:
        self._columns = columns
        self._buf = _key_buffer(n, columns)
        self._filled = self._submitted = 0
        self._parts: list[Future[None]] = []

    def add(self, start: int, raws: Sequence[np.ndarray]) -> None:
        """Rows ``start:start + len(raws[0])`` arrived (in order): their key columns, in sort order."""
        _fill_keys(self._buf, start, raws)
        self._filled = start + len(raws[0])
        if self._filled - self._submitted >= SORT_SLICE_ROWS or self._filled == len(self._buf):
            part = _sort_view(self._buf[self._submitted : self._filled])
            self._parts.append(POOL.submit(part.sort, kind="quicksort"))
            self._submitted = self._filled

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """``(order, last)`` as :func:`sort_order` gives them, once every row has arrived."""
        for part in self._parts:
            part.result()
        if len(self._parts) > 1:
            _sort_view(self._buf).sort(kind="stable")
        return _order_and_last(self._buf, self._columns)


class SlicedPresort:
    """:func:`presort` for a run whose ids are parsed a slice at a time.

    Feed it every slice's id columns in order: ``(id,)`` for nodes,
    ``(src, dst)`` for edges. The rows are a bulk merge's: all live, without
    extra labels, with the default edge key — so the sorts need none of
    those, and the order marks them uniform. :meth:`pending` then finishes
    the sorts on the worker pool.
    """

    def __init__(self, edges: bool, n: int) -> None:
        self._sorters: tuple[SliceSorter, ...] = ()
        if n >= PRESORT_MIN_ROWS:
            self._sorters = (SliceSorter(n, 2), SliceSorter(n, 2)) if edges else (SliceSorter(n, 1),)

    def add(self, start: int, ids: Sequence[np.ndarray]) -> None:
        """Rows ``start:start + len(ids[0])`` arrived: their id columns."""
        if self._sorters:
            self._sorters[0].add(start, ids)
        if len(self._sorters) == 2:
            self._sorters[1].add(start, ids[::-1])  # the inverse order: (dst, src)

    def pending(self) -> PendingOrder | None:
        """The run's :class:`MergeOrder`, being finished (None below :data:`PRESORT_MIN_ROWS` rows).

        The merges wait only for slice sorts submitted before them, and the
        pool runs tasks first in, first out: those are running or done.
        """
        if not self._sorters:
            return None
        keep = POOL.submit(_kept_rows, self._sorters[0])
        if len(self._sorters) == 1:
            return PendingOrder(keep, None, (TOMB, LABELS))
        inverse = POOL.submit(lambda s: s.result()[0], self._sorters[1])
        return PendingOrder(keep, inverse, (EKEY, TOMB))


def _kept_rows(sorter: SliceSorter) -> np.ndarray:
    order, last = sorter.result()
    rows: np.ndarray = order[last]
    return rows


def _latest_node_rows(table: pa.Table) -> np.ndarray:
    order, last = sort_order(table, [ID])
    rows: np.ndarray = order[last]
    return rows


def drop_tombstones(table: pa.Table) -> pa.Table:
    """Only the live rows."""
    if table.num_rows == 0:
        return table
    tomb = table.column(TOMB)
    if not pc.any(tomb).as_py():
        return table
    return table.filter(pc.invert(tomb))
