"""The data the e2e tests write, shared by the test modules and ``child.py``.

Everything here is deterministic (or read back from the store), so a parent
and a child process agree on what "everything" is without passing it around.
"""

from __future__ import annotations

import uuid
from typing import Any

import pyarrow as pa

from namidb import Client

#: Labels and edge types :func:`graph_state` reads.
LABELS = ("Person", "Item", "Marker")
EDGE_TYPES = ("KNOWS", "LIKES")

PEOPLE = [
    {"name": "Alice", "age": 30},
    {"name": "Bob", "age": 25},
    {"name": "Carol", "age": 41},
    {"name": "Dave", "age": 19},
]
N_ITEMS = 300


def item_id(i: int) -> str:
    """The id of Item ``i`` (deterministic, so a child can name it too)."""
    return str(uuid.UUID(int=(0xE2E << 112) | i))


def person_ids(client: Client) -> dict[str, str]:
    """Name → id of every Person (Cypher CREATE chose the ids)."""
    rows = client.cypher("MATCH (p:Person) RETURN p.name AS name, p AS node").rows()
    return {r["name"]: r["node"]["id"] for r in rows}


def write_dataset(client: Client) -> dict[str, Any]:
    """Write the reopen dataset: Cypher, the staging API, bulk merges, a flush, then WAL-only commits.

    Returns what the writer saw (:func:`graph_state`), which any later reader must see too.
    """
    # Cypher writes, each committed when cypher() returns.
    client.cypher("UNWIND $people AS p CREATE (:Person {name: p.name, age: p.age})", {"people": PEOPLE})
    client.cypher(
        "MATCH (a:Person {name: 'Alice'}), (b:Person {name: 'Bob'}) CREATE (a)-[:KNOWS {since: 2020}]->(b)"
    )
    client.cypher(
        "MATCH (b:Person {name: 'Bob'}), (c:Person {name: 'Carol'}) CREATE (b)-[:KNOWS {since: 2021}]->(c)"
    )
    people = person_ids(client)
    # Bulk staging: an Arrow table of items and a list of edge rows, one commit.
    items = pa.table(
        {
            "id": [item_id(i) for i in range(N_ITEMS)],
            "sku": [f"sku-{i:05d}" for i in range(N_ITEMS)],
            "price": [i * 0.25 for i in range(N_ITEMS)],
        }
    )
    assert client.merge_nodes("Item", items) == N_ITEMS
    likes = [{"src": people["Alice"], "dst": item_id(i), "w": i} for i in range(0, N_ITEMS, 10)]
    likes += [{"src": people["Dave"], "dst": item_id(i), "w": -i} for i in range(5)]
    assert client.merge_edges("LIKES", likes) == len(likes)
    assert client.commit() is not None
    client.flush()
    # After the flush: commits that live only in the WAL until the next flush.
    client.cypher("MATCH (p:Person {name: 'Dave'}) SET p.age = 20, p.city = 'Oslo'")
    client.upsert_node_with_labels(["Person", "Admin"], str(uuid.UUID(int=0xAD)), {"name": "Eve", "age": 33})
    client.upsert_edge("KNOWS", people["Carol"], str(uuid.UUID(int=0xAD)), {"since": 2024})
    client.tombstone_node("Item", item_id(1))
    client.tombstone_edge("LIKES", people["Dave"], item_id(0))
    assert client.commit() is not None
    client.cypher("MATCH (i:Item {sku: 'sku-00002'}) DETACH DELETE i")
    return graph_state(client)


def graph_state(client: Client) -> dict[str, Any]:
    """Everything the dataset holds, as JSON-able, order-independent data (direct reads and Cypher)."""
    nodes = {
        label: sorted([n["id"], sorted(n["labels"]), n["properties"]] for n in client.scan_label(label))
        for label in LABELS
    }
    edges = {
        et: sorted([e["src"], e["dst"], e["properties"]] for e in client.scan_edge_type(et))
        for et in EDGE_TYPES
    }
    knows = client.cypher(
        "MATCH (p:Person)-[k:KNOWS]->(q:Person) RETURN p.name AS a, q.name AS b, k.since AS since "
        "ORDER BY a, b"
    ).rows()
    likes = client.cypher(
        "MATCH (p:Person)-[l:LIKES]->(i:Item) RETURN p.name AS who, count(i) AS n, sum(l.w) AS w ORDER BY who"
    ).rows()
    count = client.cypher("MATCH (n) RETURN count(n) AS n").rows()
    return {"nodes": nodes, "edges": edges, "knows": knows, "likes": likes, "count": count}


# -- the SIGKILL workload ------------------------------------------------------------------
#: The node every crash batch rewrites (its value says which batch came last).
COUNTER = str(uuid.UUID(int=(1 << 127) | 1))


def batch_ids(trial: int, k: int) -> list[str]:
    """The node ids of crash batch ``k`` of ``trial`` (small and large batches alternate)."""
    n = 3 if k % 2 == 0 else 60
    return [str(uuid.UUID(int=(trial << 64) | (k << 16) | j)) for j in range(n)]


def stage_crash_batch(client: Client, trial: int, k: int) -> None:
    """Stage batch ``k``: single upserts and an edge (even k), or one ``merge_nodes`` (odd k)."""
    ids = batch_ids(trial, k)
    if k % 2 == 0:
        for i in ids:
            client.upsert_node("N", i, {"b": k})
        client.upsert_edge("E", ids[0], ids[1], {"b": k})
    else:
        client.merge_nodes("N", [{"id": i, "b": k, "pad": "x" * 40} for i in ids])
    client.upsert_node("C", COUNTER, {"b": k})
