"""Reading SSTs through the shared cache.

A file is fetched whole, its SHA-256 checked against the descriptor (a
mismatch raises CorruptedArtifactError naming the key), decoded with pyarrow
and cached as a table. Its sorted key column is cached separately as an
``S16`` numpy array for binary search.
"""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from namidb_core.errors import CorruptedArtifactError, ObjectNotFoundError
from namidb_core.objectstore.base import ObjectStore
from namidb_core.storage.cache import Cache
from namidb_core.storage.manifest.model import SstDescriptor
from namidb_core.storage.retry import retrying
from namidb_core.storage.sst.layout import leading_column
from namidb_core.values import fixed16_to_numpy

__all__ = ["SstReader"]


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
            table = pq.read_table(io.BytesIO(data))
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

    def find(self, desc: SstDescriptor, key: bytes) -> tuple[int, int]:
        """Row range ``[lo, hi)`` whose leading key equals the 16-byte ``key``."""
        if key.hex() < desc.min_key or key.hex() > desc.max_key:
            return 0, 0
        keys = self.keys(desc)
        probe = np.array([key], dtype="S16")
        lo = int(np.searchsorted(keys, probe, side="left")[0])
        hi = int(np.searchsorted(keys, probe, side="right")[0])
        return lo, hi
