"""Vectorized merging: keep the newest row per key, apply edge wildcard tombstones.

Rows are ordered with Arrow's stable multi-key sort on the 16-byte key
columns; group boundaries are found by comparing each key, viewed as two
big-endian uint64 words, with its neighbour. Every row carries a unique LSN;
inputs are concatenated oldest first, so the newest row of a key is the last
of its group after the stable sort.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from namidb_core.storage.columns import unify_columns
from namidb_core.storage.layout import DST, EKEY, ID, LSN, SRC, TOMB, WILDCARD_EKEY
from namidb_core.values import fixed16_to_numpy

__all__ = ["concat_tables", "drop_tombstones", "key_words", "latest_edges", "latest_nodes", "sort_edges"]

_WILD = np.frombuffer(WILDCARD_EKEY, dtype=">u8")


def key_words(col: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """A 16-byte key column as (high, low) uint64 words in byte order."""
    raw = fixed16_to_numpy(col)
    words = np.ascontiguousarray(raw).view(">u8").astype(np.uint64)
    return words[:, 0], words[:, 1]


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


def _first_of_groups(*cols: np.ndarray) -> np.ndarray:
    n = len(cols[0])
    new = np.zeros(n, dtype=bool)
    if n:
        new[0] = True
        for c in cols:
            new[1:] |= c[1:] != c[:-1]
    return new


def _last_of_groups(*cols: np.ndarray) -> np.ndarray:
    n = len(cols[0])
    last = np.zeros(n, dtype=bool)
    if n:
        last[-1] = True
        for c in cols:
            last[:-1] |= c[1:] != c[:-1]
    return last


def _order(table: pa.Table, keys: Sequence[str]) -> np.ndarray:
    """A *stable* sort by ``keys`` (byte order), via Arrow's multi-key sort.

    Callers concatenate their sources oldest first (older levels, then L0 by
    LSN, then memtable runs in commit order) and keep each key's rows in LSN
    order, so after this stable sort the last row of each key is the newest —
    no LSN sort key needed.
    """
    spec = [(k, "ascending") for k in keys]
    order: np.ndarray = pc.sort_indices(table.select(list(keys)), spec).to_numpy()
    return order


def _take(table: pa.Table, keep: np.ndarray) -> pa.Table:
    if len(keep) == table.num_rows and (len(keep) < 2 or bool((np.diff(keep) == 1).all())):
        return table
    return table.take(pa.array(keep))


def latest_nodes(table: pa.Table) -> pa.Table:
    """Keep the newest row per ``__id`` (input oldest first); the result is sorted by id."""
    if table.num_rows == 0:
        return table
    hi, lo = key_words(table.column(ID))
    order = _order(table, [ID])
    keep = order[_last_of_groups(hi[order], lo[order])]
    return _take(table, keep)


def latest_edges(table: pa.Table) -> pa.Table:
    """Keep the newest row per (src, dst, ekey) and apply wildcard tombstones.

    Input rows must be oldest first (see :func:`_order`). A wildcard tombstone
    removes every edge between its (src, dst) with a lower LSN; it stays in
    the result (as a tombstone) to shadow older files. The result is sorted by
    (src, dst, ekey).
    """
    if table.num_rows == 0:
        return table
    order = _order(table, [SRC, DST, EKEY])
    sh, sl = (w[order] for w in key_words(table.column(SRC)))
    dh, dl = (w[order] for w in key_words(table.column(DST)))
    eh, el = (w[order] for w in key_words(table.column(EKEY)))
    last = _last_of_groups(sh, sl, dh, dl, eh, el)
    keep = order[last]
    wild = (eh[last] == _WILD[0]) & (el[last] == _WILD[1])
    if wild.any():
        sh, sl, dh, dl = sh[last], sl[last], dh[last], dl[last]
        lsn_k = table.column(LSN).to_numpy()[keep]
        pair_new = _first_of_groups(sh, sl, dh, dl)
        group = np.cumsum(pair_new) - 1
        wl = np.where(wild, lsn_k, -1)
        gmax = np.maximum.reduceat(wl, np.flatnonzero(pair_new))
        alive = wild | (lsn_k > gmax[group])
        keep = keep[alive]
    return _take(table, keep)


def sort_edges(table: pa.Table, inverse: bool) -> pa.Table:
    """Sort edges by (src, dst, ekey), or by (dst, src, ekey) when ``inverse``."""
    if table.num_rows == 0:
        return table
    return table.take(pa.array(_order(table, [DST, SRC, EKEY] if inverse else [SRC, DST, EKEY])))


def drop_tombstones(table: pa.Table) -> pa.Table:
    """Only the live rows."""
    if table.num_rows == 0:
        return table
    tomb = table.column(TOMB)
    if not pc.any(tomb).as_py():
        return table
    return table.filter(pc.invert(tomb))
