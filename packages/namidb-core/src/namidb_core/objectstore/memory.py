"""``memory://``: a store in process memory (a dict behind a lock).

Each :meth:`MemoryStore.from_uri` call makes a fresh, empty store, so two
``Client("memory://acme")`` share nothing. A second instance over the *same*
data is made with :meth:`MemoryStore.peer` (the conformance suite uses it).
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from namidb_core.errors import (
    AlreadyExistsError,
    InvalidArgumentError,
    ObjectNotFoundError,
    PreconditionFailedError,
)
from namidb_core.objectstore.base import ObjectMeta, ObjectStore, validate_key

if TYPE_CHECKING:
    from namidb_core.uri import StoreURI

__all__ = ["MemoryStore"]

_ids = itertools.count(1)


class _Shelf:
    """The data one or more MemoryStore instances share."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.objects: dict[str, tuple[bytes, str]] = {}
        self.keys: list[str] = []  # sorted, for ordered prefix listing
        self.versions = itertools.count(1)
        self.ident = next(_ids)


class MemoryStore(ObjectStore):
    """An in-process store; fast, isolated, gone when the process exits."""

    schemes = ("memory",)

    def __init__(self, shelf: _Shelf | None = None) -> None:
        self._shelf = shelf or _Shelf()

    @classmethod
    def from_uri(cls, uri: StoreURI) -> MemoryStore:
        """A fresh, empty store (memory URIs never share data)."""
        return cls()

    def peer(self) -> MemoryStore:
        """Another instance over the same data."""
        return MemoryStore(self._shelf)

    @property
    def identity(self) -> str:
        return f"memory:{self._shelf.ident}"

    def describe(self) -> str:
        return f"memory://#{self._shelf.ident}"

    def _entry(self, key: str) -> tuple[bytes, str]:
        validate_key(key)
        try:
            return self._shelf.objects[key]
        except KeyError:
            raise ObjectNotFoundError(f"no object at {key!r}") from None

    def head(self, key: str) -> ObjectMeta:
        data, version = self._entry(key)
        return ObjectMeta(key, len(data), version)

    def get(self, key: str) -> bytes:
        return self._entry(key)[0]

    def get_range(self, key: str, start: int, length: int) -> bytes:
        if start < 0 or length < 0:
            raise InvalidArgumentError(f"range start and length must be >= 0, got {start}, {length}")
        return self._entry(key)[0][start : start + length]

    def list(self, prefix: str = "") -> Iterator[ObjectMeta]:
        shelf = self._shelf
        with shelf.lock:
            i = bisect.bisect_left(shelf.keys, prefix)
            out = []
            for key in itertools.islice(shelf.keys, i, None):
                if not key.startswith(prefix):
                    break
                data, version = shelf.objects[key]
                out.append(ObjectMeta(key, len(data), version))
        return iter(out)

    def _store(self, key: str, data: bytes) -> ObjectMeta:
        shelf = self._shelf
        if key not in shelf.objects:
            bisect.insort(shelf.keys, key)
        version = str(next(shelf.versions))
        shelf.objects[key] = (bytes(data), version)
        return ObjectMeta(key, len(data), version)

    def put(self, key: str, data: bytes) -> ObjectMeta:
        validate_key(key)
        with self._shelf.lock:
            return self._store(key, data)

    def put_if_absent(self, key: str, data: bytes) -> ObjectMeta:
        validate_key(key)
        with self._shelf.lock:
            if key in self._shelf.objects:
                raise AlreadyExistsError(f"object {key!r} already exists")
            return self._store(key, data)

    def put_if_match(self, key: str, data: bytes, version: str) -> ObjectMeta:
        validate_key(key)
        with self._shelf.lock:
            current = self._shelf.objects.get(key)
            if current is None:
                raise ObjectNotFoundError(f"no object at {key!r}")
            if current[1] != version:
                raise PreconditionFailedError(f"object {key!r} is at version {current[1]}, not {version}")
            return self._store(key, data)

    def delete(self, key: str) -> None:
        validate_key(key)
        shelf = self._shelf
        with shelf.lock:
            if shelf.objects.pop(key, None) is not None:
                del shelf.keys[bisect.bisect_left(shelf.keys, key)]
