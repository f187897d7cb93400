"""Recovery: read back exactly the WAL segments a manifest lists.

Each segment's SHA-256 must match the manifest's record of it, every frame's
CRC must hold (see :mod:`.codec`), and LSNs must be strictly increasing across
the whole list and lie inside each segment's recorded range. Any violation
raises :class:`~namidb_core.errors.CorruptedArtifactError` naming the object:
recovery never guesses. Segments are fetched with a small thread pool because
object-store GETs are latency-bound.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from namidb_core.errors import CorruptedArtifactError, ObjectNotFoundError
from namidb_core.objectstore.base import ObjectStore
from namidb_core.storage.manifest.model import WalSegmentRef
from namidb_core.storage.wal.codec import decode_segment
from namidb_core.storage.wal.record import WalRecord

__all__ = ["replay_segments"]

_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    """One shared fetch pool (starting threads per replay cost more than the fetches on file://)."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="namidb-replay")
    return _POOL


def _fetch(store: ObjectStore, key: str) -> bytes:
    try:
        return store.get(key)
    except ObjectNotFoundError:
        raise CorruptedArtifactError(key, "WAL segment listed by the manifest is missing") from None


def replay_segments(store: ObjectStore, prefix: str, refs: Sequence[WalSegmentRef]) -> list[WalRecord]:
    """Fetch, verify and decode the listed segments; return their records in LSN order."""
    keys = [prefix + ref.key for ref in refs]
    if len(keys) > 2:
        blobs = list(_pool().map(lambda k: _fetch(store, k), keys))
    else:
        blobs = [_fetch(store, k) for k in keys]
    records: list[WalRecord] = []
    prev = -1
    for ref, key, data in zip(refs, keys, blobs, strict=True):
        if hashlib.sha256(data).hexdigest() != ref.sha256:
            raise CorruptedArtifactError(key, "WAL segment SHA-256 does not match the manifest")
        for record in decode_segment(key, data):
            if record.lsn <= prev:
                raise CorruptedArtifactError(key, f"LSN {record.lsn} not above previous {prev}")
            if record.lsn < ref.first_lsn or record.last_lsn > ref.last_lsn:
                raise CorruptedArtifactError(
                    key, f"LSNs {record.lsn}..{record.last_lsn} outside [{ref.first_lsn}, {ref.last_lsn}]"
                )
            prev = record.last_lsn
            records.append(record)
    return records
