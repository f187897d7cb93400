"""Flush: the committed memtable → level-0 SSTs.

Per label, the memtable's runs are merged (newest row per id; tombstones
kept, they must shadow older SSTs) into one ``nodes`` SST sorted by id. Per
edge type, into one ``edges_fwd`` SST sorted by (src, dst, ekey) and one
``edges_inv`` SST with the same rows sorted by (dst, src, ekey). The engine
then commits a manifest that adds them and drops the flushed WAL segments.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from namidb_core.objectstore.base import ObjectStore
from namidb_core.storage.layout import DST, EKEY, LSN, SRC, TOMB, edge_system_fields, node_system_fields
from namidb_core.storage.manifest.model import SstDescriptor
from namidb_core.storage.memtable import Memtable
from namidb_core.storage.merge import (
    MergeOrder,
    concat_tables,
    latest_edge_rows,
    latest_nodes,
    sort_order,
    take_rows,
)
from namidb_core.storage.sst.layout import EDGES_FWD, EDGES_INV, NODES
from namidb_core.storage.sst.writer import BuiltSst, build_sst, store_ssts
from namidb_core.storage.wal.record import RecordKind
from namidb_core.storage.workers import POOL

__all__ = [
    "EDGE_FIELDS",
    "NODE_FIELDS",
    "flush_memtable",
    "merge_edge_pair",
]

NODE_FIELDS = [*node_system_fields(), pa.field(LSN, pa.int64())]
#: An SST file at least this large is stored by the flush as soon as it is encoded.
STORE_EARLY_BYTES = 4 << 20
EDGE_FIELDS = [*edge_system_fields(), pa.field(LSN, pa.int64())]


def merge_edge_pair(
    name: str,
    level: int,
    table: pa.Table,
    *,
    drop_tombs: bool = False,
    order: MergeOrder | None = None,
    built: Callable[[BuiltSst], None] = lambda b: None,
) -> list[BuiltSst]:
    """Merge unmerged edges (oldest first) straight into a forward and an inverse SST.

    The two sorts are independent, so the inverse order of *all* rows is
    computed on a worker thread while this one finds the surviving rows in
    forward order; the inverse file is then those rows in inverse order (the
    survivors have distinct keys, so no tie can reorder them). ``order``
    gives both already (a run that sorted itself). Returns [] when nothing
    survives. ``built`` is called with each file as soon as it is encoded,
    on the thread that encoded it (a flush starts storing the forward file
    while the inverse one is still being encoded).
    """
    n = table.num_rows
    if order is not None and order.inverse is not None:
        keep, inv = order.keep, order.inverse
    else:
        inv_order = POOL.submit(lambda: sort_order(table, [DST, SRC, EKEY])[0])
        try:
            keep = latest_edge_rows(table)
        finally:
            inv = inv_order.result()
    if drop_tombs and len(keep):
        keep = keep[~table.column(TOMB).to_numpy(zero_copy_only=False)[keep]]
    if not len(keep):
        return []
    alive = np.zeros(n, dtype=bool)
    alive[keep] = True
    fwd_rows, inv_rows = keep, inv[alive[inv]]

    uniform = order.uniform if order is not None else ()

    def make(kind: str, rows: np.ndarray) -> BuiltSst:
        sst = build_sst(kind, name, level, take_rows(table, rows, uniform))
        built(sst)
        return sst

    future = POOL.submit(make, EDGES_INV, inv_rows)
    try:
        fwd = make(EDGES_FWD, fwd_rows)
    finally:
        inv_built = future.result()
    return [fwd, inv_built]


def flush_memtable(store: ObjectStore, prefix: str, memtable: Memtable, epoch: int) -> list[SstDescriptor]:
    """Write every partition of ``memtable`` as L0 SSTs; return their descriptors.

    Files of at least :data:`STORE_EARLY_BYTES` are stored as soon as they are
    encoded (their fsync overlaps the encoding of the next one); the rest are
    stored at the end as one durable group (one parallel fsync round).
    """
    built: list[BuiltSst] = []
    stored: set[str] = set()

    def store_large(sst: BuiltSst) -> None:
        if len(sst.data) >= STORE_EARLY_BYTES:
            store_ssts(store, prefix, [sst])
            stored.add(sst.key)

    for (kind, name), part in sorted(memtable.parts.items(), key=lambda kv: (int(kv[0][0]), kv[0][1])):
        tables = [r.with_lsn() for r in part.runs]
        # A partition of one self-sorted run (a bulk load) reuses its order.
        only = part.runs[0].order if len(part.runs) == 1 else None
        order = only.result() if only is not None else None
        if kind is RecordKind.NODES:
            table = concat_tables(tables, NODE_FIELDS)
            merged = latest_nodes(table) if order is None else take_rows(table, order.keep, order.uniform)
            if merged.num_rows:
                built.append(build_sst(NODES, name, 0, merged))
        else:
            edges = concat_tables(tables, EDGE_FIELDS)
            built.extend(merge_edge_pair(name, 0, edges, order=order, built=store_large))
    store_ssts(store, prefix, [b for b in built if b.key not in stored])
    return [b.descriptor for b in built]
