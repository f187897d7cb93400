"""The ``namidb.storage`` entry point of namidb-azure: registers :class:`~namidb_azure.store.AzureStore`."""

from __future__ import annotations

from collections.abc import Sequence

from namidb_core.objectstore.base import ObjectStore
from namidb_core.plugins import hookimpl


@hookimpl
def namidb_register_object_stores() -> Sequence[type[ObjectStore]]:
    """Provide ``az://`` (adlfs is imported only when a store is opened)."""
    from namidb_azure.store import AzureStore

    return [AzureStore]
