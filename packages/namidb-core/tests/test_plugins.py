"""The lazy plugin registry: built-ins, entry points, conflicts, install hints."""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from namidb_core.errors import (
    BackendError,
    BackendNotInstalledError,
    PluginConflictError,
    UnknownSchemeError,
)
from namidb_core.objectstore import LocalStore, MemoryStore, ObjectStore
from namidb_core.plugins import StoreRegistry, hookimpl


class _DummyStore(MemoryStore):
    schemes = ("dummy",)


class _FileImpostor(MemoryStore):
    schemes = ("file",)


@dataclass
class _Dist:
    name: str


@dataclass
class _FakeEntryPoint:
    """Duck-types importlib.metadata.EntryPoint: name, value, dist, load()."""

    name: str
    value: str
    dist: _Dist
    module: object

    def load(self) -> object:
        if isinstance(self.module, Exception):
            raise self.module
        return self.module


def _plugin(*classes: type[ObjectStore]) -> types.ModuleType:
    module = types.ModuleType("fake_plugin")

    @hookimpl
    def namidb_register_object_stores() -> Sequence[type[ObjectStore]]:
        return list(classes)

    module.namidb_register_object_stores = namidb_register_object_stores  # type: ignore[attr-defined]
    return module


def _registry(*eps: _FakeEntryPoint) -> StoreRegistry:
    return StoreRegistry(entry_points=lambda: eps)  # type: ignore[arg-type,return-value]


def _unreachable() -> Sequence[object]:
    raise AssertionError("entry points must not be loaded for a built-in scheme")


def test_builtins_need_no_entry_points():
    registry = StoreRegistry(entry_points=_unreachable)  # type: ignore[arg-type]
    assert registry.lookup("memory") is MemoryStore
    assert registry.lookup("file") is LocalStore
    assert registry.distribution_of("file") == "namidb-core"


def test_entry_point_plugin_is_loaded_for_an_unknown_scheme():
    ep = _FakeEntryPoint("dummy", "fake_plugin", _Dist("acme-dummy"), _plugin(_DummyStore))
    registry = _registry(ep)
    assert registry.lookup("dummy") is _DummyStore
    assert registry.distribution_of("dummy") == "acme-dummy"
    assert {"memory", "file", "dummy"} <= registry.schemes()


def test_two_plugins_claiming_one_scheme_name_both_distributions():
    class _Other(MemoryStore):
        schemes = ("dummy",)

    registry = _registry(
        _FakeEntryPoint("dummy", "a", _Dist("first-dist"), _plugin(_DummyStore)),
        _FakeEntryPoint("dummy", "b", _Dist("second-dist"), _plugin(_Other)),
    )
    with pytest.raises(PluginConflictError) as info:
        registry.lookup("dummy")
    assert "first-dist" in str(info.value)
    assert "second-dist" in str(info.value)
    assert isinstance(info.value, RuntimeError)


def test_a_plugin_claiming_a_builtin_scheme_conflicts_with_core():
    registry = _registry(_FakeEntryPoint("f", "x", _Dist("impostor"), _plugin(_FileImpostor)))
    with pytest.raises(PluginConflictError, match=r"namidb-core.*impostor"):
        registry.schemes()


@pytest.mark.parametrize(
    ("scheme", "extra"), [("s3", "namidb[s3]"), ("gs", "namidb[gcs]"), ("az", "namidb[azure]")]
)
def test_missing_first_party_backend_names_the_install_command(scheme, extra):
    registry = _registry()
    with pytest.raises(BackendNotInstalledError) as info:
        registry.lookup(scheme)
    assert f"pip install '{extra}'" in str(info.value)
    assert isinstance(info.value, RuntimeError)


def test_unknown_scheme_lists_installed_ones():
    with pytest.raises(UnknownSchemeError, match="memory"):
        _registry().lookup("nothing")


def test_failing_plugin_import_is_reraised_with_cause():
    boom = ImportError("no module named cloudsdk")
    registry = _registry(_FakeEntryPoint("bad", "bad.plugin", _Dist("bad-dist"), boom))
    with pytest.raises(BackendError, match="bad-dist") as info:
        registry.lookup("bad")
    assert info.value.__cause__ is boom


def test_plugin_returning_a_non_store_is_rejected():
    registry = _registry(_FakeEntryPoint("x", "x", _Dist("odd"), _plugin(dict)))  # type: ignore[arg-type]
    with pytest.raises(BackendError, match="not an ObjectStore"):
        registry.lookup("x")


def test_misspelled_hook_fails_fast():
    module = types.ModuleType("typo_plugin")

    @hookimpl
    def namidb_register_object_store() -> list[object]:  # missing "s"
        return []

    module.namidb_register_object_store = namidb_register_object_store  # type: ignore[attr-defined]
    registry = _registry(_FakeEntryPoint("t", "typo", _Dist("typo-dist"), module))
    with pytest.raises(Exception, match="namidb_register_object_store"):
        registry.lookup("t")


def test_open_wraps_backend_failures():
    class _Broken(MemoryStore):
        schemes = ("broken",)

        @classmethod
        def from_uri(cls, uri):
            raise OSError("connection refused")

    from namidb_core.uri import parse_uri

    registry = _registry(_FakeEntryPoint("b", "b", _Dist("broken-dist"), _plugin(_Broken)))
    uri = parse_uri("broken://host/p?ns=a", plugin_schemes=frozenset({"broken"}))
    with pytest.raises(BackendError, match="connection refused"):
        registry.open(uri)


def test_registry_is_not_built_at_import():
    code = (
        "import sys, namidb_core, namidb_core.plugins.manager as m\n"
        "assert m._registry is None, 'registry built at import'\n"
        "import namidb_core.uri\n"
        "namidb_core.uri.parse_uri('memory://x')\n"
        "assert m._registry is None, 'memory URI built the registry'\n"
        "namidb_core.plugins.open_store('memory://x')\n"
        "assert m._registry is not None\n"
        "cloud = [n for n in sys.modules if n.startswith(('s3fs', 'gcsfs', 'adlfs'))]\n"
        "assert not cloud, cloud\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_installed_third_party_plugin_is_found_by_entry_point():
    """The test distribution under tests/plugins/ is installed into the test environment."""
    from namidb_core.plugins.manager import get_registry

    registry = get_registry()
    assert "sqlitestore" in registry.schemes()
    assert registry.distribution_of("sqlitestore") == "namidb-sqlite-store"
