"""Flush: the committed memtable → level-0 SSTs.

Per label, the memtable's runs are merged (newest row per id; tombstones
kept, they must shadow older SSTs) into one ``nodes`` SST sorted by id. Per
edge type, into one ``edges_fwd`` SST sorted by (src, dst, ekey) and one
``edges_inv`` SST with the same rows sorted by (dst, src, ekey). The engine
then commits a manifest that adds them and drops the flushed WAL segments.
"""

from __future__ import annotations

import pyarrow as pa

from namidb_core.objectstore.base import ObjectStore
from namidb_core.storage.layout import LSN, edge_system_fields, node_system_fields
from namidb_core.storage.manifest.model import SstDescriptor
from namidb_core.storage.memtable import Memtable
from namidb_core.storage.merge import concat_tables, latest_edges, latest_nodes, sort_edges
from namidb_core.storage.sst.layout import EDGES_FWD, EDGES_INV, NODES
from namidb_core.storage.sst.writer import write_sst
from namidb_core.storage.wal.record import RecordKind

__all__ = ["NODE_FIELDS", "EDGE_FIELDS", "flush_memtable", "write_edge_pair"]

NODE_FIELDS = [*node_system_fields(), pa.field(LSN, pa.int64())]
EDGE_FIELDS = [*edge_system_fields(), pa.field(LSN, pa.int64())]


def write_edge_pair(
    store: ObjectStore, prefix: str, name: str, level: int, merged: pa.Table, epoch: int
) -> list[SstDescriptor]:
    """Write merged edges (sorted by src, dst, ekey) as a forward and an inverse SST."""
    fwd = write_sst(store, prefix, EDGES_FWD, name, level, merged, epoch=epoch)
    inv = write_sst(store, prefix, EDGES_INV, name, level, sort_edges(merged, inverse=True), epoch=epoch)
    return [fwd, inv]


def flush_memtable(store: ObjectStore, prefix: str, memtable: Memtable, epoch: int) -> list[SstDescriptor]:
    """Write every partition of ``memtable`` as L0 SSTs; return their descriptors."""
    out: list[SstDescriptor] = []
    for (kind, name), part in sorted(memtable.parts.items(), key=lambda kv: (int(kv[0][0]), kv[0][1])):
        tables = [r.with_lsn() for r in part.runs]
        if kind is RecordKind.NODES:
            merged = latest_nodes(concat_tables(tables, NODE_FIELDS))
            if merged.num_rows:
                out.append(write_sst(store, prefix, NODES, name, 0, merged, epoch=epoch))
        else:
            merged = latest_edges(concat_tables(tables, EDGE_FIELDS))
            if merged.num_rows:
                out.extend(write_edge_pair(store, prefix, name, 0, merged, epoch))
    return out
