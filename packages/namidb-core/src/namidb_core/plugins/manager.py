"""The store registry: URI scheme → ObjectStore class, built lazily from plugins.

Nothing here runs at import. The first lookup builds a pluggy
``PluginManager`` holding core's built-in stores; installed distributions'
``namidb.storage`` entry points are loaded only when a scheme is not built in
(hatchling's ``ClassRegister`` does the same), so ``memory://`` and
``file://`` never pay for importing cloud SDKs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from importlib import metadata
from types import ModuleType
from typing import TYPE_CHECKING, cast

import pluggy

from namidb_core.errors import (
    BackendError,
    BackendNotInstalledError,
    InvalidURIError,
    PluginConflictError,
    UnknownSchemeError,
)
from namidb_core.plugins import hookspecs
from namidb_core.plugins.markers import PROJECT_NAME

if TYPE_CHECKING:
    from namidb_core.objectstore.base import ObjectStore
    from namidb_core.uri import StoreURI

__all__ = [
    "ENTRY_POINT_GROUP",
    "INSTALL_HINTS",
    "StoreRegistry",
    "get_registry",
    "open_store",
    "registered_schemes",
    "set_registry",
]

#: The entry-point group a backend distribution registers its plugin module in.
ENTRY_POINT_GROUP = "namidb.storage"
#: First-party schemes whose backend ships separately, and the extra that brings it.
INSTALL_HINTS: dict[str, str] = {"s3": "namidb[s3]", "gs": "namidb[gcs]", "az": "namidb[azure]"}
_CORE_DIST = "namidb-core"

EntryPointSource = Callable[[], Sequence[metadata.EntryPoint]]


def _installed_entry_points() -> Sequence[metadata.EntryPoint]:
    return tuple(metadata.entry_points(group=ENTRY_POINT_GROUP))


class StoreRegistry:
    """Maps URI schemes to the ObjectStore classes that serve them.

    Args:
        entry_points: where to find plugin entry points; defaults to the
            installed distributions' ``namidb.storage`` group. Tests inject
            their own.
    """

    def __init__(self, entry_points: EntryPointSource = _installed_entry_points) -> None:
        self._entry_points = entry_points
        self._lock = threading.RLock()
        self._pm = pluggy.PluginManager(PROJECT_NAME)
        self._pm.add_hookspecs(hookspecs)
        self._stores: dict[str, tuple[type[ObjectStore], str]] = {}
        self._entry_points_loaded = False
        from namidb_core.plugins import builtin

        self._add_plugin(builtin, "namidb-core", name="namidb-core:builtin")

    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        """The underlying pluggy manager (for inspection and tests)."""
        return self._pm

    def _add_plugin(self, module: ModuleType | object, dist: str, *, name: str) -> None:
        self._pm.register(module, name=name)
        self._pm.check_pending()
        hook = self._pm.hook.namidb_register_object_stores
        for impl in hook.get_hookimpls():
            if impl.plugin is module:
                provided = cast("Sequence[type[ObjectStore]]", impl.function())
                for cls in provided:
                    self._claim(cls, dist)

    def _claim(self, cls: type[ObjectStore], dist: str) -> None:
        from namidb_core.objectstore.base import ObjectStore

        if not (isinstance(cls, type) and issubclass(cls, ObjectStore)):
            raise BackendError(f"plugin from {dist!r} returned {cls!r}, which is not an ObjectStore subclass")
        if not cls.schemes:
            raise BackendError(f"{cls.__qualname__} from {dist!r} declares no URI schemes")
        for scheme in cls.schemes:
            held = self._stores.get(scheme)
            if held is not None and held[0] is not cls:
                raise PluginConflictError(
                    f"URI scheme {scheme!r} is claimed by two plugins: "
                    f"{held[0].__qualname__} from distribution {held[1]!r} and "
                    f"{cls.__qualname__} from distribution {dist!r}; uninstall one of them"
                )
            self._stores[scheme] = (cls, dist)

    def load_entry_points(self) -> None:
        """Import and register every installed ``namidb.storage`` plugin (once)."""
        with self._lock:
            if self._entry_points_loaded:
                return
            # pluggy's load_setuptools_entrypoints skips a second plugin under an
            # entry-point name already registered, which would hide a conflict;
            # register each one under "<dist>:<name>" instead.
            for ep in self._entry_points():
                dist = ep.dist.name if ep.dist is not None else ep.value.split(":")[0]
                try:
                    module = ep.load()
                except Exception as e:
                    raise BackendError(
                        f"the namidb storage plugin {ep.name!r} from distribution {dist!r} "
                        f"failed to import ({ep.value}): {e}"
                    ) from e
                self._add_plugin(module, dist, name=f"{dist}:{ep.name}")
            self._entry_points_loaded = True

    def schemes(self) -> frozenset[str]:
        """Every scheme served by a built-in store or an installed plugin."""
        self.load_entry_points()
        return frozenset(self._stores)

    def lookup(self, scheme: str) -> type[ObjectStore]:
        """Return the ObjectStore class serving ``scheme``.

        Raises:
            BackendNotInstalledError: a first-party scheme whose distribution is
                not installed (the message names the ``pip install`` command).
            UnknownSchemeError: no plugin serves the scheme.
        """
        with self._lock:
            if scheme not in self._stores:
                self.load_entry_points()
            held = self._stores.get(scheme)
        if held is not None:
            return held[0]
        if scheme in INSTALL_HINTS:
            raise BackendNotInstalledError(
                f"the {scheme}:// backend is not installed; "
                f"install it with: pip install '{INSTALL_HINTS[scheme]}'"
            )
        known = ", ".join(sorted(self._stores))
        raise UnknownSchemeError(f"no storage plugin serves {scheme}:// (installed schemes: {known})")

    def distribution_of(self, scheme: str) -> str:
        """The name of the distribution that provides ``scheme``."""
        self.lookup(scheme)
        return self._stores[scheme][1]

    def open(self, uri: StoreURI) -> ObjectStore:
        """Open the store a parsed URI names.

        Raises:
            BackendError: the plugin is missing or the backend failed to open.
        """
        cls = self.lookup(uri.scheme)
        try:
            return cls.from_uri(uri)
        except (BackendError, InvalidURIError):
            raise
        except Exception as e:
            raise BackendError(f"could not open {uri.redacted()}: {type(e).__name__}: {e}") from e


_registry: StoreRegistry | None = None
_registry_lock = threading.Lock()


def get_registry() -> StoreRegistry:
    """The process-wide registry, built on first use."""
    global _registry
    if _registry is None:
        with _registry_lock:
            if _registry is None:
                _registry = StoreRegistry()
    return _registry


def set_registry(registry: StoreRegistry | None) -> StoreRegistry | None:
    """Replace the process-wide registry (``None`` rebuilds it lazily); returns the old one."""
    global _registry
    with _registry_lock:
        old, _registry = _registry, registry
    return old


def registered_schemes() -> frozenset[str]:
    """Every scheme the process-wide registry serves (loads plugins)."""
    return get_registry().schemes()


def open_store(uri: StoreURI | str) -> ObjectStore:
    """Parse ``uri`` if needed and open the store it names."""
    from namidb_core.uri import parse_uri

    parsed = parse_uri(uri) if isinstance(uri, str) else uri
    return get_registry().open(parsed)
