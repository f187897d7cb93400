"""Measure the engine's headline figures on file:// (not a test; run by hand).

.venv/bin/python packages/namidb-core/tests/storage/perf_probe.py [--root DIR] [--rounds N] [--cold]

Every figure is printed as wall time and process CPU time (all threads): the
machines are shared, so wall time alone says as much about the neighbours as
about the engine. ``raw fsynced put_if_absent`` (two fsyncs: file, folder) is
measured before each round as a yardstick of the disk's current fsync latency.

By default the one-time cost of pyarrow's lazy ``pandas`` import (triggered by
the first ``pa.array`` call or Parquet read of a process, 0.2-0.5 s here) is
paid and reported before the timed sections; ``--cold`` (the original probe's
behaviour) leaves it wherever the engine first hits it — no longer during
ingestion, which builds its arrays from buffers, but at the first SST read.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

from namidb_core.objectstore.local import LocalStore
from namidb_core.storage import Engine


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``fn()``."""
    t, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - c


def one_round(
    root: str, r: int, rows: list[dict[str, Any]], edges: list[dict[str, Any]], ids: list[str]
) -> None:
    store = LocalStore(root)
    rng = random.Random(r)

    def raw_puts() -> None:
        for i in range(100):
            store.put_if_absent(f"probe{r}/{i:04d}", b"x" * 300)

    dt, dc = timed(raw_puts)
    print(f"raw fsynced put_if_absent: {dt * 10:.2f} ms wall, {dc * 10:.2f} ms cpu")

    eng = Engine.open(store, f"perf{r}/bulk")

    def nodes() -> None:
        eng.merge_nodes("Person", rows)
        eng.commit()
        eng.flush()

    def edges_() -> None:
        eng.merge_edges("KNOWS", edges)
        eng.commit()
        eng.flush()

    n = len(rows)
    dt, dc = timed(nodes)
    print(f"nodes: {n / dt:,.0f}/s wall ({dt * 1e3:.0f} ms), {n / dc:,.0f}/s cpu ({dc * 1e3:.0f} ms)")
    n = len(edges)
    dt, dc = timed(edges_)
    print(f"edges: {n / dt:,.0f}/s wall ({dt * 1e3:.0f} ms), {n / dc:,.0f}/s cpu ({dc * 1e3:.0f} ms)")

    sample = rng.sample(ids, 2000)
    for i in sample:
        eng.lookup_node("Person", i)  # warm
    times = []
    for i in sample:
        t = time.perf_counter_ns()
        eng.lookup_node("Person", i)
        times.append(time.perf_counter_ns() - t)
    print(f"lookup_node warm p50 (SST-resident): {statistics.median(times) / 1e3:.2f} us")

    eng2 = Engine.open(store, f"perf{r}/small")
    fresh = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(1000)]

    def singles() -> None:
        for i in range(1000):
            eng2.upsert_node("Person", fresh[i], {"i": i})
            eng2.commit()

    dt, dc = timed(singles)
    print(f"single-node commits: {1000 / dt:,.0f}/s wall ({dt:.2f} s total), {dc:.2f} ms cpu per commit")
    eng2.close()
    reopen = []
    for _ in range(5):
        t = time.perf_counter()
        reader = Engine.open(store, f"perf{r}/small", mode="r")
        reopen.append(time.perf_counter() - t)
    print(
        f"reopen after 1000 commits: {min(reopen) * 1e3:.1f} ms (min of 5), version {reader.version}, "
        f"{len(reader.scan_label('Person'))} nodes"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=None, help="folder for the stores (default: a fresh temp dir)")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the whole probe N times")
    ap.add_argument("--cold", action="store_true", help="leave pyarrow's pandas import inside 'nodes'")
    args = ap.parse_args()
    root = args.root or tempfile.mkdtemp(prefix="namidb-perf-")
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
    if not args.cold:
        import pyarrow as pa

        dt, dc = timed(lambda: pa.array([0]))
        print(f"one-time pyarrow pandas import: {dt * 1e3:.0f} ms wall, {dc * 1e3:.0f} ms cpu")
    for r in range(args.rounds):
        print(f"-- round {r + 1}/{args.rounds}")
        one_round(root, r, rows, edges, ids)


if __name__ == "__main__":
    main()
