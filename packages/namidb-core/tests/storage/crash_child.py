"""Child process for test_crash.py: commits batches forever, printing each acknowledged one.

Not a test module. Usage: python crash_child.py <root> <trial>
"""

import sys
import uuid

from namidb_core.objectstore.local import LocalStore
from namidb_core.storage import Engine


def batch_ids(trial: int, k: int) -> list[str]:
    n = 3 if k % 2 == 0 else 200
    return [str(uuid.UUID(int=(trial << 64) | (k << 16) | j)) for j in range(n)]


COUNTER = str(uuid.UUID(int=(1 << 127) | 1))


def main() -> None:
    root, trial = sys.argv[1], int(sys.argv[2])
    # The merge_nodes batches (~16 KiB) are bulk commits, written straight to
    # L0 SSTs; the small staging batches go through the WAL.
    engine = Engine.open(
        LocalStore(root),
        "crash",
        max_wal_segments=6,
        flush_threshold_bytes=1 << 20,
        bulk_commit_bytes=8 << 10,
    )
    print("READY", flush=True)
    k = 0
    while True:
        ids = batch_ids(trial, k)
        if k % 2 == 0:
            for i in ids:
                engine.upsert_node("N", i, {"b": k})
            engine.upsert_edge("E", ids[0], ids[1], {"b": k})
        else:
            engine.merge_nodes("N", [{"id": i, "b": k, "pad": "x" * 50} for i in ids])
        engine.upsert_node("C", COUNTER, {"b": k})
        lsn = engine.commit()
        print(f"ACK {k} {lsn}", flush=True)
        k += 1
        if k % 7 == 0:
            engine.flush()
        if k % 17 == 0:
            engine.compact()


if __name__ == "__main__":
    main()
