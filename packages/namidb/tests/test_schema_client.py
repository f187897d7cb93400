"""Constraints and indexes through ``namidb.Client``: DDL, persistence, enforcement, index seeks."""

from __future__ import annotations

from typing import Any

import pytest

import namidb
from namidb_core.errors import ReadOnlyError
from namidb_cypher.errors import ConstraintVerificationError, CypherSemanticError
from namidb_cypher.executor.runner import Runner, finish
from namidb_cypher.graph import TxGraph
from namidb_cypher.session import prepare


def names(client: namidb.Client, what: str) -> list[tuple[str, str, list[str], list[str]]]:
    return [
        (r["name"], r["type"], r["labelsOrTypes"], r["properties"])
        for r in client.cypher(f"SHOW {what}").rows()
    ]


def explain(client: namidb.Client, query: str, params: dict[str, Any] | None = None) -> list[str]:
    return [r["operator"] for r in client.cypher("EXPLAIN " + query, params).rows()]


def count(client: namidb.Client, label: str = "") -> int:
    result = client.cypher(f"MATCH (n{':' + label if label else ''}) RETURN count(n) AS c").first()
    assert result is not None
    return int(result["c"])


@pytest.fixture
def client(tmp_path: Any) -> Any:
    with namidb.Client(f"file://{tmp_path}?ns=g") as c:
        yield c


def test_ddl_round_trip_survives_flush_compact_and_reopen(tmp_path: Any) -> None:
    uri = f"file://{tmp_path}?ns=g"
    with namidb.Client(uri) as c:
        c.cypher("CREATE CONSTRAINT person_name FOR (p:Person) REQUIRE p.name IS UNIQUE")
        c.cypher("CREATE CONSTRAINT FOR (p:Person) REQUIRE p.age IS NOT NULL")
        c.cypher("CREATE INDEX city_name IF NOT EXISTS FOR (c:City) ON (c.name)")
        c.cypher("CREATE INDEX tmp FOR (c:City) ON (c.pop)")
        c.cypher("UNWIND range(1, 50) AS i CREATE (:Person {name: 'p' + i, age: i})")
        c.flush()
        c.cypher("DROP INDEX tmp")
        c.cypher("CREATE (:City {name: 'Oslo'})")
        c.compact()
    with namidb.Client(uri) as c:
        assert names(c, "CONSTRAINTS") == [
            ("constraint_Person_age_not_null", "NODE_PROPERTY_EXISTENCE", ["Person"], ["age"]),
            ("person_name", "UNIQUENESS", ["Person"], ["name"]),
        ]
        assert names(c, "INDEXES") == [
            ("city_name", "RANGE", ["City"], ["name"]),
            ("person_name", "RANGE", ["Person"], ["name"]),
        ]
        # The schema lives in a reserved partition and is never a graph node or label.
        assert count(c) == 51
        assert sorted(
            r["l"] for r in c.cypher("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l").rows()
        ) == [
            "City",
            "Person",
        ]
        # Still enforced, and still used, after recovery.
        with pytest.raises(ConstraintVerificationError):
            c.cypher("CREATE (:Person {name: 'p7', age: 1})")
        assert "NodeIndexSeek" in explain(c, "MATCH (p:Person {name: 'p7'}) RETURN p")
        assert c.cypher("MATCH (p:Person {name: 'p7'}) RETURN p.age AS a").rows() == [{"a": 7}]


def test_show_output_columns(client: namidb.Client) -> None:
    client.cypher("CREATE CONSTRAINT k FOR (n:N) REQUIRE (n.a, n.b) IS UNIQUE")
    client.cypher("CREATE INDEX FOR (n:N) ON (n.c)")
    constraints = client.cypher("SHOW CONSTRAINTS")
    assert constraints.columns == [
        "id",
        "name",
        "type",
        "entityType",
        "labelsOrTypes",
        "properties",
        "ownedIndex",
    ]
    assert constraints.rows() == [
        {
            "id": 1,
            "name": "k",
            "type": "UNIQUENESS",
            "entityType": "NODE",
            "labelsOrTypes": ["N"],
            "properties": ["a", "b"],
            "ownedIndex": "k",
        }
    ]
    indexes = client.cypher("SHOW INDEXES").rows()
    assert [(r["name"], r["properties"], r["owningConstraint"], r["state"]) for r in indexes] == [
        ("index_N_c", ["c"], None, "ONLINE"),
        ("k", ["a", "b"], "k", "ONLINE"),
    ]


