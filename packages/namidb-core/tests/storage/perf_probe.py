"""Measure the engine's headline figures on file:// (not a test; run by hand).

.venv/bin/python packages/namidb-core/tests/storage/perf_probe.py
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid

from namidb_core.objectstore.local import LocalStore
from namidb_core.storage import Engine


def main() -> None:
    root = tempfile.mkdtemp(prefix="namidb-perf-")
    store = LocalStore(root)
    rng = random.Random(7)
    n_nodes, n_edges = 160_000, 380_000
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n_nodes)]
    rows = [
        {"id": ids[i], "name": f"p{i}", "age": i % 90, "score": i * 0.5, "active": i % 2 == 0}
        for i in range(n_nodes)
    ]
    edges = [
        {"src": ids[rng.randrange(n_nodes)], "dst": ids[rng.randrange(n_nodes)], "since": 2000 + i % 25}
        for i in range(n_edges)
    ]
    t = time.perf_counter()
    for i in range(100):
        store.put_if_absent(f"probe/{i:04d}", b"x" * 300)
    put_ms = (time.perf_counter() - t) * 10
    print(f"raw fsynced put_if_absent: {put_ms:.2f} ms")
    eng = Engine.open(store, "perf/bulk")
    t, c = time.perf_counter(), time.process_time()
    eng.merge_nodes("Person", rows)
    eng.commit()
    eng.flush()
    dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f"nodes: {n_nodes / dt:,.0f}/s wall ({dt * 1e3:.0f} ms), {n_nodes / dc:,.0f}/s cpu")
    t, c = time.perf_counter(), time.process_time()
    eng.merge_edges("KNOWS", edges)
    eng.commit()
    eng.flush()
    dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f"edges: {n_edges / dt:,.0f}/s wall ({dt * 1e3:.0f} ms), {n_edges / dc:,.0f}/s cpu")

    sample = rng.sample(ids, 2000)
    for i in sample:
        eng.lookup_node("Person", i)  # warm
    times = []
    for i in sample:
        t = time.perf_counter_ns()
        eng.lookup_node("Person", i)
        times.append(time.perf_counter_ns() - t)
    print(f"lookup_node warm p50 (SST-resident): {statistics.median(times) / 1e3:.2f} us")

    eng2 = Engine.open(store, "perf/small")
    t = time.perf_counter()
    for i in range(1000):
        eng2.upsert_node("Person", str(uuid.uuid4()), {"i": i})
        eng2.commit()
    dt = time.perf_counter() - t
    print(f"single-node commits: {1000 / dt:,.0f}/s ({dt:.2f} s total)")
    eng2.close()
    reopen = []
    for _ in range(5):
        t = time.perf_counter()
        r = Engine.open(store, "perf/small", mode="r")
        reopen.append(time.perf_counter() - t)
    print(
        f"reopen after 1000 commits: {min(reopen) * 1e3:.1f} ms (min of 5), version {r.version}, "
        f"{len(r.scan_label('Person'))} nodes"
    )


if __name__ == "__main__":
    main()
