"""The write-ahead log: one immutable, framed segment object per commit (or several for a huge one)."""

from namidb_core.storage.wal.codec import decode_segment, encode_segment
from namidb_core.storage.wal.record import RecordKind, WalRecord
from namidb_core.storage.wal.replay import replay_segments
from namidb_core.storage.wal.writer import MAX_SEGMENT_BYTES, plan_segments

__all__ = [
    "MAX_SEGMENT_BYTES",
    "RecordKind",
    "WalRecord",
    "decode_segment",
    "encode_segment",
    "plan_segments",
    "replay_segments",
]
