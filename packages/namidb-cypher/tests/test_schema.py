"""Schema DDL, constraint checks, derived value indexes and the index-seek optimizer rule.

Graphs here are built directly as :class:`ArrowGraph` blocks; persistence through
the storage engine is tested in ``packages/namidb/tests/test_schema_client.py``.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from namidb_cypher import semantics as sem
from namidb_cypher.errors import ConstraintVerificationError, CypherSemanticError
from namidb_cypher.executor.runner import Runner, finish
from namidb_cypher.graph import ArrowGraph, NodeBlock, TxGraph, make_column
from namidb_cypher.graph.arrowgraph import build_value_index
from namidb_cypher.schema import Constraint, Index, Schema, SchemaChange, check_constraints
from namidb_cypher.session import execute, prepare

_counter = itertools.count()


def new_key() -> str:
    return str(uuid.UUID(int=next(_counter) + (1 << 100)))


def graph(nodes: Sequence[tuple[Sequence[str], Mapping[str, Any]]]) -> ArrowGraph:
    """An ArrowGraph of ``(labels, properties)`` nodes, one block per primary label."""
    by_partition: dict[str, list[tuple[Sequence[str], Mapping[str, Any]]]] = {}
    for labels, props in nodes:
        by_partition.setdefault(labels[0] if labels else "__unlabelled", []).append((labels, props))
    blocks = []
    for partition, rows in by_partition.items():
        keys = sorted({k for _, p in rows for k in p})
        blocks.append(
            NodeBlock(
                pa.array([new_key() for _ in rows], pa.string()),
                [tuple(labels) for labels, _ in rows],
                {k: make_column([p.get(k) for _, p in rows]) for k in keys},
                partition,
            )
        )
    return ArrowGraph(blocks, [])


def run(
    text: str,
    base: ArrowGraph,
    schema: Schema,
    params: Mapping[str, Any] | None = None,
    *,
    optimize: bool = True,
) -> list[tuple[Any, ...]]:
    """Rows of a read query with the optimizer on or off (nodes as their dense ids)."""
    runner = Runner(TxGraph(base, new_key), params or {}, {})
    runner.ctx.schema = schema
    runner.ctx.optimize = optimize
    out = finish(runner, prepare(text, params).statement.query)
    return [tuple(getattr(v, "id", v) for v in row) for row in out.rows]


def ddl(text: str, schema: Schema, base: ArrowGraph | None = None) -> Schema:
    """The schema after one DDL statement."""
    result = execute(text, None, base if base is not None else graph([]), new_key, schema=schema)
    assert result.ddl
    return schema.with_changes(result.schema_changes)


def operators(
    text: str, base: ArrowGraph, schema: Schema, params: Mapping[str, Any] | None = None
) -> list[str]:
    result = execute("EXPLAIN " + text, params, base, new_key, schema=schema)
    return [row[2] for row in result.rows]


PEOPLE = [(("Person",), {"name": f"p{i}", "age": i % 7, "score": float(i)}) for i in range(40)] + [
    (("Person", "Admin"), {"name": "root", "age": 1}),
    (("Person",), {"age": 3}),  # no name
    (("City",), {"name": "p1"}),
]


# -- the Schema value and DDL ---------------------------------------------------------------------


def test_create_constraint_default_name_and_owned_index() -> None:
    schema = ddl("CREATE CONSTRAINT FOR (p:Person) REQUIRE p.name IS UNIQUE", Schema())
    assert schema.constraints == (
        Constraint("constraint_Person_name_unique", "UNIQUENESS", "Person", ("name",)),
    )
    assert schema.indexes == (
        Index("constraint_Person_name_unique", "Person", ("name",), "constraint_Person_name_unique"),
    )
    assert schema.has_index("Person", "name")
    assert not schema.has_index("Person", "age")


def test_named_composite_and_not_null_constraints() -> None:
    schema = ddl("CREATE CONSTRAINT pk FOR (p:Person) REQUIRE (p.first, p.last) IS UNIQUE", Schema())
    schema = ddl("CREATE CONSTRAINT FOR (p:Person) REQUIRE p.age IS NOT NULL", schema)
    schema = ddl("CREATE INDEX age_idx FOR (p:Person) ON (p.age)", schema)
    assert [(c.name, c.type, c.properties) for c in schema.constraints] == [
        ("constraint_Person_age_not_null", "NODE_PROPERTY_EXISTENCE", ("age",)),
        ("pk", "UNIQUENESS", ("first", "last")),
    ]
    assert [(i.name, i.owner) for i in schema.indexes] == [("age_idx", None), ("pk", "pk")]


def test_show_constraints_and_indexes() -> None:
    schema = ddl("CREATE CONSTRAINT u FOR (p:Person) REQUIRE p.name IS UNIQUE", Schema())
    schema = ddl("CREATE INDEX FOR (c:City) ON (c.name)", schema)
    shown = execute("SHOW CONSTRAINTS", None, graph([]), new_key, schema=schema)
    assert not shown.ddl
    assert dict(zip(shown.columns, shown.rows[0], strict=True)) == {
        "id": 1,
        "name": "u",
        "type": "UNIQUENESS",
        "entityType": "NODE",
        "labelsOrTypes": ["Person"],
        "properties": ["name"],
        "ownedIndex": "u",
    }
    shown = execute("SHOW INDEXES", None, graph([]), new_key, schema=schema)
    rows = [dict(zip(shown.columns, r, strict=True)) for r in shown.rows]
    assert [
        (r["name"], r["type"], r["labelsOrTypes"], r["properties"], r["owningConstraint"]) for r in rows
    ] == [
        ("index_City_name", "RANGE", ["City"], ["name"], None),
        ("u", "RANGE", ["Person"], ["name"], "u"),
    ]


@pytest.mark.parametrize(
    ("first", "second", "code"),
    [
        (
            "CREATE CONSTRAINT a FOR (p:P) REQUIRE p.x IS UNIQUE",
            "CREATE CONSTRAINT b FOR (p:P) REQUIRE p.x IS UNIQUE",
            "EquivalentSchemaRuleAlreadyExists",
        ),
        (
            "CREATE CONSTRAINT a FOR (p:P) REQUIRE p.x IS UNIQUE",
            "CREATE CONSTRAINT a FOR (p:P) REQUIRE p.y IS UNIQUE",
            "ConstraintAlreadyExists",
        ),
        (
            "CREATE INDEX a FOR (p:P) ON (p.x)",
            "CREATE INDEX b FOR (p:P) ON (p.x)",
            "EquivalentSchemaRuleAlreadyExists",
        ),
        ("CREATE INDEX a FOR (p:P) ON (p.x)", "CREATE INDEX a FOR (p:Q) ON (p.x)", "IndexAlreadyExists"),
        (
            "CREATE INDEX a FOR (p:P) ON (p.x)",
            "CREATE CONSTRAINT a FOR (p:P) REQUIRE p.y IS NOT NULL",
            "IndexAlreadyExists",
        ),
        (
            "CREATE CONSTRAINT u FOR (p:P) REQUIRE p.x IS UNIQUE",
            "CREATE INDEX FOR (p:P) ON (p.x)",
            "EquivalentSchemaRuleAlreadyExists",
        ),
        (
            "CREATE INDEX FOR (p:P) ON (p.x)",
            "CREATE CONSTRAINT FOR (p:P) REQUIRE p.x IS UNIQUE",
            "IndexAlreadyExists",
        ),
    ],
)
def test_duplicate_schema_objects_are_rejected(first: str, second: str, code: str) -> None:
    schema = ddl(first, Schema())
    with pytest.raises(CypherSemanticError) as info:
        ddl(second, schema)
    assert info.value.code == code


def test_if_not_exists_is_a_no_op_for_same_name_or_definition() -> None:
    schema = ddl("CREATE CONSTRAINT a FOR (p:P) REQUIRE p.x IS UNIQUE", Schema())
    for text in (
        "CREATE CONSTRAINT b IF NOT EXISTS FOR (p:P) REQUIRE p.x IS UNIQUE",
        "CREATE CONSTRAINT a IF NOT EXISTS FOR (p:P) REQUIRE p.z IS NOT NULL",
        "CREATE INDEX a IF NOT EXISTS FOR (p:P) ON (p.y)",
    ):
        result = execute(text, None, graph([]), new_key, schema=schema)
        assert result.ddl
        assert result.schema_changes == []


def test_drop_constraint_and_index() -> None:
    schema = ddl("CREATE CONSTRAINT a FOR (p:P) REQUIRE p.x IS UNIQUE", Schema())
    schema = ddl("CREATE INDEX i FOR (p:P) ON (p.y)", schema)
    with pytest.raises(CypherSemanticError) as info:
        ddl("DROP INDEX a", schema)
    assert info.value.code == "IndexBelongsToConstraint"
    with pytest.raises(CypherSemanticError) as info:
        ddl("DROP CONSTRAINT i", schema)
    assert info.value.code == "ConstraintNotFound"
    with pytest.raises(CypherSemanticError) as info:
        ddl("DROP INDEX nope", schema)
    assert info.value.code == "IndexNotFound"
    assert ddl("DROP INDEX nope IF EXISTS", schema) == schema
    schema = ddl("DROP CONSTRAINT a", schema)
    schema = ddl("DROP INDEX i", schema)
    assert schema == Schema()
    assert not schema.indexes


def test_stored_form_round_trips_and_ignores_malformed_rows() -> None:
    objects = [
        Constraint("c", "NODE_KEY", "L", ("a", "b")),
        Constraint("d", "NODE_PROPERTY_EXISTENCE", "L", ("a",)),
        Index("i", "M", ("x",)),
    ]
    rows = [o.to_properties() for o in objects] + [
        {"object": "index", "name": 3},
        {"object": "?", "name": "z"},
    ]
    schema = Schema.from_stored(rows)
    assert schema.constraints == tuple(objects[:2])
    assert schema.standalone_indexes == (objects[2],)
    assert Schema().with_changes([SchemaChange("create", o) for o in objects]) == schema


def test_explain_of_a_schema_command_changes_nothing() -> None:
    result = execute("EXPLAIN CREATE INDEX FOR (p:P) ON (p.x)", None, graph([]), new_key, schema=Schema())
    assert result.mode == "explain"
    assert not result.ddl
    assert result.schema_changes == []


# -- constraints against existing data --------------------------------------------------------------


def test_unique_constraint_on_violating_data_is_refused() -> None:
    base = graph([(("P",), {"x": 1}), (("P",), {"x": 1.0}), (("P",), {"x": 2})])
    with pytest.raises(ConstraintVerificationError) as info:
        ddl("CREATE CONSTRAINT u FOR (p:P) REQUIRE p.x IS UNIQUE", Schema(), base)
    assert info.value.code == "ConstraintValidationFailed"
    assert info.value.phase == "runtime"
    assert "'u'" in info.value.message
    assert "x = 1" in info.value.message
    # Distinct values (or a label the duplicates do not carry) are fine.
    ddl("CREATE CONSTRAINT FOR (p:Q) REQUIRE p.x IS UNIQUE", Schema(), base)
    ok = graph([(("P",), {"x": 1}), (("P",), {"x": "1"}), (("P",), {"x": True}), (("P",), {})])
    ddl("CREATE CONSTRAINT FOR (p:P) REQUIRE p.x IS UNIQUE", Schema(), ok)


def test_not_null_constraint_on_violating_data_is_refused() -> None:
    base = graph([(("P",), {"x": 1}), (("P",), {"y": 1})])
    with pytest.raises(ConstraintVerificationError) as info:
        ddl("CREATE CONSTRAINT FOR (p:P) REQUIRE p.x IS NOT NULL", Schema(), base)
    assert "'x'" in info.value.message
    ddl("CREATE CONSTRAINT FOR (p:P) REQUIRE p.y IS NOT NULL", Schema(), graph([(("P",), {"y": 0})]))


def test_composite_unique_on_existing_data() -> None:
    base = graph([(("P",), {"a": 1, "b": 1}), (("P",), {"a": 1, "b": 2}), (("P",), {"a": 1})])
    ddl("CREATE CONSTRAINT FOR (p:P) REQUIRE (p.a, p.b) IS UNIQUE", Schema(), base)
    base = graph([(("P",), {"a": 1, "b": "x"}), (("P",), {"a": 1.0, "b": "x"})])
    with pytest.raises(ConstraintVerificationError):
        ddl("CREATE CONSTRAINT FOR (p:P) REQUIRE (p.a, p.b) IS UNIQUE", Schema(), base)


# -- constraints checked on writes ----------------------------------------------------------------------

UNIQUE_X = Schema((Constraint("ux", "UNIQUENESS", "P", ("x",)),))


def write(text: str, base: ArrowGraph, schema: Schema, params: Mapping[str, Any] | None = None) -> int:
    """Run a write; returns how many nodes it created or changed."""
    return len(execute(text, params, base, new_key, schema=schema).changes.nodes)


@pytest.mark.parametrize(
    "text",
    [
        "CREATE (:P {x: 1})",
        "CREATE (:P {x: 1.0})",
        "CREATE (:P {x: 5}), (:P {x: 5})",
        "UNWIND [7, 8, 7] AS v CREATE (:P {x: v})",
        "MATCH (p:P {x: 2}) SET p.x = 1",
        "MATCH (q:Q {x: 1}) SET q:P",
        "MATCH (p:P {x: 2}) CREATE (:P {x: 2})",
        "MERGE (p:P {x: 9}) WITH p CREATE (:P {x: 9})",
    ],
)
def test_unique_violations_raise(text: str) -> None:
    base = graph([(("P",), {"x": 1}), (("P",), {"x": 2}), (("Q",), {"x": 1})])
    with pytest.raises(ConstraintVerificationError) as info:
        write(text, base, UNIQUE_X)
    assert info.value.code == "ConstraintValidationFailed"
    assert "'ux'" in info.value.message


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("CREATE (:P {x: 3})", 1),
        ("CREATE (:P {x: '1'}), (:P), (:P {x: true})", 3),
        ("CREATE (:Q {x: 1})", 1),
        ("MATCH (p:P {x: 1}) DETACH DELETE p CREATE (:P {x: 1})", 1),
        ("MATCH (p:P {x: 1}), (q:P {x: 2}) SET p.x = 2, q.x = 1", 2),
        ("MATCH (p:P {x: 1}) SET p.x = 1", 1),
        ("MERGE (:P {x: 1})", 0),
        ("UNWIND range(10, 20) AS v CREATE (:P {x: v})", 11),
    ],
)
def test_writes_keeping_uniqueness_pass(text: str, changed: int) -> None:
    base = graph([(("P",), {"x": 1}), (("P",), {"x": 2}), (("Q",), {"x": 1})])
    assert write(text, base, UNIQUE_X) == changed


def test_not_null_and_node_key_on_writes() -> None:
    base = graph([(("P",), {"x": 1, "y": 1})])
    not_null = Schema((Constraint("nn", "NODE_PROPERTY_EXISTENCE", "P", ("y",)),))
    with pytest.raises(ConstraintVerificationError, match="'nn'"):
        write("CREATE (:P {x: 2})", base, not_null)
    with pytest.raises(ConstraintVerificationError, match="'nn'"):
        write("MATCH (p:P) REMOVE p.y", base, not_null)
    with pytest.raises(ConstraintVerificationError, match="'nn'"):
        write("CREATE (n:Q) SET n:P", base, not_null)
    assert write("CREATE (:P {y: 2}), (:Q)", base, not_null) == 2
    key = Schema((Constraint("nk", "NODE_KEY", "P", ("x", "y")),))
    with pytest.raises(ConstraintVerificationError, match="'nk'"):
        write("CREATE (:P {x: 1})", base, key)
    with pytest.raises(ConstraintVerificationError, match="'nk'"):
        write("CREATE (:P {x: 1.0, y: 1})", base, key)
    assert write("CREATE (:P {x: 1, y: 2})", base, key) == 1


def test_check_constraints_ignores_read_only_statements() -> None:
    base = graph([(("P",), {"x": 1}), (("P",), {"x": 1})])  # data that predates nothing: not re-checked
    tx = TxGraph(base, new_key)
    check_constraints(tx, UNIQUE_X)
    assert not tx.dirty


# -- the derived value index -------------------------------------------------------------------------------


def test_find_nodes_follows_cypher_equality() -> None:
    base = graph(
        [
            (("P",), {"k": 1}),
            (("P",), {"k": 1.0}),
            (("P",), {"k": "1"}),
            (("P",), {"k": True}),
            (("P",), {"k": [1, 2]}),
            (("P",), {}),
            (("P",), {"k": float("nan")}),
            (("Q",), {"k": 1}),
        ]
    )

    def found(value: Any) -> list[int] | None:
        ids = base.find_nodes("P", "k", value)
        return None if ids is None else ids.tolist()

    assert found(1) == [0, 1]
    assert found(1.0) == [0, 1]
    assert found("1") == [2]
    assert found(True) == [3]
    assert found([1.0, 2]) == [4]
    assert found(None) == []
    assert found(3) == []
    assert found(float("nan")) is None  # left to a scan
    assert base.find_nodes("Nope", "k", 1) is not None
    assert len(base.find_nodes("Nope", "k", 1)) == 0


@pytest.mark.parametrize(
    "values",
    [
        [*list(range(50)), 3, 3, None],
        [f"s{i % 9}" for i in range(50)] + [None],
        [0.0, -0.0, 1.5, float("nan"), float("nan"), None, 1.0],
        [True, False, None, True],
        [1, "1", 1.0, [1], None, True],
    ],
)
def test_value_index_groups_by_equivalence(values: list[Any]) -> None:
    base = graph([(("P",), {"k": v}) for v in values])
    index = build_value_index(base, "P", ("k",))
    expected: dict[Any, list[int]] = {}
    for i, v in enumerate(values):
        if v is not None:
            expected.setdefault(sem.group_key(v), []).append(i)
    assert {k: ids.tolist() for k, ids in index.groups()} == expected
    assert len(index) == len(expected)


def test_value_index_is_cached_per_graph_and_composite_keys() -> None:
    base = graph([(("P",), {"a": 1, "b": "x"}), (("P",), {"a": 1.0, "b": "x"}), (("P",), {"a": 1})])
    assert base.value_index("P", ("a",)) is base.value_index("P", ("a",))
    index = base.value_index("P", ("a", "b"))
    assert index.lookup((1, "x")).tolist() == [0, 1]
    assert index.lookup((1, None)).tolist() == []


def test_tx_graph_find_nodes_sees_the_statements_own_writes() -> None:
    base = graph([(("P",), {"k": 1}), (("P",), {"k": 2})])
    tx = TxGraph(base, new_key)
    found = tx.find_nodes("P", "k", 1)
    assert found is not None
    assert found.tolist() == [0]
    created = tx.create_node(["P"], {"k": 1.0})  # 1 = 1.0
    tx.set_node_property(0, "k", 5)  # no longer matches
    tx.set_node_property(1, "k", 1)  # now matches
    tx.create_node(["Q"], {"k": 1})  # another label
    after = tx.find_nodes("P", "k", 1)
    assert after is not None
    assert after.tolist() == [1, created]
    tx.delete_node(1, detach=True)
    assert tx.find_nodes("P", "k", 1).tolist() == [created]


# -- the index-seek rule ---------------------------------------------------------------------

INDEXED = Schema((Constraint("u", "UNIQUENESS", "Person", ("name",)),), (Index("age", "Person", ("age",)),))


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (p:Person {name: 'p3'}) RETURN p",
        "MATCH (p:Person) WHERE p.name = 'p3' RETURN p",
        "MATCH (p:Person) WHERE 'p3' = p.name RETURN p",
        "MATCH (p:Person) WHERE p.age = $a AND p.score > 3 RETURN p",
        "UNWIND ['p1', 'p2'] AS n MATCH (p:Person {name: n}) RETURN p",
        "MATCH (c:City) MATCH (p:Person) WHERE p.name = c.name RETURN p",
        "MATCH (a:Person)-[]->(b:Person {name: 'p1'}) RETURN a",
        "OPTIONAL MATCH (p:Person {name: 'zz'}) RETURN p",
    ],
)
def test_indexed_equality_becomes_a_seek(text: str) -> None:
    ops = operators(text, graph(PEOPLE), INDEXED, {"a": 3})
    assert "NodeIndexSeek" in ops
    assert "NodeByLabelScan" not in ops or text.startswith("MATCH (c:City)")


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (p:Person {score: 1.0}) RETURN p",  # not indexed
        "MATCH (p:Person) WHERE p.name = p.other RETURN p",  # reads the node itself
        "MATCH (p:Person) WHERE p.name <> 'x' RETURN p",
        "MATCH (p:Person) WHERE p.name = 'x' OR p.age = 1 RETURN p",
        "MATCH (p:Person) WHERE p.age = toInteger(rand() * 7) RETURN p",
        "MATCH (p:Person|City {name: 'p1'}) RETURN p",
        "MATCH (p {name: 'p1'}) RETURN p",
    ],
)
def test_no_seek_when_it_would_not_be_the_same_query(text: str) -> None:
    assert "NodeIndexSeek" not in operators(text, graph(PEOPLE), INDEXED)


def test_no_seek_without_schema_or_with_optimizer_off() -> None:
    text = "MATCH (p:Person {name: 'p3'}) RETURN p"
    assert "NodeIndexSeek" not in operators(text, graph(PEOPLE), Schema())
    runner = Runner(TxGraph(graph(PEOPLE), new_key), {}, {})
    runner.ctx.schema = INDEXED
    runner.ctx.optimize = False
    query = prepare(text).statement.query
    assert "NodeIndexSeek" not in [row[1] for row in runner.operators(query, lambda n: "")]


def test_seek_falls_back_to_a_scan_after_the_statement_wrote() -> None:
    base = graph(PEOPLE)
    text = "CREATE (:Person {name: 'p3'}) WITH 1 AS one MATCH (p:Person {name: 'p3'}) RETURN count(p) AS n"
    result = execute(text, None, base, new_key, schema=Schema((), (Index("i", "Person", ("name",)),)))
    assert result.rows == [(2,)]


ORACLE_QUERIES = [
    ("MATCH (p:Person {name: $v}) RETURN p, p.age", ["p1", "p39", "root", "none", None, 1, ["p1"]]),
    ("MATCH (p:Person) WHERE p.age = $v RETURN p", [0, 3, 3.0, "3", None, True, float("nan"), [3]]),
    ("MATCH (p:Person:Admin {age: $v}) RETURN p", [1, 2]),
    ("MATCH (c:City), (p:Person) WHERE p.name = c.name RETURN c, p", [None]),
    ("UNWIND $v AS n MATCH (p:Person {name: n}) RETURN n, p", [["p1", "p1", None, "p2", 5]]),
    ("UNWIND $v AS a OPTIONAL MATCH (p:Person) WHERE p.age = a RETURN a, p", [[1, 99, None, 2.0]]),
    ("MATCH (p:Person) WHERE p.age = $v AND p.name STARTS WITH 'p1' RETURN p", [1, 4]),
    ("MATCH (p:Person {age: $v}), (q:Person {age: $v}) WHERE p <> q RETURN count(*)", [2, 6]),
]


@pytest.mark.parametrize(("text", "values"), ORACLE_QUERIES)
def test_seek_matches_the_unoptimized_plan(text: str, values: list[Any]) -> None:
    base = graph(PEOPLE)
    for v in values:
        params = {"v": v}
        fast = run(text, base, INDEXED, params)
        slow = run(text, base, INDEXED, params, optimize=False)
        key = sem.order_key
        assert sorted(fast, key=lambda r: [key(x) for x in r]) == sorted(
            slow, key=lambda r: [key(x) for x in r]
        )


def test_seek_oracle_on_random_graphs() -> None:
    rng = random.Random(7)
    pool: list[Any] = [0, 1, 2, 1.0, 2.5, "a", "b", True, None, [1], float("nan")]
    for _ in range(5):
        nodes = [
            ((rng.choice(["A", "B"]),), {"k": rng.choice(pool), "j": rng.choice(pool)}) for _ in range(60)
        ]
        base = graph(nodes)
        schema = Schema((), (Index("ak", "A", ("k",)), Index("bj", "B", ("j",))))
        for v in pool:
            for text in (
                "MATCH (a:A {k: $v}) RETURN a",
                "MATCH (a:A), (b:B) WHERE b.j = a.k AND a.k = $v RETURN a, b",
            ):
                fast = sorted(run(text, base, schema, {"v": v}))
                slow = sorted(run(text, base, schema, {"v": v}, optimize=False))
                assert fast == slow, (text, v)
                assert "NodeIndexSeek" in operators(text, base, schema, {"v": v})


def test_seek_reads_only_matching_rows() -> None:
    # A seek's output is exactly the matching nodes; the gather behind it ran once per snapshot.
    base = graph(PEOPLE)
    assert run("MATCH (p:Person {name: 'p5'}) RETURN p.age", base, INDEXED) == [(5,)]
    assert ("Person", ("name",)) in base._value_indexes
    ids = base.find_nodes("Person", "name", "p5")
    assert ids is not None
    assert np.array_equal(ids, np.array([5]))
