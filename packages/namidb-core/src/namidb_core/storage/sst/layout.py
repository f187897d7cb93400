"""What an SST file holds.

One Parquet file per (kind, label or edge type) per flush or compaction
output. Kinds: ``nodes`` sorted by ``__id``; ``edges_fwd`` sorted by
(``__src``, ``__dst``, ``__ekey``); ``edges_inv`` — the same rows sorted by
(``__dst``, ``__src``, ``__ekey``), so both directions expand from sorted
ranges. Columns follow :mod:`namidb_core.storage.layout` plus ``__lsn``;
property columns are typed when one type holds across the file's rows, else a
binary column of codec bytes marked ``namidb.encoding=value`` in the field
metadata (Parquet keeps the Arrow schema, so the mark survives). Tombstones
are rows with ``__tomb`` true; they are dropped only at the deepest level.

Point lookups binary-search the sorted key column (``numpy.searchsorted`` on
an ``S16`` view, cached per file) after min/max pruning from the descriptor;
we chose this over bloom filters because the files are fully sorted and
fetched whole, so a search is O(log n) with no extra artifact to keep honest.
"""

from __future__ import annotations

__all__ = ["EDGES_FWD", "EDGES_INV", "KINDS", "NODES", "leading_column"]

NODES = "nodes"
EDGES_FWD = "edges_fwd"
EDGES_INV = "edges_inv"
KINDS = (NODES, EDGES_FWD, EDGES_INV)


def leading_column(kind: str) -> str:
    """The column a file of ``kind`` is sorted by first."""
    return {NODES: "__id", EDGES_FWD: "__src", EDGES_INV: "__dst"}[kind]
