"""Opening the Azure store from URIs, through the plugin registry."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from namidb_azure import AzureStore
from namidb_core.errors import BackendError, InvalidURIError
from namidb_core.plugins import get_registry, open_store
from namidb_core.testing.emulators import Emulator

pytestmark = pytest.mark.azure


def test_open_store_from_uri(azure_server: Emulator) -> None:
    uri = (
        f"az://devstoreaccount1/namidb-test/data?ns=x&use_emulator=true"
        f"&endpoint={azure_server.endpoint}&allow_http=true"
    )
    store = open_store(uri)
    try:
        assert isinstance(store, AzureStore)
        assert (store.account, store.container, store.prefix) == ("devstoreaccount1", "namidb-test", "data")
        assert store.identity == f"az://devstoreaccount1/namidb-test/data@{azure_server.endpoint}"
        store.put("x/hello", b"world")
        assert store.get("x/hello") == b"world"
        assert [m.key for m in store.list("x/")] == ["x/hello"]
        store.delete("x/hello")
    finally:
        store.close()


def test_use_emulator_defaults_to_azurites_port() -> None:
    store = open_store("az://devstoreaccount1/c0ntainer?ns=x&use_emulator=true")
    assert isinstance(store, AzureStore)
    assert store.prefix == "tenants"
    assert store.identity == "az://devstoreaccount1/c0ntainer/tenants@http://127.0.0.1:10000/devstoreaccount1"
    store.close()


def test_account_key_from_the_environment(azure_server: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    from namidb_core.testing.emulators import AZURITE_KEY

    monkeypatch.setenv("AZURE_STORAGE_ACCOUNT_KEY", AZURITE_KEY)
    store = open_store(
        f"az://devstoreaccount1/namidb-test/env?ns=x&endpoint={azure_server.endpoint}&allow_http=true"
    )
    try:
        store.put("k", b"v")
        assert store.get("k") == b"v"
    finally:
        store.close()


def test_endpoint_without_credentials_is_a_backend_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_STORAGE_ACCOUNT_KEY", "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_CONNECTION_STRING"):
        monkeypatch.delenv(name, raising=False)
    store = AzureStore("devstoreaccount1", "c0ntainer", endpoint="https://127.0.0.1:9/devstoreaccount1")
    with pytest.raises(BackendError, match="AZURE_STORAGE_ACCOUNT_KEY"):
        store.get("k")


def test_plain_http_endpoint_needs_allow_http() -> None:
    with pytest.raises(InvalidURIError, match="allow_http=true"):
        open_store("az://devstoreaccount1/c0ntainer?ns=x&endpoint=http://127.0.0.1:9/devstoreaccount1")


def test_plugin_comes_from_the_azure_distribution() -> None:
    assert get_registry().lookup("az") is AzureStore
    assert get_registry().distribution_of("az") == "namidb-azure"


def test_pickle_reopens_the_same_store_without_secrets(azure_store: AzureStore) -> None:
    azure_store.put("k", b"v")
    blob = pickle.dumps(azure_store)
    assert b"Eby8vdM02x" not in blob  # the key is looked up again, never pickled
    clone = pickle.loads(blob)
    try:
        assert clone.identity == azure_store.identity
        assert clone.get("k") == b"v"
    finally:
        clone.close()


def test_importing_the_plugin_does_not_import_adlfs() -> None:
    code = (
        "import sys, namidb_azure.plugin, namidb_azure; print('adlfs' in sys.modules, 'azure' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
