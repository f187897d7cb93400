"""Column conventions shared by WAL records, the memtable and SSTs.

System columns start with ``__`` (property keys may not):

=============  ===========================  =======================================
column         type                         meaning
=============  ===========================  =======================================
``__id``       fixed_size_binary(16)        node id
``__src``      fixed_size_binary(16)        edge source node id
``__dst``      fixed_size_binary(16)        edge target node id
``__ekey``     fixed_size_binary(16)        edge key (all zero: "the default edge")
``__tomb``     bool                         the row is a tombstone
``__labels``   list<string>                 all labels of a node (null: only the primary)
``__lsn``      int64                        the row's LSN (memtable/SST; derived in WAL)
=============  ===========================  =======================================

Edge identity: an edge is keyed by (type, src, dst, ekey). The staging API's
``upsert_edge`` without ``edge_key`` addresses the default edge (ekey all
zero), so repeating it updates "the" edge between two nodes; Cypher CREATE
passes a fresh uuid7 ekey so two KNOWS between the same nodes can coexist.
``tombstone_edge(type, src, dst)`` writes a tombstone with the wildcard ekey
(all 0xff), which removes every edge of that type between the two nodes whose
LSN is lower.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = [
    "DEFAULT_EKEY",
    "EDGE_KEYS",
    "EKEY",
    "ID",
    "LABELS",
    "LSN",
    "SRC",
    "DST",
    "TOMB",
    "WILDCARD_EKEY",
    "edge_system_fields",
    "node_system_fields",
]

ID, SRC, DST, EKEY, TOMB, LABELS, LSN = "__id", "__src", "__dst", "__ekey", "__tomb", "__labels", "__lsn"
EDGE_KEYS = (SRC, DST, EKEY)
DEFAULT_EKEY = bytes(16)
WILDCARD_EKEY = b"\xff" * 16
ID_TYPE = pa.binary(16)


def node_system_fields() -> list[pa.Field]:
    """The system fields of a node row (without ``__lsn``)."""
    return [pa.field(ID, ID_TYPE), pa.field(TOMB, pa.bool_()), pa.field(LABELS, pa.list_(pa.string()))]


def edge_system_fields() -> list[pa.Field]:
    """The system fields of an edge row (without ``__lsn``)."""
    return [
        pa.field(SRC, ID_TYPE),
        pa.field(DST, ID_TYPE),
        pa.field(EKEY, ID_TYPE),
        pa.field(TOMB, pa.bool_()),
    ]
