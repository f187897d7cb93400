"""The ``namidb.storage`` entry point of namidb-s3: registers :class:`~namidb_s3.store.S3Store`."""

from __future__ import annotations

from collections.abc import Sequence

from namidb_core.objectstore.base import ObjectStore
from namidb_core.plugins import hookimpl


@hookimpl
def namidb_register_object_stores() -> Sequence[type[ObjectStore]]:
    """Provide ``s3://`` (s3fs is imported only when a store is opened)."""
    from namidb_s3.store import S3Store

    return [S3Store]
