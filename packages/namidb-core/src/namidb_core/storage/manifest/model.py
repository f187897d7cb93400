"""The manifest body and pointer: what one committed version of a namespace is.

A body is canonical JSON (sorted keys, no spaces) ending in a ``checksum``
field: the SHA-256 of the same JSON without it. A body that fails to parse or
whose checksum is wrong raises CorruptedArtifactError naming its key. The
pointer names the body's key and SHA-256, so a pointer and its body vouch for
each other.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from json.encoder import encode_basestring_ascii
from typing import Any, Generic, TypeVar

from namidb_core.errors import CorruptedArtifactError

__all__ = ["FORMAT", "Manifest", "Pointer", "SstDescriptor", "WalSegmentRef"]

FORMAT = 1
T = TypeVar("T")


def _dumps(value: Any) -> str:
    """The canonical JSON of one value (sorted keys, no spaces)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class _LastText(Generic[T]):
    """Remembers the JSON text of the last object it encoded, by identity.

    A writer's successive manifests share their unchanged parts (the same
    tuple of SSTs, of garbage, the same schema dict), so re-encoding them per
    commit — ~100 KB after a thousand small commits — is avoided by keeping
    the last (object, text) pair. The pair is swapped atomically, and the
    object is held so its id cannot be reused.
    """

    def __init__(self, encode: Callable[[T], str]) -> None:
        self._encode = encode
        self._last: tuple[Any, str] = (object(), "")

    def text(self, obj: T) -> str:
        """The JSON text of ``obj``."""
        last = self._last
        if last[0] is obj:
            return last[1]
        text = self._encode(obj)
        self._last = (obj, text)
        return text


@dataclass(frozen=True)
class WalSegmentRef:
    """A WAL segment a manifest lists: replayed on open until a flush drops it."""

    key: str
    sha256: str
    first_lsn: int
    last_lsn: int
    size: int

    @cached_property
    def json_text(self) -> str:
        """Its canonical JSON (a list), encoded once."""
        return _dumps([self.key, self.sha256, self.first_lsn, self.last_lsn, self.size])


@dataclass(frozen=True)
class SstDescriptor:
    """Everything the read path needs to prune an SST without fetching it.

    ``kind`` is ``nodes``, ``edges_fwd`` (sorted by src, dst, ekey) or
    ``edges_inv`` (sorted by dst, src, ekey); ``name`` the label or edge type;
    ``min_key``/``max_key`` the hex of the first/last sort key (the 16-byte id,
    or the 16-byte leading endpoint); ``labels`` the labels occurring on the
    file's nodes; ``props`` per property ``{"type", "min", "max", "nulls"}``
    (min/max only where orderable); ``sha256`` verifies the body on read.
    """

    key: str
    kind: str
    name: str
    level: int
    min_key: str
    max_key: str
    min_lsn: int
    max_lsn: int
    rows: int
    size: int
    sha256: str
    tombstones: int = 0
    labels: tuple[str, ...] = ()
    props: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "key": self.key,
            "kind": self.kind,
            "name": self.name,
            "level": self.level,
            "min_key": self.min_key,
            "max_key": self.max_key,
            "min_lsn": self.min_lsn,
            "max_lsn": self.max_lsn,
            "rows": self.rows,
            "size": self.size,
            "sha256": self.sha256,
            "tombstones": self.tombstones,
            "labels": list(self.labels),
            "props": self.props,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SstDescriptor:
        """Inverse of :meth:`to_json`."""
        return cls(**{**d, "labels": tuple(d.get("labels", ()))})

    @cached_property
    def json_text(self) -> str:
        """Its canonical JSON, encoded once (descriptors are immutable)."""
        return _dumps(self.to_json())


def _float_text(value: float) -> str:
    """``json.dumps`` of a float (``repr``; the JSON spellings of inf/nan otherwise)."""
    return float.__repr__(float(value)) if math.isfinite(value) else _dumps(value)


_ENTRY_TEXT: dict[tuple[str, float], str] = {}


def _garbage_entry(entry: tuple[str, float]) -> str:
    # Memoized per entry: a flush re-encodes the whole (mostly unchanged) list.
    text = _ENTRY_TEXT.get(entry)
    if text is None:
        if len(_ENTRY_TEXT) >= 100_000:
            _ENTRY_TEXT.clear()
        key, when = entry
        text = _ENTRY_TEXT[entry] = f"[{encode_basestring_ascii(key)},{_float_text(when)}]"
    return text


_SSTS_TEXT: _LastText[tuple[SstDescriptor, ...]] = _LastText(
    lambda ssts: "[" + ",".join(s.json_text for s in ssts) + "]"
)
_GARBAGE_TEXT: _LastText[tuple[tuple[str, float], ...]] = _LastText(
    lambda garbage: "[" + ",".join(map(_garbage_entry, garbage)) + "]"
)
_SCHEMA_TEXT: _LastText[dict[str, Any]] = _LastText(_dumps)


