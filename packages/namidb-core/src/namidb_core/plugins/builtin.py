"""Registers core's own stores (memory, file) through the public hook."""

from __future__ import annotations

from collections.abc import Sequence

from namidb_core.objectstore.base import ObjectStore
from namidb_core.plugins.markers import hookimpl


@hookimpl
def namidb_register_object_stores() -> Sequence[type[ObjectStore]]:
    """Provide ``memory://`` and ``file://``."""
    from namidb_core.objectstore.local import LocalStore
    from namidb_core.objectstore.memory import MemoryStore

    return [MemoryStore, LocalStore]
