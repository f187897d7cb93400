"""A writer's long-lived graph (committed statements absorbed, no rebuild) matches storage exactly."""

from __future__ import annotations

import random

import namidb


def _dump(client: namidb.Client) -> tuple[list, list, list]:
    nodes = client.cypher("MATCH (n) RETURN labels(n) AS l, properties(n) AS p").rows()
    rels = client.cypher(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, properties(r) AS p, a.k AS a, b.k AS b"
    ).rows()
    # A whole-label property column: base values spliced with the overlay's (or, when the
    # types differ, built row by row) — both must agree with storage.
    columns = client.cypher("MATCH (a:A) RETURN a.k AS k, a.v AS v, a.s AS s").rows()
    key = repr
    return sorted(nodes, key=key), sorted(rels, key=key), sorted(columns, key=key)


STATEMENTS = [
    ("CREATE (:A {k: $k, v: 0})", lambda r: {"k": r.randrange(50)}),
    ("CREATE (:B {k: $k})-[:R {w: $k}]->(:A {k: $k})", lambda r: {"k": r.randrange(50)}),
    ("MATCH (a:A {k: $k}) SET a.v = coalesce(a.v, 0) + 1", lambda r: {"k": r.randrange(50)}),
    ("MATCH (a:A {k: $k}) SET a:C REMOVE a:A", lambda r: {"k": r.randrange(50)}),
    ("MATCH (c:C {k: $k}) REMOVE c:C", lambda r: {"k": r.randrange(50)}),
    (
        "MATCH (a {k: $a}), (b {k: $b}) CREATE (a)-[:S]->(b)",
        lambda r: {"a": r.randrange(50), "b": r.randrange(50)},
    ),
    ("MATCH (n {k: $k}) DETACH DELETE n", lambda r: {"k": r.randrange(50)}),
    ("MATCH ()-[r:S]->() WITH r LIMIT 1 DELETE r", lambda r: {}),
    ("MERGE (m:M {k: $k}) ON MATCH SET m.hits = coalesce(m.hits, 0) + 1", lambda r: {"k": r.randrange(10)}),
    ("CREATE ({k: $k})", lambda r: {"k": r.randrange(50)}),
    (
        "MATCH (a:A {k: $k}) SET a.s = $s",
        lambda r: {"k": r.randrange(50), "s": r.choice([1, 2.5, "x", None])},
    ),
]


def test_absorbed_writes_match_a_fresh_read(tmp_path):
    uri = f"file://{tmp_path}/db?ns=live"
    rng = random.Random(3)
    with namidb.Client(uri) as writer:
        # A stored base for the live graph, so later reads splice base columns with the overlay.
        writer.merge_nodes("A", [{"id": str(namidb.uuid7()), "k": k, "v": 0, "s": 1} for k in range(50)])
        writer.commit()
        for step in range(120):
            text, make = STATEMENTS[rng.randrange(len(STATEMENTS))]
            writer.cypher(text, make(rng))
            if step % 40 == 39:
                with namidb.Client(uri, mode="r") as reader:
                    assert _dump(writer) == _dump(reader), step
                if step == 79:
                    writer.flush()  # storage layout changes; the logical graph must not
        with namidb.Client(uri, mode="r") as reader:
            assert _dump(writer) == _dump(reader)


def test_staging_api_and_rollback_are_seen_by_the_next_statement(tmp_path):
    with namidb.Client(f"file://{tmp_path}/db?ns=mix") as client:
        client.cypher("CREATE (:P {k: 1})")
        client.upsert_node("P", str(namidb.uuid7()), {"k": 2})
        assert client.cypher("MATCH (p:P) RETURN count(p) AS c").first() == {"c": 2}  # own staged write
        client.rollback()
        assert client.cypher("MATCH (p:P) RETURN count(p) AS c").first() == {"c": 1}
        client.merge_nodes("P", [{"id": str(namidb.uuid7()), "k": 3}])
        client.commit()
        client.cypher("CREATE (:P {k: 4})")
        assert sorted(r["k"] for r in client.cypher("MATCH (p:P) RETURN p.k AS k").rows()) == [1, 3, 4]
