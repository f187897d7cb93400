"""The speed paths of the engine: grouped file:// commits, the advisory hint, sorting, id parsing.

Each test pins behaviour a faster implementation must keep: what survives a
power cut (simulated by leaving the objects such a cut can leave), what the
reader tolerates, and byte-for-byte equality with the straightforward
implementations the fast ones replaced.
"""

from __future__ import annotations

import json
import os
import random
import uuid

import numpy as np
import pyarrow as pa
import pytest

from namidb_core.errors import InvalidArgumentError
from namidb_core.objectstore.faulty import FaultyStore
from namidb_core.objectstore.local import LocalStore
from namidb_core.objectstore.memory import MemoryStore
from namidb_core.storage import Engine, merge
from namidb_core.storage.layout import DST, EKEY, LSN, SRC, TOMB
from namidb_core.storage.manifest import ManifestLog, paths
from namidb_core.storage.manifest.model import Manifest, SstDescriptor, WalSegmentRef
from namidb_core.storage.merge import latest_edges, sort_order
from namidb_core.values import parse_ids


def uid() -> str:
    return str(uuid.uuid4())


def _tmp_leftovers(root: str) -> list[str]:
    return [f for _, _, files in os.walk(root) for f in files if f.endswith(".namidb-tmp")]


# -- grouped commits on file:// ------------------------------------------------------
def test_file_commit_is_durable_grouped_and_leaves_no_temp_files(tmp_path):
    store = LocalStore(tmp_path)
    eng = Engine.open(store, "ns")
    ids = [uid() for _ in range(20)]
    for i, n in enumerate(ids):
        eng.upsert_node("P", n, {"i": i})
        eng.commit()
    assert _tmp_leftovers(str(tmp_path)) == []
    r = Engine.open(LocalStore(tmp_path), "ns", mode="r")
    assert r.version == eng.version
    assert sorted(x["properties"]["i"] for x in r.scan_label("P")) == list(range(20))
    # every pointer names a body that exists and verifies
    for v in range(1, r.version + 1):
        assert r.log.load(v).version == v


def test_power_cut_leftovers_of_an_unpointed_commit_are_harmless(tmp_path):
    """A cut during the grouped write can leave the next version's body and WAL torn, never its pointer."""
    store = LocalStore(tmp_path)
    eng = Engine.open(store, "ns")
    keep = uid()
    eng.upsert_node("P", keep, {"x": 1})
    eng.commit()
    nxt = eng.version + 1
    # what a power cut may leave: a torn body in the primary slot and a torn WAL segment
    (tmp_path / "ns" / "manifest" / f"v{nxt:016x}.json").write_bytes(b'{"format":1,"vers')
    (tmp_path / "ns" / paths.wal_key(eng.manifest.next_lsn, eng.epoch)).write_bytes(b"NAMIWAL1\x01")
    eng.close()
    again = Engine.open(LocalStore(tmp_path), "ns")  # the restarted writer claims through the alternate slot
    assert again.version == nxt
    assert again.log.read_pointer(nxt).body != paths.body_key(nxt)
    new = uid()
    again.upsert_node("P", new, {"x": 2})
    again.commit()
    r = Engine.open(LocalStore(tmp_path), "ns", mode="r")
    assert r.lookup_node("P", keep)["properties"] == {"x": 1}
    assert r.lookup_node("P", new)["properties"] == {"x": 2}


def test_file_commit_with_named_temp_files(tmp_path, monkeypatch):
    """Where O_TMPFILE is unavailable the same paths use hidden temp names (and remove them)."""
    import namidb_core.objectstore.local as local

    monkeypatch.setattr(local, "_anonymous_ok", False)
    eng = Engine.open(LocalStore(tmp_path), "ns")
    n = uid()
    eng.upsert_node("P", n, {"x": 1})
    eng.commit()
    eng.flush()
    assert _tmp_leftovers(str(tmp_path)) == []
    assert Engine.open(LocalStore(tmp_path), "ns", mode="r").lookup_node("P", n)["properties"] == {"x": 1}


# -- the advisory hint ------------------------------------------------------------------
@pytest.mark.parametrize(
    "hint",
    [b"", b'{"version": 1', b"\x00" * 16, b'{"version": "x"}', b"\xff\xfe", b'{"version": 999}'],
    ids=["empty", "torn", "zeros", "bad-type", "not-utf8", "ahead"],
)
def test_a_damaged_or_wrong_hint_is_harmless(hint):
    store = FaultyStore(MemoryStore())
    eng = Engine.open(store, "ns")
    for _ in range(3):
        eng.upsert_node("P", uid(), {})
        eng.commit()
    store.put("ns/" + paths.HINT, hint)
    before = store.count("head")
    assert ManifestLog(store, "ns/").latest_version() == eng.version
    # a hint ahead of every pointer costs one HEAD, not a probe from version 0
    assert store.count("head") - before <= 3


