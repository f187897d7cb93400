"""Opening, describing and closing a Client (no Cypher needed)."""

from __future__ import annotations

import json

import pytest

import namidb


def test_memory_client_opens():
    client = namidb.Client("memory://demo")
    assert client.namespace_prefix() == "demo/"
    assert client.store_repr() == "memory://demo"
    assert "memory://demo" in repr(client)
    client.close()


def test_file_client_creates_the_namespace_folder(tmp_path):
    with namidb.Client(f"file://{tmp_path}?ns=a") as client:
        assert client.namespace_prefix() == "a/"
    descriptor = json.loads((tmp_path / "a" / "namespace.json").read_text())
    assert descriptor["namespace"] == "a"
    assert descriptor["format"] == "namidb"


def test_reopening_keeps_the_descriptor(tmp_path):
    namidb.Client(f"file://{tmp_path}?ns=a").close()
    first = (tmp_path / "a" / "namespace.json").read_bytes()
    namidb.Client(f"file://{tmp_path}?ns=a").close()
    assert (tmp_path / "a" / "namespace.json").read_bytes() == first


def test_read_only_client_writes_nothing(tmp_path):
    with namidb.Client(f"file://{tmp_path}?ns=a", mode="r") as client:
        assert client.mode == "r"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "uri",
    ["bogus://x", "memory://", "file:///data/x", "file:///data/x?ns=Bad_NS", "s3://?ns=a", "az://acct?ns=a"],
)
def test_malformed_uris_raise_value_error(uri, tmp_path):
    with pytest.raises(ValueError, match="accepted store URIs"):
        namidb.Client(uri)


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="mode"):
        namidb.Client("memory://a", mode="rw")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cache_bytes"):
        namidb.Client("memory://a", cache_bytes=-1)


def test_failed_open_leaves_nothing_on_disk(tmp_path):
    with pytest.raises(ValueError, match="namespace"):
        namidb.Client(f"file://{tmp_path}/db?ns=Bad")
    assert list(tmp_path.iterdir()) == []


def test_closed_client_raises_clear_error():
    client = namidb.Client("memory://demo")
    client.close()
    client.close()  # idempotent
    assert client.closed
    with pytest.raises(namidb.ClientClosedError, match="closed"):
        client.cypher("RETURN 1")
    assert "closed" in repr(client)


def test_context_manager_closes():
    with namidb.Client("memory://demo") as client:
        pass
    assert client.closed


def test_write_open_refuses_a_store_without_create_only(monkeypatch):
    """A store that lets a second create-only write through must not be opened for writing."""
    from namidb_core.objectstore import MemoryStore
    from namidb_core.objectstore.base import ObjectMeta
    from namidb_core.plugins import manager

    class Careless(MemoryStore):
        def put_if_absent(self, key: str, data: bytes) -> ObjectMeta:
            return self.put(key, data)  # ignores the precondition, like a lax emulator

    monkeypatch.setattr(manager.get_registry(), "lookup", lambda scheme: Careless)
    with pytest.raises(namidb.BackendError, match="does not enforce create-only"):
        namidb.Client("memory://careless")
    reader = namidb.Client("memory://careless", mode="r")  # reading needs no create-only
    reader.close()


def test_direct_api_users_do_not_load_the_cypher_stack_until_a_cypher_value_appears(tmp_path):
    import subprocess
    import sys

    uri = f"file://{tmp_path}/db?ns=lazy"
    with namidb.Client(uri) as client:
        client.cypher("CREATE (:E {k: 1, d: date('2020-02-03')}), (:F {k: 2})")
        client.flush()
    code = (
        "import sys, datetime, namidb\n"
        "assert 'namidb_cypher' not in sys.modules, 'import namidb loaded the Cypher stack'\n"
        f"c = namidb.Client({uri!r}, mode='r')\n"
        "f = c.scan_label('F')[0]['properties']\n"
        "assert f == {'k': 2} and 'namidb_cypher' not in sys.modules\n"
        "e = c.scan_label('E')[0]['properties']\n"
        "assert type(e['d']) is not datetime.date and isinstance(e['d'], datetime.date), type(e['d'])\n"
        "assert e['d'] == datetime.date(2020, 2, 3) and str(e['d']) == '2020-02-03'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
