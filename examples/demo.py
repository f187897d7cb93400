"""The README demo: a small social graph on the embedded default stores.

Runs the same steps on ``memory://`` and on a local folder, then reopens the
folder with a fresh client to show that every acknowledged write is there.
"""

from __future__ import annotations

import asyncio
import tempfile

import namidb


def build(client: namidb.Client) -> None:
    """Write through both paths: auto-commit Cypher and the typed staging API."""
    client.cypher(
        "CREATE (:Person {name: 'Alice', age: 30})-[:KNOWS {since: 2019}]->(:Person {name: 'Bob', age: 25})"
    )
    carol, dave = str(namidb.uuid7()), str(namidb.uuid7())
    client.merge_nodes(
        "Person", [{"id": carol, "name": "Carol", "age": 41}, {"id": dave, "name": "Dave", "age": 35}]
    )
    client.merge_edges("KNOWS", [{"src": carol, "dst": dave, "since": 2021}])
    client.commit()  # WAL + manifest compare-and-swap: durable from here on
    client.cypher(
        "MATCH (a:Person {name: 'Bob'}), (c:Person {name: 'Carol'}) CREATE (a)-[:KNOWS {since: 2023}]->(c)"
    )
    client.flush()  # memtable -> Parquet SSTs


def report(client: namidb.Client) -> None:
    """Read it back with Cypher, the direct API and Arrow."""
    friends = client.cypher(
        "MATCH (a:Person)-[k:KNOWS]->(b:Person) RETURN a.name AS who, b.name AS knows, k.since AS since "
        "ORDER BY since"
    )
    for row in friends.rows():
        print(f"  {row['who']:>5} knows {row['knows']:<5} since {row['since']}")
    older = client.cypher("MATCH (p:Person) WHERE p.age > $min RETURN count(p) AS n", params={"min": 28})
    print("  people older than 28:", older.first()["n"])
    reach = client.cypher(
        "MATCH (a:Person {name: 'Alice'})-[:KNOWS*1..3]->(b) RETURN collect(DISTINCT b.name) AS reachable"
    )
    print("  reachable from Alice:", sorted(reach.first()["reachable"]))
    print("  Person as Arrow:", client.scan_label_arrow("Person").select(["name", "age"]).num_rows, "rows")


def main() -> None:
    print(f"namidb {namidb.__version__}")
    with namidb.Client("memory://demo") as client:
        print(f"\n{client.store_repr()}")
        build(client)
        report(client)
        result = asyncio.run(client.acypher("MATCH (p:Person) RETURN avg(p.age) AS avg_age"))
        print("  average age (acypher):", result.first()["avg_age"])

    with tempfile.TemporaryDirectory() as folder:
        uri = f"file://{folder}?ns=demo"
        with namidb.Client(uri) as client:
            print(f"\n{client.store_repr()}")
            build(client)
        with namidb.Client(uri, mode="r") as reader:  # a fresh, read-only client on the same folder
            print("  reopened read-only:")
            report(reader)


if __name__ == "__main__":
    main()
