"""WAL segment framing.

A segment is::

    header   magic b"NAMIWAL1" | u16 format version | u32 record count
    record*  u32 payload length | u32 CRC32(LSN bytes + payload) | u64 LSN | payload
    footer   u32 CRC32(header + every record frame) | magic b"WALEND01"

All integers little-endian. Decoding checks the magics, the version, every
record CRC, the count and the footer CRC; any mismatch raises
:class:`~namidb_core.errors.CorruptedArtifactError` naming the object, so a
damaged segment is reported, never half-read.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

from namidb_core.errors import CorruptedArtifactError
from namidb_core.storage.wal.record import WalRecord, decode_payload, encode_payload

__all__ = ["FORMAT_VERSION", "MAGIC", "decode_segment", "encode_segment", "frame_size"]

MAGIC = b"NAMIWAL1"
END_MAGIC = b"WALEND01"
FORMAT_VERSION = 1
_HEADER = struct.Struct("<8sHI")
_FRAME = struct.Struct("<IIQ")
_FOOTER = struct.Struct("<I8s")


def frame_size(payload_len: int) -> int:
    """Bytes a record with a ``payload_len``-byte payload takes in a segment."""
    return _FRAME.size + payload_len


def overhead() -> int:
    """Header plus footer bytes of a segment."""
    return _HEADER.size + _FOOTER.size


def encode_frames(frames: Sequence[tuple[int, bytes]]) -> bytes:
    """Frame already-encoded ``(lsn, payload)`` pairs into one segment.

    The footer CRC is accumulated part by part and the segment joined once,
    so a multi-megabyte payload is copied a single time.
    """
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, len(frames))
    parts = [header]
    total = zlib.crc32(header)
    for lsn, payload in frames:
        lsn_bytes = lsn.to_bytes(8, "little")
        frame = _FRAME.pack(len(payload), zlib.crc32(payload, zlib.crc32(lsn_bytes)), lsn)
        total = zlib.crc32(payload, zlib.crc32(frame, total))
        parts += (frame, payload)
    parts.append(_FOOTER.pack(total, END_MAGIC))
    return b"".join(parts)


def encode_segment(records: Sequence[WalRecord]) -> bytes:
    """Encode records (in LSN order) into one segment."""
    return encode_frames([(r.lsn, encode_payload(r)) for r in records])


def decode_segment(key: str, data: bytes) -> list[WalRecord]:
    """Decode and verify a segment; raise CorruptedArtifactError(key, ...) on any damage."""
    if len(data) < _HEADER.size + _FOOTER.size:
        raise CorruptedArtifactError(key, f"WAL segment too short ({len(data)} bytes)")
    magic, version, count = _HEADER.unpack_from(data, 0)
    if magic != MAGIC:
        raise CorruptedArtifactError(key, "bad WAL magic")
    if version != FORMAT_VERSION:
        raise CorruptedArtifactError(key, f"unsupported WAL format version {version}")
    body_end = len(data) - _FOOTER.size
    footer_crc, end_magic = _FOOTER.unpack_from(data, body_end)
    if end_magic != END_MAGIC:
        raise CorruptedArtifactError(key, "bad WAL footer magic (truncated segment?)")
    if zlib.crc32(memoryview(data)[:body_end]) != footer_crc:
        raise CorruptedArtifactError(key, "WAL footer CRC mismatch")
    pos = _HEADER.size
    records: list[WalRecord] = []
    prev_last = -1
    for i in range(count):
        if pos + _FRAME.size > body_end:
            raise CorruptedArtifactError(key, f"record {i} header runs past the end")
        length, crc, lsn = _FRAME.unpack_from(data, pos)
        pos += _FRAME.size
        payload = data[pos : pos + length]
        if len(payload) != length or pos + length > body_end:
            raise CorruptedArtifactError(key, f"record {i} runs past the end")
        pos += length
        if zlib.crc32(payload, zlib.crc32(lsn.to_bytes(8, "little"))) != crc:
            raise CorruptedArtifactError(key, f"record {i} (LSN {lsn}) CRC mismatch")
        if lsn <= prev_last:
            raise CorruptedArtifactError(key, f"record {i}: LSN {lsn} not above previous {prev_last}")
        try:
            record = decode_payload(lsn, payload)
        except (ValueError, UnicodeDecodeError) as e:
            raise CorruptedArtifactError(key, f"record {i} (LSN {lsn}): {e}") from e
        prev_last = record.last_lsn
        records.append(record)
    if pos != body_end:
        raise CorruptedArtifactError(key, f"{body_end - pos} stray bytes after {count} records")
    return records
