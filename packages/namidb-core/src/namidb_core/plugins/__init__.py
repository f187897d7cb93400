"""Storage plugins: the hookspec, the pluggy markers and the lazy registry."""

from namidb_core.plugins.manager import (
    ENTRY_POINT_GROUP,
    INSTALL_HINTS,
    StoreRegistry,
    get_registry,
    open_store,
    registered_schemes,
    set_registry,
)
from namidb_core.plugins.markers import hookimpl, hookspec

__all__ = [
    "ENTRY_POINT_GROUP",
    "INSTALL_HINTS",
    "StoreRegistry",
    "get_registry",
    "hookimpl",
    "hookspec",
    "open_store",
    "registered_schemes",
    "set_registry",
]
