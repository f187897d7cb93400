"""SSTs: immutable, sorted Parquet files of nodes or edges, described in the manifest."""

from namidb_core.storage.sst.layout import EDGES_FWD, EDGES_INV, NODES
from namidb_core.storage.sst.reader import SstReader
from namidb_core.storage.sst.writer import write_sst

__all__ = ["EDGES_FWD", "EDGES_INV", "NODES", "SstReader", "write_sst"]
