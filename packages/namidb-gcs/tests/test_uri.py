"""Opening the GCS store from URIs, through the plugin registry."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest

from namidb_core.errors import BackendError
from namidb_core.plugins import get_registry, open_store
from namidb_core.testing.emulators import Emulator
from namidb_gcs import GCSStore

pytestmark = pytest.mark.gcs


def test_open_store_from_uri(gcs_server: Emulator) -> None:
    store = open_store(f"gs://namidb-test/data?ns=x&endpoint={gcs_server.endpoint}")
    try:
        assert isinstance(store, GCSStore)
        assert store.container == "namidb-test"
        assert store.prefix == "data"
        assert store.identity == f"gs://namidb-test/data@{gcs_server.endpoint}"
        store.put("x/hello", b"world")
        assert store.get("x/hello") == b"world"
        assert [m.key for m in store.list("x/")] == ["x/hello"]
        store.delete("x/hello")
    finally:
        store.close()


def test_storage_emulator_host_is_honoured(gcs_server: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"127.0.0.1:{gcs_server.port}")
    store = open_store("gs://namidb-test?ns=x")
    try:
        assert isinstance(store, GCSStore)
        assert store.prefix == "tenants"
        assert store.identity.endswith(f"@http://127.0.0.1:{gcs_server.port}")
        store.put("env/k", b"v")
        assert store.get("env/k") == b"v"
    finally:
        store.close()


def test_hns_support_is_switched_off_before_gcsfs_loads() -> None:
    code = (
        "import os, sys; os.environ.pop('GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT', None)\n"
        "from namidb_gcs import GCSStore\n"
        "assert 'gcsfs' not in sys.modules\n"
        "GCSStore('b', endpoint='http://127.0.0.1:9').fs\n"
        "print(os.environ['GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT'], type(GCSStore('b', endpoint='http://x').fs).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["false", "GCSFileSystem"]


def test_user_setting_of_hns_is_kept() -> None:
    code = (
        "import os; os.environ['GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT'] = '0'\n"
        "from namidb_gcs.store import _import_filesystem_class; _import_filesystem_class()\n"
        "print(os.environ['GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_plugin_comes_from_the_gcs_distribution() -> None:
    assert get_registry().lookup("gs") is GCSStore
    assert get_registry().distribution_of("gs") == "namidb-gcs"


def test_service_account_file_is_used(tmp_path, gcs_server: Emulator) -> None:
    key = tmp_path / "sa.json"
    key.write_text(json.dumps({"type": "service_account", "project_id": "p"}))
    store = GCSStore("namidb-test", "p", endpoint=gcs_server.endpoint, service_account=str(key))
    assert pickle.loads(pickle.dumps(store)).identity == store.identity
    store.close()


@pytest.mark.parametrize("content", [None, "not json", "[1, 2]"])
def test_bad_service_account_is_a_backend_error(tmp_path, content: str | None) -> None:
    path = tmp_path / "key.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(BackendError, match=str(path)) as info:
        open_store(f"gs://namidb-test/data?ns=x&service_account={path}")
    assert isinstance(info.value, RuntimeError)


def test_unreadable_service_account_is_a_backend_error(tmp_path) -> None:
    # A folder cannot be read as a file, whoever runs the test (root reads any mode-000 file).
    with pytest.raises(BackendError, match="cannot be read") as info:
        GCSStore("b", service_account=str(tmp_path))
    assert str(tmp_path) in str(info.value)


def test_pickle_reopens_the_same_store(gcs_store: GCSStore) -> None:
    gcs_store.put("k", b"v")
    clone = pickle.loads(pickle.dumps(gcs_store))
    try:
        assert clone.identity == gcs_store.identity
        assert clone.get("k") == b"v"
    finally:
        clone.close()


def test_importing_the_plugin_does_not_import_gcsfs() -> None:
    code = "import sys, namidb_gcs.plugin, namidb_gcs; print('gcsfs' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_credentials_choice() -> None:
    assert GCSStore("b", endpoint="http://127.0.0.1:9")._anonymous
    assert not GCSStore("b", endpoint="https://private.example.com")._anonymous
    assert not GCSStore("b")._anonymous


def test_emulator_host_variable_means_anonymous(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", "https://emulator.example:4443")
    store = GCSStore("b")
    assert store._anonymous
    assert store.identity == "gs://b@https://emulator.example:4443"
    monkeypatch.delenv("STORAGE_EMULATOR_HOST")
    clone = pickle.loads(pickle.dumps(store))  # as in a process without the variable
    assert clone._anonymous
    assert clone.identity == store.identity