def test_file_hint_is_written_without_fsync_but_readable(tmp_path):
    store = LocalStore(tmp_path)
    eng = Engine.open(store, "ns")
    for _ in range(8):
        eng.upsert_node("P", uid(), {})
        eng.commit()
    assert json.loads(store.get("ns/" + paths.HINT))["version"] >= 8


# -- manifest encoding --------------------------------------------------------------------
def _canonical(m: Manifest) -> bytes:
    """The straightforward encoding the cached one must equal byte for byte."""
    d = {
        "format": 1,
        "version": m.version,
        "epoch": m.epoch,
        "writer": m.writer,
        "next_lsn": m.next_lsn,
        "wal": [[w.key, w.sha256, w.first_lsn, w.last_lsn, w.size] for w in m.wal],
        "ssts": [s.to_json() for s in m.ssts],
        "schema": m.schema,
        "garbage": [list(g) for g in m.garbage],
        "created_at": m.created_at,
        "nonce": m.nonce,
    }
    import hashlib

    raw = json.dumps(d, sort_keys=True, separators=(",", ":"))
    return (raw[:-1] + f',"checksum":"{hashlib.sha256(raw.encode()).hexdigest()}"}}').encode()


def test_cached_manifest_encoding_equals_canonical_json():
    sst = SstDescriptor("sst/level0/a.parquet", "nodes", "Pérson", 0, "00", "ff", 1, 5, 5, 10, "ab" * 32)
    m = Manifest(version=1, epoch=1, writer="w", schema={"labels": {"P": {"a": ["int64"]}}}, nonce="n")
    for i in range(30):
        changes: dict[str, object] = {"nonce": f"n{i}"}
        if i % 3 == 0:  # new garbage / ssts tuples must not reuse a stale cached text
            changes["garbage"] = (*m.garbage, (f"wal/{i:04d}\u00e9.wal", 1.5 + i / 7))
        if i % 5 == 0:
            changes["ssts"] = (*m.ssts, sst)
        if i % 4 == 0:
            changes["wal"] = (WalSegmentRef(f"wal/{i}.wal", "cd" * 32, i, i + 1, 99),)
        if i % 7 == 0:
            changes["schema"] = {"labels": {"P": {"a": ["int64"], f"k{i}": ["string"]}}}
        m = m.successor(**changes)
        assert m.to_bytes() == _canonical(m)
        assert Manifest.from_bytes("k", m.to_bytes()) == m


# -- sorting and merging ---------------------------------------------------------------------
def _fsb(rows: list[bytes]) -> pa.Array:
    return pa.array(rows, type=pa.binary(16))


def test_sort_order_is_the_stable_byte_order_sort():
    rng = random.Random(3)
    # shared high bytes (uuid7-like), NUL bytes at the end, 0xff bytes, and duplicates
    pool = [bytes([0] * 8) + rng.randbytes(8) for _ in range(20)]
    pool += [rng.randbytes(6) + b"\x70\x00" + rng.randbytes(7) + b"\x00" for _ in range(20)]
    pool += [b"\xff" * 16, b"\x00" * 16, b"\x00" * 15 + b"\x01"]
    src = [rng.choice(pool) for _ in range(500)]
    dst = [rng.choice(pool) for _ in range(500)]
    ekey = [rng.choice([b"\x00" * 16, b"\x01" + b"\x00" * 15]) for _ in range(500)]
    table = pa.table({SRC: _fsb(src), DST: _fsb(dst), EKEY: _fsb(ekey)})
    order, last = sort_order(table, [SRC, DST, EKEY])
    expected = sorted(range(500), key=lambda i: (src[i], dst[i], ekey[i]))  # Python's sort is stable
    assert order.tolist() == expected
    keys = [(src[i], dst[i], ekey[i]) for i in expected]
    assert last.tolist() == [i == len(keys) - 1 or keys[i] != keys[i + 1] for i in range(len(keys))]
    # a uniform trailing column is skipped, the order is unchanged
    flat = pa.table({SRC: _fsb(src), DST: _fsb(dst), EKEY: _fsb([b"\x00" * 16] * 500)})
    order2, _ = sort_order(flat, [SRC, DST, EKEY])
    assert order2.tolist() == sorted(range(500), key=lambda i: (src[i], dst[i]))


@pytest.mark.parametrize("slices", [[500], [100, 100, 300], [7, 1, 250, 242]])
def test_slice_sorter_equals_the_whole_sort(monkeypatch, slices):
    """Rows arriving in slices, sorted a part at a time and merged, give sort_order's answer."""
    monkeypatch.setattr(merge, "SORT_SLICE_ROWS", 120)  # parts span and split the arriving slices
    rng = random.Random(5)
    pool = [bytes([0] * 8) + rng.randbytes(8) for _ in range(30)] + [b"\xff" * 16, b"\x00" * 16]
    src = [rng.choice(pool) for _ in range(500)]
    dst = [rng.choice(pool) for _ in range(500)]
    raw = [np.frombuffer(b"".join(col), dtype=np.uint8).reshape(500, 16) for col in (src, dst)]
    sorter = merge.SliceSorter(500, 2)
    start = 0
    for size in slices:
        sorter.add(start, [r[start : start + size] for r in raw])
        start += size
    order, last = sorter.result()
    expected, expected_last = sort_order(pa.table({SRC: _fsb(src), DST: _fsb(dst)}), [SRC, DST])
    assert order.tolist() == expected.tolist()
    assert last.tolist() == expected_last.tolist()


