"""The second process of the e2e tests (not a test module). Run with ``sys.executable``:

``child.py reopen <uri>``
    Open the namespace read-only and print its state (one JSON line), then
    reopen it as the writer (claiming the next epoch, which fences the parent's
    writer), print the state again, commit a ``Marker`` node through Cypher and
    print ``MARKER``.
``child.py crash <uri> <trial>``
    Print ``READY``, then commit crash batches forever, printing ``ACK <k> <lsn>``
    after each ``commit()`` returns; flush and compact now and then. The parent
    SIGKILLs it.

Credentials come from the inherited environment.
"""

from __future__ import annotations

import json
import sys

from workload import graph_state, stage_crash_batch  # this script's folder is sys.path[0]

from namidb import Client


def reopen(uri: str) -> None:
    with Client(uri, mode="r") as reader:
        print(json.dumps(graph_state(reader), sort_keys=True), flush=True)
    with Client(uri) as writer:
        print(json.dumps(graph_state(writer), sort_keys=True), flush=True)
        writer.cypher("CREATE (:Marker {by: 'child'})")
        print("MARKER", flush=True)


def crash(uri: str, trial: int) -> None:
    client = Client(uri)
    print("READY", flush=True)
    k = 0
    while True:
        stage_crash_batch(client, trial, k)
        lsn = client.commit()
        print(f"ACK {k} {lsn}", flush=True)
        k += 1
        # Kills land during flushes and compactions too, not only during commits.
        if k % 5 == 0:
            client.flush()
        if k % 11 == 0:
            client.compact()


def main() -> None:
    command, uri = sys.argv[1], sys.argv[2]
    if command == "reopen":
        reopen(uri)
    elif command == "crash":
        crash(uri, int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
