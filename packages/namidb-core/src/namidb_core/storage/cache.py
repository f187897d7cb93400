"""One byte-budgeted LRU cache for SST bodies, decoded columns and adjacency.

Entries are keyed by ``(store identity, object key, part)`` so two engines on
the same data share nothing by accident and nothing stale: objects are
immutable, so a key never needs invalidation, only eviction. ``part`` names
what was derived from the object (``"table"``, ``"keys"``, ``("row", 7)``...).
Every insert states its size in bytes; the least recently used entries are
evicted until the total fits the budget. Thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["Cache"]

T = TypeVar("T")


class Cache:
    """A thread-safe LRU bounded by total bytes."""

    def __init__(self, capacity_bytes: int) -> None:
        self.capacity = max(0, int(capacity_bytes))
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hit = self.miss = self.evict = self.insert = 0

    def get(self, key: Hashable) -> Any | None:
        """The cached value, or None (counted as a miss)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.miss += 1
                return None
            self._entries.move_to_end(key)
            self.hit += 1
            return entry[0]

    def put(self, key: Hashable, value: Any, nbytes: int) -> None:
        """Insert (or replace) an entry of ``nbytes``; entries larger than the budget are not kept."""
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if nbytes > self.capacity:
                return
            self._entries[key] = (value, nbytes)
            self._bytes += nbytes
            self.insert += 1
            while self._bytes > self.capacity and self._entries:
                _, (_, size) = self._entries.popitem(last=False)
                self._bytes -= size
                self.evict += 1

    def get_or_load(self, key: Hashable, load: Callable[[], tuple[T, int]]) -> T:
        """The cached value, else ``load()`` → (value, nbytes), cached and returned."""
        value = self.get(key)
        if value is None:
            value, size = load()
            self.put(key, value, size)
        return value

    def stats(self) -> dict[str, int]:
        """Counters and sizes: hit, miss, evict, insert, bytes, capacity_bytes, entries."""
        with self._lock:
            return {
                "hit": self.hit,
                "miss": self.miss,
                "evict": self.evict,
                "insert": self.insert,
                "bytes": self._bytes,
                "capacity_bytes": self.capacity,
                "entries": len(self._entries),
            }