def test_violating_writes_write_nothing(tmp_path: Any) -> None:
    uri = f"file://{tmp_path}?ns=g"
    with namidb.Client(uri) as c:
        c.cypher("CREATE CONSTRAINT u FOR (p:P) REQUIRE p.x IS UNIQUE")
        c.cypher("CREATE CONSTRAINT nn FOR (p:P) REQUIRE p.y IS NOT NULL")
        c.cypher("UNWIND range(1, 10) AS i CREATE (:P {x: i, y: 0})")
        for bad in (
            "CREATE (:Q), (:P {x: 3, y: 1})",  # the valid :Q must not be written either
            "UNWIND [100, 101, 100] AS v CREATE (:P {x: v, y: 1})",
            "MATCH (p:P {x: 1}) SET p.x = 2.0",
            "MATCH (p:P {x: 1}) REMOVE p.y",
            "CREATE (:Q {x: 1}) WITH 1 AS one MATCH (q:Q) SET q:P, q.y = 1",
        ):
            with pytest.raises(ConstraintVerificationError) as info:
                c.cypher(bad)
            assert info.value.code == "ConstraintValidationFailed"
            assert count(c) == 10
        assert c.cypher("MATCH (p:P {x: 1}) RETURN p.y AS y").rows() == [{"y": 0}]
        c.cypher("MATCH (p:P {x: 1}) DETACH DELETE p CREATE (:P {x: 1, y: 5})")
        assert c.cypher("MATCH (p:P {x: 1}) RETURN p.y AS y").rows() == [{"y": 5}]
    with namidb.Client(uri) as c:
        assert count(c) == 10


def test_creating_a_constraint_that_data_violates_stores_nothing(client: namidb.Client) -> None:
    client.cypher("CREATE (:P {x: 1}), (:P {x: 1}), (:P {y: 2})")
    with pytest.raises(ConstraintVerificationError):
        client.cypher("CREATE CONSTRAINT FOR (p:P) REQUIRE p.x IS UNIQUE")
    with pytest.raises(ConstraintVerificationError):
        client.cypher("CREATE CONSTRAINT FOR (p:P) REQUIRE p.x IS NOT NULL")
    assert client.cypher("SHOW CONSTRAINTS").rows() == []
    client.cypher("CREATE (:P {x: 1})")  # no constraint was left behind
    assert count(client, "P") == 4


def test_duplicates_and_missing_names(client: namidb.Client) -> None:
    client.cypher("CREATE CONSTRAINT u FOR (p:P) REQUIRE p.x IS UNIQUE")
    with pytest.raises(CypherSemanticError) as info:
        client.cypher("CREATE CONSTRAINT FOR (p:P) REQUIRE p.x IS UNIQUE")
    assert info.value.code == "EquivalentSchemaRuleAlreadyExists"
    client.cypher("CREATE CONSTRAINT IF NOT EXISTS FOR (p:P) REQUIRE p.x IS UNIQUE")
    with pytest.raises(CypherSemanticError) as info:
        client.cypher("DROP CONSTRAINT nope")
    assert info.value.code == "ConstraintNotFound"
    client.cypher("DROP CONSTRAINT nope IF EXISTS")
    client.cypher("DROP CONSTRAINT u")
    client.cypher("CREATE (:P {x: 1}), (:P {x: 1})")  # no longer enforced
    assert count(client, "P") == 2


def test_read_only_client_refuses_ddl_but_shows(tmp_path: Any) -> None:
    uri = f"file://{tmp_path}?ns=g"
    with namidb.Client(uri) as c:
        c.cypher("CREATE INDEX i FOR (p:P) ON (p.x)")
    with namidb.Client(uri, mode="r") as r:
        for ddl in (
            "CREATE INDEX j FOR (p:P) ON (p.y)",
            "CREATE INDEX i IF NOT EXISTS FOR (p:P) ON (p.x)",
            "DROP INDEX i",
            "DROP INDEX nope IF EXISTS",
        ):
            with pytest.raises(ReadOnlyError):
                r.cypher(ddl)
        assert names(r, "INDEXES") == [("i", "RANGE", ["P"], ["x"])]


