"""What the benchmark runs: the metrics, the Cypher queries, the write mix and the answer checks.

Imported by the generator (main venv) and by the worker (any engine's interpreter, including the
compiled namidb's own venv), so it needs nothing beyond the standard library.

The Cypher text here is the canonical one, run as-is wherever the engines' dialects agree; an engine
adapter may rewrite it (see ``engines.py``) and the worker records the text actually run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Query:
    """One benchmark query: its Cypher text, and whether row order is part of the answer."""

    text: str
    ordered: bool


QUERIES: dict[str, Query] = {
    "return_1": Query("RETURN 1 AS x", True),
    "point_lookup_bkey": Query(
        "MATCH (p:Person) WHERE p._id = $pid RETURN p.firstName AS firstName, p.lastName AS lastName, "
        "p.age AS age",
        False,
    ),
    # No index on content: every engine has to scan Post.
    "post_content_eq": Query(
        "MATCH (m:Post) WHERE m.content = $content RETURN m._id AS id, m.length AS length", False
    ),
    "expand_1hop_filter": Query(
        "MATCH (p:Person)-[:KNOWS]->(f:Person) WHERE p._id = $pid AND f.age > $minAge "
        "RETURN f._id AS id, f.age AS age",
        False,
    ),
    "fof_count_distinct": Query(
        "MATCH (p:Person)-[:KNOWS]->(:Person)-[:KNOWS]->(fof:Person) WHERE p._id = $pid AND fof._id <> $pid "
        "RETURN count(DISTINCT fof) AS n",
        True,
    ),
    "agg_by_label_prop": Query("MATCH (p:Person) RETURN p.age AS age, count(*) AS n ORDER BY age", True),
    "agg_post_person_join": Query(
        "MATCH (m:Post)-[:HAS_CREATOR]->(p:Person) "
        "RETURN p.lastName AS lastName, count(*) AS posts, sum(m.length) AS totalLength ORDER BY lastName",
        True,
    ),
    "top10_by_date": Query(
        "MATCH (m:Post) RETURN m._id AS id, m.creationDate AS date ORDER BY date DESC, id ASC LIMIT 10", True
    ),
    "ic2_friends_recent_posts": Query(
        "MATCH (p:Person)-[:KNOWS]->(f:Person)<-[:HAS_CREATOR]-(m:Post) "
        "WHERE p._id = $pid AND m.creationDate <= $maxDate "
        "RETURN f._id AS friendId, f.firstName AS firstName, m._id AS postId, m.creationDate AS date "
        "ORDER BY date DESC, postId ASC LIMIT 20",
        True,
    ),
    "ic7_recent_likers": Query(
        "MATCH (p:Person)<-[:HAS_CREATOR]-(m)<-[l:LIKES]-(liker:Person) WHERE p._id = $pid "
        "RETURN liker._id AS likerId, max(l.creationDate) AS latest, count(*) AS likes "
        "ORDER BY latest DESC, likerId ASC LIMIT 20",
        True,
    ),
    "ic8_recent_replies": Query(
        "MATCH (p:Person)<-[:HAS_CREATOR]-(m)<-[:REPLY_OF]-(c:Comment)-[:HAS_CREATOR]->(a:Person) "
        "WHERE p._id = $pid "
        "RETURN a._id AS authorId, c._id AS commentId, c.creationDate AS date "
        "ORDER BY date DESC, commentId ASC LIMIT 20",
        True,
    ),
    "ic9_fof_recent_posts": Query(
        "MATCH (p:Person)-[:KNOWS]->(:Person)-[:KNOWS]->(fof:Person) WHERE p._id = $pid AND fof._id <> $pid "
        "WITH DISTINCT fof MATCH (fof)<-[:HAS_CREATOR]-(m:Post) WHERE m.creationDate < $maxDate "
        "RETURN fof._id AS personId, m._id AS postId, m.creationDate AS date "
        "ORDER BY date DESC, postId ASC LIMIT 20",
        True,
    ),
}

WRITE_MIX_SIZE = 1_000
WRITE_KINDS = ("create_person", "set_age", "create_knows")
# Canonical write statements. ``id`` is the UUID node key: engines that key nodes themselves
# (namidb) drop it in their adapter, engines with a declared primary key (Kuzu) need it.
WRITES: dict[str, str] = {
    "create_person": "CREATE (p:Person {id: $id, _id: $bkey, firstName: $fn, lastName: $ln, age: $age, "
    "creationDate: $cd})",
    "set_age": "MATCH (p:Person) WHERE p._id = $pid SET p.age = $age",
    "create_knows": "MATCH (a:Person), (b:Person) WHERE a._id = $a AND b._id = $b "
    "CREATE (a)-[:KNOWS {since: $since}]->(b)",
}
COUNT_PERSONS = "MATCH (p:Person) RETURN count(*) AS n"
COUNT_KNOWS = "MATCH (:Person)-[k:KNOWS]->(:Person) RETURN count(*) AS n"


@dataclass(frozen=True)
class Metric:
    """A reported figure: its key, unit, and which direction is better."""

    key: str
    unit: str
    better: str  # "lower" or "higher"
    label: str


METRICS: list[Metric] = [
    Metric("ingest", "rows/s", "higher", "ingest (bulk load + commit + flush)"),
    Metric("compact", "ms", "lower", "compact after ingest (namidb engines; queries run compacted)"),
    Metric("reopen_after_writes", "ms", "lower", "reopen after writes (open + first query)"),
    Metric("reopen_after_sigkill", "ms", "lower", "reopen after SIGKILL (open + first query)"),
    Metric("lookup_node", "us", "lower", "lookup_node"),
    Metric("out_edges", "us", "lower", "out_edges"),
    Metric("scan_label_arrow", "rows/s", "higher", "scan_label_arrow (Post)"),
    *[Metric(f"cypher.{name}", "ms", "lower", f"cypher {name}") for name in QUERIES],
    Metric("write_mix", "us", "lower", "write mix (1,000 auto-commit statements, per statement)"),
    Metric("peak_rss", "MiB", "lower", "peak RSS of the engine's process"),
]
METRIC_BY_KEY = {m.key: m for m in METRICS}


def _same(a: Any, b: Any) -> bool:
    """Value equality across engines: ints and floats compare numerically, within a tolerance."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return bool(a == b)


def check_rows(got: list[list[Any]], expected: list[list[Any]], ordered: bool) -> str:
    """``"ok"`` when ``got`` equals ``expected`` (in order if ``ordered``), else a short mismatch note."""
    if len(got) != len(expected):
        return f"mismatch: {len(got)} rows, expected {len(expected)}"
    if not ordered:
        got = sorted(got, key=repr)
        expected = sorted(expected, key=repr)
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        if len(g) != len(e) or not all(_same(x, y) for x, y in zip(g, e, strict=True)):
            return f"mismatch at row {i}: got {g!r}, expected {e!r}"
    return "ok"
