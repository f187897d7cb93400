"""A store wrapper that injects failures, for the engine's protocol tests.

``FaultyStore(inner)`` forwards every call to ``inner`` and records it in
:attr:`FaultyStore.calls`. Faults are armed per operation and count calls from
the moment they are armed:

* :meth:`~FaultyStore.fail_call` — the Nth matching call raises *before*
  reaching the inner store (nothing happened);
* :meth:`~FaultyStore.lose_response` — the Nth matching write reaches the inner
  store and succeeds, then raises as if the response was lost (it happened,
  but the caller cannot know);
* :meth:`~FaultyStore.lag_list` — listings stop showing keys written from now
  on until :meth:`~FaultyStore.settle` (an eventually-consistent LIST).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from namidb_core.errors import TransientStoreError
from namidb_core.objectstore.base import ObjectMeta, ObjectStore

if TYPE_CHECKING:
    from namidb_core.uri import StoreURI

__all__ = ["OPERATIONS", "WRITE_OPERATIONS", "FaultyStore", "InjectedFault"]

OPERATIONS = (
    "head",
    "get",
    "get_range",
    "list",
    "put",
    "put_if_absent",
    "put_if_match",
    "put_stream",
    "delete",
)
WRITE_OPERATIONS = ("put", "put_if_absent", "put_if_match", "put_stream", "delete")


class InjectedFault(TransientStoreError):
    """The error a FaultyStore raises; a TransientStoreError like a real outage."""


@dataclass
class _Fault:
    ops: frozenset[str]
    nth: int
    lose_response: bool
    key_prefix: str
    error: type[Exception]
    seen: int = 0
    fired: bool = False


class FaultyStore(ObjectStore):
    """Wraps another store and injects failures on demand."""

    schemes = ()

    def __init__(self, inner: ObjectStore) -> None:
        self.inner = inner
        self.calls: list[tuple[str, str]] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._lagging = False
        self._hidden: set[str] = set()

    @classmethod
    def from_uri(cls, uri: StoreURI) -> FaultyStore:  # pragma: no cover - wrapper only
        raise TypeError("FaultyStore wraps a store; build it with FaultyStore(inner)")

    # -- arming ----------------------------------------------------------------
    def fail_call(
        self,
        nth: int = 1,
        ops: Iterable[str] = OPERATIONS,
        *,
        key_prefix: str = "",
        error: type[Exception] = InjectedFault,
    ) -> None:
        """Make the ``nth`` matching call from now raise ``error`` before it runs."""
        self._arm(_Fault(frozenset(ops), nth, False, key_prefix, error))

    def lose_response(
        self,
        nth: int = 1,
        ops: Iterable[str] = WRITE_OPERATIONS,
        *,
        key_prefix: str = "",
        error: type[Exception] = InjectedFault,
    ) -> None:
        """Let the ``nth`` matching write succeed, then raise ``error`` as if its response was lost."""
        self._arm(_Fault(frozenset(ops), nth, True, key_prefix, error))

    def _arm(self, fault: _Fault) -> None:
        unknown = fault.ops - set(OPERATIONS)
        if unknown or fault.nth < 1:
            raise ValueError(f"bad fault: unknown ops {sorted(unknown)} or nth={fault.nth} < 1")
        with self._lock:
            self._faults.append(fault)

    def lag_list(self) -> None:
        """From now on, hide newly written keys from ``list`` until :meth:`settle`."""
        with self._lock:
            self._lagging = True

    def settle(self) -> None:
        """End list lag and forget every armed fault."""
        with self._lock:
            self._lagging = False
            self._hidden.clear()
            self._faults.clear()

    @property
    def fired(self) -> int:
        """How many armed faults have fired."""
        with self._lock:
            return sum(f.fired for f in self._faults)

    def count(self, op: str) -> int:
        """How many calls of ``op`` were made."""
        with self._lock:
            return sum(1 for o, _ in self.calls if o == op)

    # -- plumbing --------------------------------------------------------------
    def _before(self, op: str, key: str) -> _Fault | None:
        """Record the call; raise a pre-call fault, or return a lose-response one."""
        with self._lock:
            self.calls.append((op, key))
            for fault in self._faults:
                if fault.fired or op not in fault.ops or not key.startswith(fault.key_prefix):
                    continue
                fault.seen += 1
                if fault.seen == fault.nth:
                    fault.fired = True
                    if not fault.lose_response:
                        raise fault.error(f"injected failure of {op}({key!r})")
                    return fault
            if self._lagging and op in WRITE_OPERATIONS:
                self._hidden.add(key)
        return None

    @staticmethod
    def _after(fault: _Fault | None, op: str, key: str) -> None:
        if fault is not None:
            raise fault.error(f"injected lost response of {op}({key!r}) (the write happened)")

    # -- the interface -----------------------------------------------------------
    @property
    def identity(self) -> str:
        return self.inner.identity

    def describe(self) -> str:
        return f"faulty({self.inner.describe()})"

    def head(self, key: str) -> ObjectMeta:
        self._before("head", key)
        return self.inner.head(key)

    def get(self, key: str) -> bytes:
        self._before("get", key)
        return self.inner.get(key)

    def get_range(self, key: str, start: int, length: int) -> bytes:
        self._before("get_range", key)
        return self.inner.get_range(key, start, length)

    def list(self, prefix: str = "") -> Iterator[ObjectMeta]:
        self._before("list", prefix)
        with self._lock:
            hidden = set(self._hidden) if self._lagging else set()
        return (m for m in list(self.inner.list(prefix)) if m.key not in hidden)

    def put(self, key: str, data: bytes) -> ObjectMeta:
        fault = self._before("put", key)
        meta = self.inner.put(key, data)
        self._after(fault, "put", key)
        return meta

    def put_if_absent(self, key: str, data: bytes) -> ObjectMeta:
        fault = self._before("put_if_absent", key)
        meta = self.inner.put_if_absent(key, data)
        self._after(fault, "put_if_absent", key)
        return meta

    def put_if_match(self, key: str, data: bytes, version: str) -> ObjectMeta:
        fault = self._before("put_if_match", key)
        meta = self.inner.put_if_match(key, data, version)
        self._after(fault, "put_if_match", key)
        return meta

    def put_stream(self, key: str, chunks: Iterable[bytes]) -> ObjectMeta:
        fault = self._before("put_stream", key)
        meta = self.inner.put_stream(key, chunks)
        self._after(fault, "put_stream", key)
        return meta

    def delete(self, key: str) -> None:
        fault = self._before("delete", key)
        self.inner.delete(key)
        self._after(fault, "delete", key)

    def close(self) -> None:
        self.inner.close()
