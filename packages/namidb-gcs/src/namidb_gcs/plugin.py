"""The ``namidb.storage`` entry point of namidb-gcs: registers :class:`~namidb_gcs.store.GCSStore`."""

from __future__ import annotations

from collections.abc import Sequence

from namidb_core.objectstore.base import ObjectStore
from namidb_core.plugins import hookimpl


@hookimpl
def namidb_register_object_stores() -> Sequence[type[ObjectStore]]:
    """Provide ``gs://`` (gcsfs is imported only when a store is opened)."""
    from namidb_gcs.store import GCSStore

    return [GCSStore]
