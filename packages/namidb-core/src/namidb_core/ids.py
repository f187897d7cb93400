"""Identifiers: ``uuid7()``, time-ordered UUIDs (RFC 9562), for Pythons without ``uuid.uuid7`` (< 3.14)."""

from __future__ import annotations

import os
import threading
import time
import uuid

__all__ = ["uuid7"]

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """Return a version-7 UUID: 48-bit Unix milliseconds, then random bits.

    UUIDs from one process are strictly increasing, even within one
    millisecond (a 12-bit counter seeded at random fills ``rand_a``; on
    overflow the timestamp is advanced), so they sort in creation order —
    which keeps namidb's id-sorted SSTs append-friendly.
    """
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF  # room to count up
        else:
            _counter += 1
            if _counter > 0xFFF:
                _last_ms += 1
                _counter = 0
        ms, counter = _last_ms, _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)
