"""Cypher auto-commit writes are durable when acknowledged and atomic under failures."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import namidb
from namidb_core.objectstore import FaultyStore, LocalStore, ObjectStore
from namidb_core.plugins import manager

CHILD = Path(__file__).with_name("cypher_crash_child.py")


def _batches(client: namidb.Client) -> dict[int, tuple[int, int]]:
    """Statement number -> (nodes, relationships) found for it."""
    nodes = client.cypher("MATCH (b:Batch) RETURN b.n AS n, count(*) AS c").rows()
    rels = client.cypher("MATCH (:Batch)-[r:NEXT]->(:Batch) RETURN r.n AS n, count(*) AS c").rows()
    out: dict[int, tuple[int, int]] = {row["n"]: (row["c"], 0) for row in nodes}
    for row in rels:
        out[row["n"]] = (out.get(row["n"], (0, 0))[0], row["c"])
    return out


@pytest.mark.crash
def test_sigkill_after_acknowledgement_loses_nothing(tmp_path):
    uri = f"file://{tmp_path}/db?ns=crash"
    rng = random.Random(7)
    acknowledged: list[int] = []
    first = 0
    for _trial in range(6):
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), uri, str(first)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + rng.uniform(1.5, 4.0)
        seen: list[int] = []
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(int(line))
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait(timeout=60)
        proc.stdout.close()
        assert proc.stderr is not None
        err = proc.stderr.read().decode()
        proc.stderr.close()
        seen += [int(x) for x in rest.split()]
        assert seen or "Traceback" not in err, err
        acknowledged += seen
        first = (max(seen) + 1) if seen else first
        # Every statement acknowledged so far is whole; the one in flight is all or nothing.
        with namidb.Client(uri, mode="r") as reader:
            found = _batches(reader)
        for n in acknowledged:
            assert found.get(n) == (3, 2), (n, found.get(n))
        for n, counts in found.items():
            assert counts == (3, 2), (n, counts)  # nothing half-present
            assert n <= first, n  # nothing from the future
        first = max([first, *found]) + 1
    assert len(acknowledged) > 10


def _faulty_client(monkeypatch, tmp_path) -> tuple[namidb.Client, FaultyStore]:
    holder: dict[str, FaultyStore] = {}

    class _Faulty(FaultyStore):
        schemes = ("file",)

        @classmethod
        def from_uri(cls, uri) -> ObjectStore:  # type: ignore[override]
            store = FaultyStore(LocalStore(uri.location))
            holder["store"] = store
            return store

    monkeypatch.setattr(manager.get_registry(), "lookup", lambda scheme: _Faulty)
    client = namidb.Client(f"file://{tmp_path}/db?ns=faults")
    return client, holder["store"]


@pytest.mark.parametrize("mode", ["fail", "lose"])
def test_storage_failure_mid_commit_is_all_or_nothing(monkeypatch, tmp_path, mode):
    """Fail (or lose the response of) each storage write of a Cypher commit in turn."""
    client, store = _faulty_client(monkeypatch, tmp_path)
    client.cypher("CREATE (:Seed {n: 0})")
    probe_calls = len(store.calls)
    client.cypher("CREATE (:Probe)-[:R]->(:Probe)")
    writes = sum(1 for op, _ in store.calls[probe_calls:] if op in ("put", "put_if_absent", "put_stream"))
    assert writes >= 2
    client.close()
    for nth in range(1, writes + 1):
        client, store = _faulty_client(monkeypatch, tmp_path)
        before = client.cypher("MATCH (x:X) RETURN count(x) AS c").first()["c"]
        arm = store.fail_call if mode == "fail" else store.lose_response
        arm(nth, ops=["put", "put_if_absent", "put_stream"])
        try:
            client.cypher("CREATE (:X {nth: $nth})-[:R]->(:X {nth: $nth})", {"nth": nth})
            raised = False
        except namidb.NamiDBError:
            raised = True
        store.settle()
        client.close()
        with namidb.Client(f"file://{tmp_path}/db?ns=faults", mode="r") as reader:
            after = reader.cypher("MATCH (x:X) RETURN count(x) AS c").first()["c"]
            pair = reader.cypher("MATCH (a:X {nth: $nth})-[:R]->(b:X) RETURN count(*) AS c", {"nth": nth})
        assert after - before in (0, 2), (nth, before, after)  # all or nothing
        assert pair.first()["c"] == (after - before) // 2
        if not raised:
            assert after - before == 2  # acknowledged means present
    with namidb.Client(f"file://{tmp_path}/db?ns=faults") as writer:  # a fresh writer always opens
        writer.cypher("CREATE (:After)")
        assert writer.cypher("MATCH (a:After) RETURN count(a) AS c").first()["c"] == 1
