"""The plugin module named by the ``namidb.storage`` entry point."""

from __future__ import annotations

from collections.abc import Sequence

from namidb_core.objectstore import ObjectStore
from namidb_core.plugins import hookimpl


@hookimpl
def namidb_register_object_stores() -> Sequence[type[ObjectStore]]:
    """Provide ``sqlitestore://``."""
    from namidb_sqlite_store.store import SQLiteStore

    return [SQLiteStore]
