"""Core's own stores pass the conformance suite every backend runs."""

from __future__ import annotations

import pytest

from namidb_core.objectstore import LocalStore, MemoryStore, ObjectStore
from namidb_core.testing import CrossProcessConformance, ObjectStoreConformance


class TestMemoryStore(ObjectStoreConformance):
    @pytest.fixture
    def store(self):
        return MemoryStore()

    def open_peer(self, store: ObjectStore) -> ObjectStore:
        assert isinstance(store, MemoryStore)
        return store.peer()


class TestLocalStore(ObjectStoreConformance, CrossProcessConformance):
    supports_put_if_match = False

    @pytest.fixture
    def store(self, tmp_path):
        return LocalStore(tmp_path / "root")