def test_index_is_exact_across_writes_flush_and_compaction(client: namidb.Client) -> None:
    client.cypher("CREATE INDEX FOR (p:P) ON (p.k)")
    client.cypher("UNWIND range(0, 99) AS i CREATE (:P {k: i % 10, i: i})")
    query = "MATCH (p:P {k: $k}) RETURN p.i AS i ORDER BY i"
    assert "NodeIndexSeek" in explain(client, query, {"k": 3})

    def ids(k: Any) -> list[int]:
        return [r["i"] for r in client.cypher(query, {"k": k}).rows()]

    assert ids(3) == list(range(3, 100, 10))
    assert ids(3.0) == list(range(3, 100, 10))
    assert ids("3") == []
    assert ids(None) == []
    client.cypher("MATCH (p:P {k: 3}) WHERE p.i < 50 SET p.k = 'moved'")
    client.flush()
    assert ids(3) == [53, 63, 73, 83, 93]
    client.cypher("MATCH (p:P {i: 93}) DELETE p")
    client.cypher("CREATE (:P {k: 3, i: 1000})")
    client.compact()
    assert ids(3) == [53, 63, 73, 83, 1000]
    assert ids("moved") == [3, 13, 23, 33, 43]


def _unoptimized(client: namidb.Client, query: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The same query over the client's snapshot with the optimizer off (no seek, no reordering)."""
    base, schema = client._base_graph(client._engine)
    runner = Runner(TxGraph(base, lambda: "unused"), params, {})
    runner.ctx.schema = schema
    runner.ctx.optimize = False
    out = finish(runner, prepare(query, params).statement.query)
    return sorted(out.rows)


ORACLE = [
    ("MATCH (a:Person {name: $v}) RETURN a.name, a.age", ["p1", "p9", "x", 3]),
    ("MATCH (a:Person)-[:KNOWS]->(b:Person) WHERE b.name = $v RETURN a.name, b.name", ["p2", "p5", "none"]),
    ("MATCH (c:City {name: $v})<-[:LIVES_IN]-(p) RETURN p.name", ["c0", "c1", "c9"]),
    ("UNWIND $v AS n OPTIONAL MATCH (p:Person {name: n}) RETURN n, p.age", [["p1", "p1", "zz", "p4"]]),
    ("MATCH (p:Person) WHERE p.age = $v RETURN p.name", [0, 1, 2.0, "1"]),
]


@pytest.mark.parametrize(("query", "values"), ORACLE)
def test_seek_results_equal_the_unoptimized_plan(
    client: namidb.Client, query: str, values: list[Any]
) -> None:
    client.cypher("CREATE CONSTRAINT FOR (p:Person) REQUIRE p.name IS UNIQUE")
    client.cypher("CREATE INDEX FOR (c:City) ON (c.name)")
    client.cypher("CREATE INDEX FOR (p:Person) ON (p.age)")
    client.cypher(
        "UNWIND range(0, 29) AS i CREATE (:Person {name: 'p' + i, age: i % 4})"
        " WITH i WHERE i < 5 CREATE (:City {name: 'c' + i})"
    )
    client.cypher("MATCH (a:Person), (b:Person) WHERE b.age = (a.age + 1) % 4 CREATE (a)-[:KNOWS]->(b)")
    client.cypher("MATCH (p:Person), (c:City) WHERE c.name = 'c' + (p.age % 3) CREATE (p)-[:LIVES_IN]->(c)")
    client.flush()
    assert "NodeIndexSeek" in explain(client, query, {"v": values[0]})
    for v in values:
        fast = sorted(tuple(r.values()) for r in client.cypher(query, {"v": v}).rows())
        assert fast == _unoptimized(client, query, {"v": v}), v


def test_reserved_labels_cannot_be_written(client: namidb.Client) -> None:
    client.cypher("CREATE INDEX i FOR (p:P) ON (p.x)")
    with pytest.raises(ValueError, match="reserved"):
        client.cypher("CREATE (:__schema {object: 'index', name: 'j', label: 'P', properties: ['y']})")
    assert names(client, "INDEXES") == [("i", "RANGE", ["P"], ["x"])]
    client.cypher("CREATE (:P:__tag {x: 1})")  # only the primary label picks the partition
    assert count(client, "P") == 1
