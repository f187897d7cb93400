"""Turning a commit's records into WAL segment objects.

Every segment is written with a create-only put, which backends only promise
for small objects (one request, < 5 MiB), so a commit whose records exceed
:data:`MAX_SEGMENT_BYTES` is split into several segments, all listed by the
one manifest that commits them. A single record is kept under the limit by
the engine, which cuts huge batches into row chunks (:func:`split_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from namidb_core.storage.wal.codec import encode_frames, frame_size, overhead
from namidb_core.storage.wal.record import WalRecord, encode_payload

__all__ = ["MAX_RECORD_BYTES", "MAX_SEGMENT_BYTES", "PlannedSegment", "plan_segments", "split_rows"]

MAX_SEGMENT_BYTES = 4 * 1024 * 1024 - 64 * 1024
MAX_RECORD_BYTES = 3 * 1024 * 1024


@dataclass(frozen=True)
class PlannedSegment:
    """One segment's bytes and the LSN range it covers."""

    data: bytes
    first_lsn: int
    last_lsn: int


def split_rows(table: pa.Table, max_bytes: int = MAX_RECORD_BYTES) -> list[pa.Table]:
    """Cut ``table`` into row slices whose in-memory size stays under ``max_bytes``."""
    n = table.num_rows
    size = table.nbytes
    if size <= max_bytes or n <= 1:
        return [table]
    per = max(1, int(n * max_bytes / size * 0.9))
    return [table.slice(i, per) for i in range(0, n, per)]


def plan_segments(records: Sequence[WalRecord], max_bytes: int = MAX_SEGMENT_BYTES) -> list[PlannedSegment]:
    """Pack records (in LSN order) into as few segments as fit under ``max_bytes``."""
    segments: list[PlannedSegment] = []
    frames: list[tuple[int, bytes]] = []
    first = last = -1
    size = overhead()
    for record in records:
        payload = encode_payload(record)
        need = frame_size(len(payload))
        if frames and size + need > max_bytes:
            segments.append(PlannedSegment(encode_frames(frames), first, last))
            frames, size = [], overhead()
        if not frames:
            first = record.lsn
        frames.append((record.lsn, payload))
        last = record.last_lsn
        size += need
    if frames:
        segments.append(PlannedSegment(encode_frames(frames), first, last))
    return segments
