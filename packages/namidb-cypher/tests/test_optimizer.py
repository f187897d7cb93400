"""The optimizer's rules: golden plans (EXPLAIN) and an oracle against the unoptimized plan."""

from __future__ import annotations

import itertools
import random

import pytest

from namidb_cypher.graph import EmptyGraph, TxGraph
from namidb_cypher.optimizer.limit_pushdown import early_items, pages_first
from namidb_cypher.optimizer.prune_columns import live_after
from namidb_cypher.parser import parse
from namidb_cypher.semantics import order_key
from namidb_cypher.session import execute

_keys = itertools.count()


def new_key() -> str:
    return f"00000000-0000-4000-8000-{next(_keys):012x}"


@pytest.fixture(scope="module")
def graph() -> TxGraph:
    """A random graph: 60 :Person (some :Admin), 40 :Post, KNOWS and LIKES and WROTE relationships."""
    rng = random.Random(11)
    g = TxGraph(EmptyGraph(), new_key)
    people = [
        g.create_node(["Person"] + (["Admin"] if i % 7 == 0 else []), {"k": i, "age": 20 + i % 30})
        for i in range(60)
    ]
    posts = [g.create_node(["Post"], {"k": 100 + i, "len": rng.randrange(500)}) for i in range(40)]
    for _ in range(150):
        g.create_rel("KNOWS", rng.choice(people), rng.choice(people), {"w": rng.randrange(5)})
    for _ in range(120):
        g.create_rel("LIKES", rng.choice(people), rng.choice(posts), {})
    for post in posts:
        g.create_rel("WROTE", rng.choice(people), post, {})
    # Freeze the writes into a base the statements below read (no further writes happen).
    return g


def plan_rows(graph: TxGraph, query: str) -> list[tuple[str, str]]:
    result = execute("EXPLAIN " + query, None, graph, new_key)
    return [(row[2], row[3]) for row in result.rows if row[1] == 1]


def run(graph: TxGraph, query: str, *, optimize: bool) -> list[tuple]:
    from namidb_cypher.executor.runner import run_query

    out = run_query(TxGraph(graph, new_key), parse(query).query, {}, optimize=optimize)
    return sorted(out.rows, key=lambda r: tuple(order_key(v if not hasattr(v, "id") else v.id) for v in r))


def test_join_order_starts_at_the_selective_node(graph):
    steps = plan_rows(graph, "MATCH (p:Post)<-[:WROTE]-(a:Person {k: 3}) RETURN p.k")
    assert steps[0] == ("NodeByLabelScan", "(a:Person)")
    assert steps[1][0] == "Expand"


def test_join_order_prefers_the_smaller_label(graph):
    steps = plan_rows(graph, "MATCH (a:Person)-[:LIKES]->(p:Post) RETURN count(*)")
    assert steps[0] == ("NodeByLabelScan", "(p:Post)")  # 40 posts < 60 people


def test_pushdown_places_each_conjunct_after_its_variables(graph):
    steps = plan_rows(
        graph,
        "MATCH (a:Person)-[:KNOWS]->(b:Person) WHERE a.age > 30 AND b.age < 25 AND a.k <> b.k RETURN a.k",
    )
    names = [s[0] for s in steps]
    assert names == ["NodeByLabelScan", "Filter", "Expand", "Filter", "Filter"]
    assert steps[1][1] == "a.age > 30"
    assert {steps[3][1], steps[4][1]} == {"b.age < 25", "a.k <> b.k"}


def test_prune_columns_keeps_what_later_clauses_read():
    query = parse("MATCH (a)-[r]->(b)-[s]->(c) WITH a, c MATCH (c)-->(d) RETURN a, d").query
    live = live_after(query.parts[0].clauses)
    assert live[0] == frozenset({"a", "c"})
    assert live[1] == frozenset({"a", "c", "d"})  # what the second MATCH and RETURN read
    assert live[2] == frozenset({"a", "d"})
    star = parse("MATCH (a)-->(b) RETURN *").query
    assert live_after(star.parts[0].clauses)[0] is None


def test_limit_pushdown_decision():
    proj = parse("MATCH (p) RETURN p.k AS k, p.len AS len ORDER BY k LIMIT 3").query.parts[0].clauses[1]
    assert pages_first(proj.projection, aggregating=False)
    assert not pages_first(proj.projection, aggregating=True)
    assert early_items(proj.projection, None, ["k", "len"]) == {"k"}


ORACLE_QUERIES = [
    "MATCH (a:Person)-[:KNOWS]->(b:Person) WHERE a.age > 30 AND b.age < 25 RETURN a.k, b.k",
    "MATCH (p:Post)<-[:LIKES]-(a:Person)-[:KNOWS]->(b:Person {k: 5}) RETURN p.k, a.k",
    "MATCH (a:Person)-[:KNOWS*1..2]->(b:Admin) WHERE a.k < 10 RETURN a.k, b.k",
    "MATCH (a:Admin), (p:Post) WHERE p.len > 400 RETURN a.k, p.k",
    "MATCH (a:Person) OPTIONAL MATCH (a)-[:WROTE]->(p:Post) WHERE p.len > 250 RETURN a.k, p.k",
    "MATCH (a:Person)-[:KNOWS]->(b) WITH a, count(b) AS n WHERE n > 2 "
    "MATCH (a)-[:LIKES]->(p) RETURN a.k, n, p.k",
    "MATCH (a:Person) RETURN a.k, a.age ORDER BY a.age DESC, a.k LIMIT 7",
    "MATCH (p:Post) RETURN p.k ORDER BY p.len SKIP 5 LIMIT 5",
    "MATCH (a:Person)-[r:KNOWS]-(b:Person) WHERE r.w = 2 AND a.age = b.age RETURN a.k, b.k",
]


@pytest.mark.parametrize("query", ORACLE_QUERIES)
def test_optimized_plan_returns_what_the_naive_plan_returns(graph, query):
    optimized = run(graph, query, optimize=True)
    naive = run(graph, query, optimize=False)
    assert optimized == naive
    assert optimized or "LIMIT" not in query  # the oracle compares real rows