def test_latest_edges_keeps_newest_and_applies_wildcards():
    a, b, c = (bytes([i]) * 16 for i in (1, 2, 3))
    zero, wild = b"\x00" * 16, b"\xff" * 16
    rows = [  # oldest first
        (a, b, zero, False, 1),
        (a, c, zero, False, 2),
        (a, b, b"\x05" * 16, False, 3),
        (a, b, wild, True, 4),  # removes both a->b edges above
        (a, b, zero, False, 5),  # newer than the wildcard: alive
        (a, c, zero, False, 6),  # replaces LSN 2
    ]
    table = pa.table(
        {
            SRC: _fsb([r[0] for r in rows]),
            DST: _fsb([r[1] for r in rows]),
            EKEY: _fsb([r[2] for r in rows]),
            TOMB: pa.array([r[3] for r in rows]),
            LSN: pa.array([r[4] for r in rows], type=pa.int64()),
        }
    )
    out = latest_edges(table)
    assert out.column(LSN).to_pylist() == [5, 4, 6]


# -- id parsing ------------------------------------------------------------------------------
def test_parse_ids_list_fast_path_matches_arrow_path():
    ids = [str(uuid.uuid4()) for _ in range(1000)] + [str(uuid.uuid4()).upper()]
    got = parse_ids(ids)
    assert np.array_equal(got, parse_ids(pa.array(ids)))
    assert [bytes(r) for r in got] == [uuid.UUID(i).bytes for i in ids]


@pytest.mark.parametrize(
    ("bad", "row", "match"),
    [
        (5, 2, "must be a UUID string"),
        ("x" * 36, 2, "not a valid UUID"),
        ("0" * 35, 2, "not a UUID string"),
        ("1234567-89ab-cdef-0123-456789abcdef0", 2, "not a valid UUID"),  # dash moved
        ("12345678-9abc-def0-1234-56789abcdef\n", 2, "not a valid UUID"),  # newline inside
        ("12345678-9abc-def0-1234-56789abcdeé", 2, "UUID"),
        (None, 2, "missing"),
    ],
)
def test_parse_ids_list_errors_name_the_row(bad, row, match):
    values = [str(uuid.uuid4()), str(uuid.uuid4()), bad, str(uuid.uuid4())]
    with pytest.raises(InvalidArgumentError, match=match) as info:
        parse_ids(values)
    assert f"row {row}" in str(info.value)


def test_parse_ids_rejects_rows_that_only_add_up_to_36_each():
    """A 35- and a 37-character string must not be read as two UUIDs."""
    u = str(uuid.uuid4())
    with pytest.raises(InvalidArgumentError):
        parse_ids([u[:35], "0" + u])


def test_unlinkable_anonymous_temp_files_fall_back_to_names(tmp_path, monkeypatch):
    """Where /proc linking is refused (sandboxes), commits retry with named temporaries."""
    import errno

    import namidb_core.objectstore.local as local

    monkeypatch.setattr(local, "_anonymous_ok", True)
    real_link = os.link

    def no_proc_link(src, dst, *, src_dir_fd=None, dst_dir_fd=None, follow_symlinks=True):
        if src_dir_fd is not None:
            raise OSError(errno.ENOENT, "no /proc here")
        return real_link(src, dst, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(local.os, "link", no_proc_link)
    eng = Engine.open(LocalStore(tmp_path), "ns")
    n = uid()
    eng.upsert_node("P", n, {"x": 1})
    eng.commit()
    assert local._anonymous_ok is False
    assert _tmp_leftovers(str(tmp_path)) == []
    assert Engine.open(LocalStore(tmp_path), "ns", mode="r").lookup_node("P", n)["properties"] == {"x": 1}


def test_bulk_ingest_never_imports_pandas(tmp_path):
    """pyarrow imports pandas on the first ``pa.array`` call (0.2-0.5 s); bulk writes avoid that call."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import sys, uuid
        from namidb_core.objectstore.local import LocalStore
        from namidb_core.storage import Engine
        ids = [str(uuid.uuid4()) for _ in range(500)]
        rows = [
            {{"id": i, "name": f"p{{n}}", "age": n, "score": n / 2, "ok": n % 2 == 0}}
            for n, i in enumerate(ids)
        ]
        edges = [{{"src": ids[n], "dst": ids[-n], "since": n}} for n in range(500)]
        eng = Engine.open(LocalStore({str(tmp_path)!r}), "ns")
        eng.merge_nodes("P", rows); eng.commit(); eng.flush()
        eng.merge_edges("K", edges); eng.commit(); eng.flush()
        print("pandas" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
