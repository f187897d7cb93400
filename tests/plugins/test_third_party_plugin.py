"""A third-party backend, installed as its own distribution, passes the conformance suite.

`tests/plugins/namidb-sqlite-store` depends on nothing but namidb-core's hookspec and
store interface and registers ``sqlitestore://`` through the ``namidb.storage``
entry point; it is installed into the test environment by ``dev.py test``.
"""

from __future__ import annotations

import pytest

from namidb_core.plugins import open_store
from namidb_core.plugins.manager import get_registry
from namidb_core.testing import CrossProcessConformance, ObjectStoreConformance


class TestSQLiteStorePlugin(ObjectStoreConformance, CrossProcessConformance):
    @pytest.fixture
    def store(self, tmp_path):
        store = open_store(f"sqlitestore://{tmp_path}/objects.db?ns=conformance")
        yield store
        store.close()


def test_the_store_comes_from_the_entry_point():
    store_cls = get_registry().lookup("sqlitestore")
    assert store_cls.__module__ == "namidb_sqlite_store.store"
    assert get_registry().distribution_of("sqlitestore") == "namidb-sqlite-store"