@dataclass(frozen=True)
class Manifest:
    """One committed version of a namespace.

    ``next_lsn`` is the first LSN not yet used; ``wal`` the segments holding
    every mutation not yet in an SST; ``garbage`` objects dropped by flush or
    compaction, awaiting the sweep (``[key, dropped_at_unix_seconds]``);
    ``schema`` per label / edge type the property types seen so far.
    """

    version: int
    epoch: int
    writer: str
    next_lsn: int = 1
    wal: tuple[WalSegmentRef, ...] = ()
    ssts: tuple[SstDescriptor, ...] = ()
    schema: dict[str, Any] = field(default_factory=dict)
    garbage: tuple[tuple[str, float], ...] = ()
    created_at: float = 0.0
    nonce: str = ""

    def successor(self, **changes: Any) -> Manifest:
        """The next version's manifest with ``changes`` applied."""
        return replace(self, version=self.version + 1, created_at=time.time(), **changes)

    def to_bytes(self) -> bytes:
        """Canonical JSON with a trailing self-checksum.

        Byte-identical to ``json.dumps(fields, sort_keys=True,
        separators=(",", ":"))``, assembled from per-part texts that are
        cached across a writer's successive manifests (see :class:`_LastText`).
        """
        parts = (  # in sorted key order
            ("created_at", _float_text(self.created_at)),
            ("epoch", str(int(self.epoch))),
            ("format", str(FORMAT)),
            ("garbage", _GARBAGE_TEXT.text(self.garbage)),
            ("next_lsn", str(int(self.next_lsn))),
            ("nonce", encode_basestring_ascii(self.nonce)),
            ("schema", _SCHEMA_TEXT.text(self.schema)),
            ("ssts", _SSTS_TEXT.text(self.ssts)),
            ("version", str(int(self.version))),
            ("wal", "[" + ",".join(w.json_text for w in self.wal) + "]"),
            ("writer", encode_basestring_ascii(self.writer)),
        )
        raw = "{" + ",".join(f'"{k}":{v}' for k, v in parts) + "}"
        digest = hashlib.sha256(raw.encode()).hexdigest()
        return (raw[:-1] + f',"checksum":"{digest}"}}').encode()

    @classmethod
    def from_bytes(cls, key: str, data: bytes) -> Manifest:
        """Parse and verify a body; CorruptedArtifactError(key, ...) on any damage."""
        try:
            text = data.decode("utf-8")
            marker = text.rfind(',"checksum":"')
            if marker < 0 or not text.endswith('"}'):
                raise ValueError("no checksum field")
            digest = text[marker + len(',"checksum":"') : -2]
            raw = text[:marker] + "}"
            if hashlib.sha256(raw.encode()).hexdigest() != digest:
                raise ValueError("checksum mismatch")
            d = json.loads(raw)
            if d.get("format") != FORMAT:
                raise ValueError(f"unsupported manifest format {d.get('format')!r}")
            return cls(
                version=int(d["version"]),
                epoch=int(d["epoch"]),
                writer=str(d["writer"]),
                next_lsn=int(d["next_lsn"]),
                wal=tuple(
                    WalSegmentRef(str(k), str(h), int(a), int(b), int(z)) for k, h, a, b, z in d["wal"]
                ),
                ssts=tuple(SstDescriptor.from_json(s) for s in d["ssts"]),
                schema=d["schema"],
                garbage=tuple((str(k), float(t)) for k, t in d["garbage"]),
                created_at=float(d["created_at"]),
                nonce=str(d["nonce"]),
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
            raise CorruptedArtifactError(key, f"manifest body: {e}") from e


@dataclass(frozen=True)
class Pointer:
    """The create-only object whose existence commits a version."""

    version: int
    body: str
    sha256: str
    epoch: int
    writer: str

    def to_bytes(self) -> bytes:
        """Canonical JSON."""
        d = {
            "body": self.body,
            "epoch": self.epoch,
            "sha256": self.sha256,
            "version": self.version,
            "writer": self.writer,
        }
        return _dumps(d).encode()

    @classmethod
    def from_bytes(cls, key: str, data: bytes) -> Pointer:
        """Parse a pointer; CorruptedArtifactError(key, ...) on any damage."""
        try:
            d = json.loads(data.decode("utf-8"))
            return cls(int(d["version"]), str(d["body"]), str(d["sha256"]), int(d["epoch"]), str(d["writer"]))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
            raise CorruptedArtifactError(key, f"manifest pointer: {e}") from e
