"""Object keys under a namespace prefix, and the time-ordered ids in them.

Layout (all counters zero-padded hex, so lexical order is numeric order)::

    manifest/v<16 hex version>.json                      manifest body (create-only)
    manifest/v<16 hex version>.<writer>-<nonce>.json     alternate body slot (see below)
    manifest/pointer/p<16 hex version>.json              pointer (create-only): the commit point
    manifest/current.json                                advisory hint (plain overwrite)
    wal/<16 hex first LSN>-<8 hex epoch>-<uuid7 hex>.wal WAL segment (create-only)
    wal/<<16 hex LSN>                                    (garbage entries only) every segment below an LSN
    sst/level<L>/<uuid7 hex>-<kind>-<scope>.parquet      SST (create-only)

Why the extra name parts: a fenced (stale) writer may have left a WAL segment
or a body behind. WAL keys carry the writer's epoch and a fresh uuid7, so they
never collide with the live writer's. A body slot ``v<N>.json`` may be taken
by a stale writer that died before writing its pointer; the live writer then
writes its body to the alternate slot and names that key in its pointer. The
pointer, not the body's name, says which body version N is. The uuid7 in WAL
and SST keys dates the object for the sweep's grace period.
"""

from __future__ import annotations

import os
import re
import time

__all__ = [
    "HINT",
    "POINTER_PREFIX",
    "SST_PREFIX",
    "WAL_PREFIX",
    "alt_body_key",
    "body_key",
    "key_time",
    "pointer_key",
    "pointer_version",
    "sst_key",
    "uuid7_hex",
    "wal_below",
    "wal_below_bound",
    "wal_first_lsn",
    "wal_key",
]

POINTER_PREFIX = "manifest/pointer/"
HINT = "manifest/current.json"
WAL_PREFIX = "wal/"
SST_PREFIX = "sst/"
_POINTER_RE = re.compile(r"^manifest/pointer/p([0-9a-f]{16})\.json$")
_UUID7_RE = re.compile(r"([0-9a-f]{12})7[0-9a-f]{19}")
_SAFE = re.compile(r"[^A-Za-z0-9_]")
_WAL_RE = re.compile(r"^wal/([0-9a-f]{16})-")
_WAL_BELOW_RE = re.compile(r"^wal/<([0-9a-f]{16})$")


def uuid7_hex() -> str:
    """A fresh UUIDv7 as 32 hex digits (time-ordered: 48-bit ms timestamp first)."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64 | 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return f"{value:032x}"


def key_time(key: str) -> float | None:
    """The creation time (epoch seconds) embedded in a WAL or SST key's uuid7, if any."""
    m = _UUID7_RE.search(key.rsplit("/", 1)[-1])
    return int(m.group(1), 16) / 1000.0 if m else None


def body_key(version: int) -> str:
    """The primary body slot of ``version``."""
    return f"manifest/v{version:016x}.json"


def alt_body_key(version: int, writer: str, nonce: str) -> str:
    """The alternate body slot used when the primary one holds a foreign, uncommitted body."""
    return f"manifest/v{version:016x}.{writer}-{nonce}.json"


def pointer_key(version: int) -> str:
    """The pointer whose creation commits ``version``."""
    return f"{POINTER_PREFIX}p{version:016x}.json"


def pointer_version(key: str) -> int | None:
    """The version a pointer key names (key relative to the namespace), else None."""
    m = _POINTER_RE.match(key)
    return int(m.group(1), 16) if m else None


def wal_key(first_lsn: int, epoch: int) -> str:
    """A fresh WAL segment key for a segment starting at ``first_lsn``."""
    return f"{WAL_PREFIX}{first_lsn:016x}-{epoch:08x}-{uuid7_hex()}.wal"


def wal_first_lsn(key: str) -> int | None:
    """The first LSN a WAL segment key names, else None."""
    m = _WAL_RE.match(key)
    return int(m.group(1), 16) if m else None


def wal_below(bound: int) -> str:
    """The garbage entry for every WAL segment whose first LSN is below ``bound``.

    A flush drops all the segments its manifest listed at once; one entry
    stands for them, so the garbage list (and every manifest body after it)
    grows by one entry per flush, not one per segment.
    """
    return f"{WAL_PREFIX}<{bound:016x}"


def wal_below_bound(key: str) -> int | None:
    """The LSN bound of a :func:`wal_below` entry, else None."""
    m = _WAL_BELOW_RE.match(key)
    return int(m.group(1), 16) if m else None


def sst_key(level: int, kind: str, scope: str) -> str:
    """A fresh SST key; ``scope`` (label or edge type) is made key-safe."""
    safe = _SAFE.sub(lambda m: f"~{ord(m.group(0)):x}", scope)[:80]
    return f"{SST_PREFIX}level{level}/{uuid7_hex()}-{kind}-{safe}.parquet"
