"""Child process of the Cypher crash test: auto-commit statements, one acknowledgement line each.

Usage: python cypher_crash_child.py <uri> <first statement number>
Each statement creates one small subgraph (3 nodes, 2 relationships) tagged
with its number, and the number is printed (and flushed) only after
``cypher()`` returned, i.e. after the commit was acknowledged.
"""

from __future__ import annotations

import sys

import namidb


def main() -> None:
    uri, first = sys.argv[1], int(sys.argv[2])
    with namidb.Client(uri) as client:
        n = first
        while True:
            client.cypher(
                "CREATE (a:Batch {n: $n, part: 0})-[:NEXT {n: $n}]->(:Batch {n: $n, part: 1})"
                "-[:NEXT {n: $n}]->(:Batch {n: $n, part: 2})",
                {"n": n},
            )
            print(n, flush=True)
            if n % 25 == 0:
                client.flush()
            n += 1


if __name__ == "__main__":
    main()
