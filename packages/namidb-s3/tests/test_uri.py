"""Opening the S3 store from URIs, through the plugin registry."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from namidb_core.errors import InvalidURIError
from namidb_core.plugins import get_registry, open_store
from namidb_core.testing.emulators import Emulator
from namidb_s3 import S3Store

pytestmark = pytest.mark.s3


def test_open_store_from_uri(s3_server: Emulator) -> None:
    uri = f"s3://namidb-test/data?ns=x&region=us-east-1&endpoint={s3_server.endpoint}&allow_http=true"
    store = open_store(uri)
    try:
        assert isinstance(store, S3Store)
        assert store.container == "namidb-test"
        assert store.prefix == "data"
        assert store.identity == f"s3://namidb-test/data@{s3_server.endpoint}"
        store.put("x/hello", b"world")
        assert store.get("x/hello") == b"world"
        assert [m.key for m in store.list("x/")] == ["x/hello"]
        store.delete("x/hello")
    finally:
        store.close()


def test_prefix_defaults_to_tenants(s3_server: Emulator) -> None:
    store = open_store(f"s3://namidb-test?ns=x&endpoint={s3_server.endpoint}&allow_http=true")
    assert isinstance(store, S3Store)
    assert store.prefix == "tenants"
    store.close()


def test_plugin_comes_from_the_s3_distribution() -> None:
    assert get_registry().lookup("s3") is S3Store
    assert get_registry().distribution_of("s3") == "namidb-s3"


def test_plain_http_endpoint_needs_allow_http() -> None:
    with pytest.raises(InvalidURIError, match="allow_http=true"):
        open_store("s3://namidb-test/data?ns=x&endpoint=http://127.0.0.1:9")
    with pytest.raises(ValueError, match="allow_http"):  # InvalidURIError is a ValueError
        S3Store("b", endpoint="http://127.0.0.1:9")


def test_pickle_reopens_the_same_store(s3_store: S3Store) -> None:
    s3_store.put("k", b"v")
    clone = pickle.loads(pickle.dumps(s3_store))
    try:
        assert clone is not s3_store
        assert clone.identity == s3_store.identity
        assert clone.get("k") == b"v"
    finally:
        clone.close()


def test_importing_the_plugin_does_not_import_s3fs() -> None:
    code = "import sys, namidb_s3.plugin, namidb_s3; print('s3fs' in sys.modules, 'botocore' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
