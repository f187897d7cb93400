"""Writing SSTs: a sorted table → Parquet bytes → object → descriptor.

:func:`build_sst` does the CPU part (encode, describe) and :func:`store_ssts`
the I/O for several files at once: on file:// one ``create_many`` group (the
files are linked, then all fsynced in one parallel round — safe because no
manifest names them yet, so a file torn by a power cut is an orphan the sweep
removes), elsewhere parallel plain PUTs (SSTs may exceed the size backends
allow for conditional writes; their keys are unique anyway).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from namidb_core.errors import StorageError
from namidb_core.objectstore.base import ObjectStore
from namidb_core.objectstore.local import LocalStore
from namidb_core.storage.layout import DST, ID, LABELS, LSN, SRC, TOMB
from namidb_core.storage.manifest import paths
from namidb_core.storage.manifest.model import SstDescriptor
from namidb_core.storage.retry import retrying
from namidb_core.storage.sst.layout import NODES, leading_column
from namidb_core.storage.sst.stats import table_stats
from namidb_core.storage.workers import POOL
from namidb_core.values import fixed16_to_numpy

__all__ = ["BuiltSst", "build_sst", "encode_parquet", "store_ssts", "write_sst"]


@dataclass(frozen=True)
class BuiltSst:
    """An encoded SST not yet stored: its key, bytes and descriptor."""

    key: str
    data: bytes
    descriptor: SstDescriptor


#: Rows per row group are chosen so a row group holds about this many bytes: a point
#: lookup on a large SST then fetches one row group, not the file (see reader.py).
ROW_GROUP_BYTES = 256 << 10
_ID_COLUMNS = frozenset((ID, SRC, DST))

#: Footer metadata key: the hex first key of each row group, comma-separated.
ROW_GROUP_KEYS = b"namidb.row_group_first_keys"


def encode_parquet(table: pa.Table, leading: str | None = None) -> bytes:
    """Parquet bytes of ``table`` (lz4, page checksums; row groups of about ROW_GROUP_BYTES).

    With ``leading`` (the sorted key column), the footer records each row
    group's first key, so a reader can find a key's row group from the footer.
    """
    # lz4 and no dictionary/statistics on the random 16-byte keys: measured ~10x
    # faster to write than the defaults, at about the same size. Property
    # columns keep dictionaries (strings) and statistics for external readers.
    props = [f.name for f in table.schema if not f.name.startswith("__")]
    strings = [f.name for f in table.schema if not f.name.startswith("__") and pa.types.is_string(f.type)]
    per_row = max(1, int(table.nbytes) // max(1, table.num_rows))
    rows_per_group = max(1024, min(256 * 1024, ROW_GROUP_BYTES // per_row))
    if leading is not None and table.num_rows:
        # numpy, not pa.array: building an Arrow array from Python would import pandas (see values.py).
        firsts = fixed16_to_numpy(table.column(leading))[::rows_per_group]
        meta = dict(table.schema.metadata or {})
        meta[ROW_GROUP_KEYS] = ",".join(bytes(k).hex() for k in firsts).encode()
        table = table.replace_schema_metadata(meta)
    # Per column: the id columns other than the sorted one are random bytes
    # that lz4 only spends time on; the LSN column delta-packs to a few bits.
    compression = {
        f.name: "none" if f.name in _ID_COLUMNS and f.name != leading else "lz4" for f in table.schema
    }
    encodings = {LSN: "DELTA_BINARY_PACKED"} if LSN in table.column_names else None
    sink = pa.BufferOutputStream()
    pq.write_table(
        table,
        sink,
        compression=compression,
        column_encoding=encodings,
        row_group_size=rows_per_group,
        use_dictionary=strings or False,
        write_statistics=props or False,
        write_page_checksum=True,  # a ranged read cannot check the file's SHA-256; pages check themselves
    )
    return bytes(sink.getvalue().to_pybytes())


def write_sst(
    store: ObjectStore, prefix: str, kind: str, name: str, level: int, table: pa.Table, *, epoch: int = 0
) -> SstDescriptor:
    """Write ``table`` (already merged and sorted for ``kind``) and describe it."""
    built = build_sst(kind, name, level, table)
    store_ssts(store, prefix, [built])
    return built.descriptor


def store_ssts(store: ObjectStore, prefix: str, built: Sequence[BuiltSst]) -> None:
    """Store encoded SSTs durably (see the module docstring)."""
    if not built:
        return
    if isinstance(store, LocalStore):
        items = [(prefix + b.key, b.data) for b in built]
        results, _ = retrying(lambda: store.create_many(items))
        if not all(results):
            raise StorageError(f"an SST key of {[b.key for b in built]} already holds other bytes")
        return
    if len(built) == 1:
        retrying(lambda: store.put(prefix + built[0].key, built[0].data))
        return
    list(POOL.map(lambda b: retrying(lambda: store.put(prefix + b.key, b.data)), built))


def build_sst(kind: str, name: str, level: int, table: pa.Table) -> BuiltSst:
    """Encode ``table`` (already merged and sorted for ``kind``) and describe it."""
    data = encode_parquet(table, leading_column(kind))
    key = paths.sst_key(level, kind, name)
    lead = table.column(leading_column(kind))
    lsn = table.column(LSN)
    labels: tuple[str, ...] = ()
    if kind == NODES:
        col = table.column(LABELS)
        found = set(pc.unique(pc.list_flatten(col)).to_pylist()) if col.null_count < len(col) else set()
        if col.null_count:
            found.add(name)
        labels = tuple(sorted(found))
    mm = pc.min_max(lsn)
    descriptor = SstDescriptor(
        key=key,
        kind=kind,
        name=name,
        level=level,
        min_key=lead[0].as_py().hex(),
        max_key=lead[-1].as_py().hex(),
        min_lsn=int(mm["min"].as_py()),
        max_lsn=int(mm["max"].as_py()),
        rows=int(table.num_rows),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        tombstones=int(pc.sum(table.column(TOMB).cast(pa.int64())).as_py() or 0),
        labels=labels,
        props=table_stats(table),
    )
    return BuiltSst(key, data, descriptor)
