"""Reading SSTs through the shared cache.

Scans fetch a file whole, check its SHA-256 against the descriptor (a
mismatch raises CorruptedArtifactError naming the key), decode it with pyarrow
and cache the table; the sorted key column is cached separately as an ``S16``
numpy array for binary search.

A point lookup on a file larger than :data:`RANGED_READ_THRESHOLD` that is not
cached whole reads byte ranges instead (cold reads from a bucket): the
Parquet footer, which lists each row group's first key (``writer.py``), then
the one row group that can hold the key. Such reads cannot check the file's
SHA-256, so every Parquet page carries a CRC that pyarrow verifies.
"""

from __future__ import annotations

import bisect
import hashlib
import io
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from namidb_core.errors import CorruptedArtifactError, ObjectNotFoundError
from namidb_core.objectstore.base import ObjectStore
from namidb_core.storage.cache import Cache
from namidb_core.storage.manifest.model import SstDescriptor
from namidb_core.storage.retry import retrying
from namidb_core.storage.sst.layout import leading_column
from namidb_core.storage.sst.writer import ROW_GROUP_KEYS
from namidb_core.values import fixed16_to_numpy

__all__ = ["RANGED_READ_THRESHOLD", "SstReader"]

#: Files larger than this are read by byte ranges for point lookups (unless cached whole).
RANGED_READ_THRESHOLD = 1 << 20


class _RangeFile(io.RawIOBase):
    """A read-only, seekable file over one object, every read a ranged GET."""

    def __init__(self, store: ObjectStore, key: str, size: int) -> None:
        self._store, self._key, self._size, self._pos = store, key, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        want = min(len(buffer), self._size - self._pos)
        if want <= 0:
            return 0
        data = retrying(lambda: self._store.get_range(self._key, self._pos, want))
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


class SstReader:
    """Loads SST tables and searches their sorted keys, via a :class:`Cache`."""

    def __init__(self, store: ObjectStore, prefix: str, cache: Cache) -> None:
        self.store = store
        self.prefix = prefix
        self.cache = cache
        self._ident = store.identity

    def _load(self, desc: SstDescriptor) -> tuple[pa.Table, int]:
        key = self.prefix + desc.key
        try:
            data = retrying(lambda: self.store.get(key))
        except ObjectNotFoundError:
            raise CorruptedArtifactError(key, "SST listed by the manifest is missing") from None
        if hashlib.sha256(data).hexdigest() != desc.sha256:
            raise CorruptedArtifactError(key, "SST SHA-256 does not match its descriptor")
        try:
            # ParquetFile, not read_table: read_table builds a dataset, and importing
            # pyarrow.dataset (and pandas with it) costs ~0.2 s on a cold process's first read.
            table = pq.ParquetFile(pa.BufferReader(data)).read()
        except (pa.ArrowException, OSError) as e:
            raise CorruptedArtifactError(key, f"unreadable Parquet: {e}") from e
        table = table.combine_chunks()
        return table, int(table.nbytes) + len(data) // 4

    def table(self, desc: SstDescriptor) -> pa.Table:
        """The file's full table (cached)."""
        return self.cache.get_or_load((self._ident, desc.key, "table"), lambda: self._load(desc))

    def keys(self, desc: SstDescriptor) -> np.ndarray:
        """The sorted leading key column as an ``S16`` array (cached)."""

        def load() -> tuple[np.ndarray, int]:
            raw = fixed16_to_numpy(self.table(desc).column(leading_column(desc.kind)))
            arr = np.ascontiguousarray(raw).view("S16").ravel()
            return arr, int(arr.nbytes)

        return self.cache.get_or_load((self._ident, desc.key, "keys"), load)

    def cached_whole(self, desc: SstDescriptor) -> bool:
        """Whether the file's table is in the cache already."""
        return self.cache.get((self._ident, desc.key, "table")) is not None

    def ranged(self, desc: SstDescriptor) -> bool:
        """Whether point lookups here read byte ranges (a large file, not cached whole, with keyed footer)."""
        if desc.size <= RANGED_READ_THRESHOLD or self.cached_whole(desc):
            return False
        pf, firsts = self._footer(desc)
        return bool(len(firsts) == pf.num_row_groups)

    def _footer(self, desc: SstDescriptor) -> tuple[pq.ParquetFile, list[bytes]]:
        object_key = self.prefix + desc.key

        def open_file() -> tuple[tuple[pq.ParquetFile, list[bytes]], int]:
            try:
                pf = pq.ParquetFile(
                    pa.PythonFile(_RangeFile(self.store, object_key, desc.size), mode="r"),
                    page_checksum_verification=True,
                )
            except (pa.ArrowException, OSError, ValueError) as e:
                raise CorruptedArtifactError(object_key, f"unreadable Parquet footer: {e}") from e
            meta = pf.schema_arrow.metadata or {}
            raw = meta.get(ROW_GROUP_KEYS)
            firsts = [bytes.fromhex(h) for h in raw.decode().split(",")] if raw else []
            return (pf, firsts), 4096 + 32 * len(firsts)

        footer: tuple[pq.ParquetFile, list[bytes]] = self.cache.get_or_load(
            (self._ident, desc.key, "footer"), open_file
        )
        return footer

    def ranged_row(self, desc: SstDescriptor, key: bytes) -> tuple[pa.Table, int] | None:
        """Find ``key`` by byte ranges: (the row group's table, the row's last index in it), or None.

        Only the footer and one row group are fetched (and cached). Call it for
        files :meth:`ranged` accepts.
        """
        if key.hex() < desc.min_key or key.hex() > desc.max_key:
            return None
        object_key = self.prefix + desc.key
        pf, firsts = self._footer(desc)
        group = bisect.bisect_right(firsts, key) - 1
        if group < 0:
            return None

        def load_group() -> tuple[pa.Table, int]:
            try:
                table = pf.read_row_group(group).combine_chunks()
            except (pa.ArrowException, OSError) as e:
                raise CorruptedArtifactError(object_key, f"unreadable row group {group}: {e}") from e
            return table, int(table.nbytes)

        table = self.cache.get_or_load((self._ident, desc.key, ("group", group)), load_group)
        raw_keys = fixed16_to_numpy(table.column(leading_column(desc.kind)))
        keys = np.ascontiguousarray(raw_keys).view("S16").ravel()
        probe = np.array([key], dtype="S16")
        lo = int(np.searchsorted(keys, probe, side="left")[0])
        hi = int(np.searchsorted(keys, probe, side="right")[0])
        return (table, hi - 1) if hi > lo else None

    def find(self, desc: SstDescriptor, key: bytes) -> tuple[int, int]:
        """Row range ``[lo, hi)`` whose leading key equals the 16-byte ``key``."""
        if key.hex() < desc.min_key or key.hex() > desc.max_key:
            return 0, 0
        keys = self.keys(desc)
        probe = np.array([key], dtype="S16")
        lo = int(np.searchsorted(keys, probe, side="left")[0])
        hi = int(np.searchsorted(keys, probe, side="right")[0])
        return lo, hi
