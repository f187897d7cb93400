"""Two processes on one namespace: reopen and read back in a new process, and SIGKILLed writers.

Run on every durable backend (file, S3, GCS, Azure); ``memory://`` stores are private
to one client, so they have no second process to talk to.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
import zlib

import pytest

import namidb
from namidb import Client

from .procs import kill, run_child, start_child
from .workload import COUNTER, N_ITEMS, batch_ids, graph_state, write_dataset

#: SIGKILL trials per backend, all run at once (their start-up dominates; two cores are shared).
CRASH_TRIALS = 3


def test_reopen_in_a_new_process_reads_everything_back(durable_backend):
    uri = durable_backend()
    writer = Client(uri)
    try:
        written = write_dataset(writer)  # Cypher + staging + bulk merges, a flush, then WAL-only commits
        # What the dataset must hold: updates applied, tombstones and DETACH DELETE honoured.
        assert {k: len(v) for k, v in written["nodes"].items()} == {
            "Person": 5,
            "Item": N_ITEMS - 2,
            "Marker": 0,
        }
        assert len(written["edges"]["LIKES"]) == N_ITEMS // 10 + 5 - 2
        assert written["knows"][-1] == {"a": "Carol", "b": "Eve", "since": 2024}
        assert written["likes"] == [{"who": "Alice", "n": 30, "w": 4350}, {"who": "Dave", "n": 2, "w": -7}]

        lines = run_child("reopen", uri).splitlines()
        assert len(lines) == 3, lines
        as_reader, as_writer = json.loads(lines[0]), json.loads(lines[1])
        # JSON turns tuples into lists; the parent's state goes through the same round trip.
        expected = json.loads(json.dumps(written, sort_keys=True))
        assert as_reader == expected  # read-only open: manifest, SSTs and WAL replay
        assert as_writer == expected  # writer open: claims the next epoch over the same data
        assert lines[2] == "MARKER"

        # The child's writer fenced ours: our next commit fails and leaves nothing behind.
        with pytest.raises(namidb.WriterFencedError):
            writer.cypher("CREATE (:Marker {by: 'parent'})")
    finally:
        writer.close()

    with Client(uri, mode="r") as reader:
        after = graph_state(reader)
    assert after["nodes"]["Marker"]
    assert [m[2] for m in after["nodes"]["Marker"]] == [{"by": "child"}]
    after["nodes"]["Marker"] = []
    after["count"] = [{"n": after["count"][0]["n"] - 1}]
    assert json.loads(json.dumps(after, sort_keys=True)) == expected


def _acks(out: bytes) -> list[tuple[int, int]]:
    """``(batch, lsn)`` of every ``ACK`` line the child printed."""
    acks = []
    for line in out.decode().splitlines():
        if line.startswith("ACK "):
            _, k, lsn = line.split()
            acks.append((int(k), int(lsn)))
    return acks


def _check_recovered(uri: str, trial: int, acks: list[tuple[int, int]]) -> None:
    """A fresh writer finds every acknowledged batch whole, the in-flight one all-or-nothing, no later one."""
    assert [k for k, _ in acks] == list(range(len(acks)))
    lsns = [lsn for _, lsn in acks]
    assert lsns == sorted(set(lsns)), "acknowledged LSNs must increase"
    last = len(acks) - 1
    with Client(uri) as client:  # a restart: claims the next epoch over whatever the kill left
        nodes = {n["id"]: n for n in client.scan_label("N")}
        for k, lsn in acks:
            got = [nodes.get(i) for i in batch_ids(trial, k)]
            assert all(n is not None and n["properties"]["b"] == k for n in got), (
                f"acked batch {k} incomplete"
            )
            assert all(n["lsn"] <= lsn for n in got if n is not None)
        in_flight = [i in nodes for i in batch_ids(trial, last + 1)]
        assert all(in_flight) or not any(in_flight), f"batch {last + 1} is half-present"
        assert not any(i in nodes for i in batch_ids(trial, last + 2))
        counter = client.lookup_node("C", COUNTER)
        if last >= 0:
            assert counter is not None
            assert counter["properties"]["b"] in (last, last + 1)
        # One E edge per even batch: every acknowledged one, maybe the in-flight one.
        acked_edges = (last + 2) // 2
        maybe = 1 if (last + 1) % 2 == 0 else 0
        assert len(client.scan_edge_type("E")) in (acked_edges, acked_edges + maybe)
        # The namespace is healthy: the restarted writer commits.
        client.cypher("CREATE (:After {trial: $t})", {"t": trial})
        assert client.cypher("MATCH (a:After) RETURN a.trial AS t").rows() == [{"t": trial}]


@pytest.mark.crash
def test_sigkilled_writer_loses_nothing_acknowledged(durable_backend, tmp_path):
    # Seeded per backend (crc32: str hashes change between runs), overridable to replay a failure.
    rng = random.Random(
        int(os.environ.get("NAMIDB_CRASH_SEED", "5")) ^ zlib.crc32(durable_backend.name.encode())
    )
    started = time.monotonic()
    uris = [durable_backend() for _ in range(CRASH_TRIALS)]
    procs = [start_child(tmp_path / f"stderr-{t}.txt", "crash", uris[t], str(t)) for t in range(CRASH_TRIALS)]
    seen = [b""] * CRASH_TRIALS
    outputs = [b""] * CRASH_TRIALS
    try:
        for t, proc in enumerate(procs):
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line.strip() != b"READY":
                kill(proc)
                pytest.fail(
                    f"child {t} did not start: {line!r}\n{(tmp_path / f'stderr-{t}.txt').read_text()}"
                )
        # Each trial gets its own kill moment. Every other trial first waits for one
        # acknowledged commit, so kills land mid-run however slow the machine is; the
        # rest may land before the first commit (or during the writer's epoch claim).
        deadlines = []
        for t, proc in enumerate(procs):
            assert proc.stdout is not None
            if t % 2 == 0:
                seen[t] = proc.stdout.readline()
            deadlines.append((time.monotonic() + rng.uniform(0.0, 1.0), t))
        for deadline, t in sorted(deadlines):
            time.sleep(max(0.0, deadline - time.monotonic()))
            outputs[t] = seen[t] + kill(procs[t])
            assert procs[t].returncode == -signal.SIGKILL, (tmp_path / f"stderr-{t}.txt").read_text()
    finally:
        for proc in procs:
            kill(proc)
    acked = 0
    for t, out in enumerate(outputs):
        acks = _acks(out)
        acked += len(acks)
        _check_recovered(uris[t], t, acks)
    assert acked >= 1, "no kill landed after an acknowledged commit"
    print(
        f"{durable_backend.name}: {CRASH_TRIALS} SIGKILLs, {acked} acknowledged commits, "
        f"{time.monotonic() - started:.1f} s"
    )
