"""verify_create_only: accepts stores that refuse a second create, rejects one that does not."""

from __future__ import annotations

import pytest

from namidb_core.errors import BackendError, PreconditionFailedError
from namidb_core.objectstore import LocalStore, MemoryStore, ObjectMeta
from namidb_core.objectstore.preflight import verify_create_only


class OverwritingStore(MemoryStore):
    """A broken store: put_if_absent ignores its precondition and overwrites."""

    def put_if_absent(self, key: str, data: bytes) -> ObjectMeta:
        return self.put(key, data)


class WrongErrorStore(MemoryStore):
    """A store whose create-only refusal is a PreconditionFailedError, not AlreadyExists."""

    def put_if_absent(self, key: str, data: bytes) -> ObjectMeta:
        if any(True for _ in self.list(key)):
            raise PreconditionFailedError(f"{key} exists")
        return self.put(key, data)


def test_memory_store_passes() -> None:
    store = MemoryStore()
    verify_create_only(store)
    assert list(store.list()) == []  # the probe is cleaned up


def test_local_store_passes(tmp_path) -> None:
    store = LocalStore(tmp_path)
    verify_create_only(store, "checks")
    assert list(store.list()) == []


def test_store_ignoring_preconditions_is_refused() -> None:
    store = OverwritingStore()
    with pytest.raises(BackendError, match="does not enforce create-only"):
        verify_create_only(store, "pf/")
    assert list(store.list("pf/")) == []


def test_wrong_error_class_is_refused() -> None:
    with pytest.raises(BackendError, match="maps precondition failures wrongly"):
        verify_create_only(WrongErrorStore())
