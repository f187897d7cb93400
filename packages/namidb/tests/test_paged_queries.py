"""ORDER BY ... LIMIT and grouping fast paths agree with a plain Python reference.

The page is found from the first sort key alone (block bests, or select_k
for strings), then sorted with every key; grouping numbers groups by first
appearance with hashing. Ties at the page boundary, nulls and SKIP are the
cases where a shortcut could drop a row.
"""

from __future__ import annotations

import random

import pytest

import namidb


@pytest.fixture(scope="module")
def client():
    rng = random.Random(11)
    rows = []
    for k in range(3000):
        rows.append(
            {
                "id": str(namidb.uuid7()),
                "k": k,
                "d": rng.choice([None, *range(40)]) if k % 7 else rng.randrange(40),
                "s": rng.choice(["a", "b", "c", None]),
                "g": rng.randrange(5),
            }
        )
    with namidb.Client("memory://paged") as c:
        c.merge_nodes("N", rows)
        c.commit()
        yield c, rows


def _key(v, descending):
    # Cypher: null is the largest value (last ascending, first descending).
    if descending:
        return (0, 0) if v is None else (1, -v)
    return (1, 0) if v is None else (0, v)


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize(("skip", "limit"), [(0, 10), (0, 1), (5, 20), (0, 200)])
def test_order_by_limit_matches_a_full_sort(client, descending, skip, limit):
    c, rows = client
    direction = "DESC" if descending else "ASC"
    got = c.cypher(
        f"MATCH (n:N) RETURN n.k AS k, n.d AS d ORDER BY d {direction}, k ASC SKIP {skip} LIMIT {limit}"
    ).rows()
    ref = sorted(rows, key=lambda r: (_key(r["d"], descending), r["k"]))[skip : skip + limit]
    assert [(r["k"], r["d"]) for r in got] == [(r["k"], r["d"]) for r in ref]


def test_order_by_limit_on_strings_and_without_nulls(client):
    c, rows = client
    got = c.cypher("MATCH (n:N) WHERE n.d IS NOT NULL RETURN n.k AS k ORDER BY n.d DESC, k DESC LIMIT 15")
    ref = sorted((r for r in rows if r["d"] is not None), key=lambda r: (-r["d"], -r["k"]))[:15]
    assert [r["k"] for r in got.rows()] == [r["k"] for r in ref]
    got = c.cypher("MATCH (n:N) RETURN n.k AS k, n.s AS s ORDER BY s, k LIMIT 12").rows()
    ref = sorted(rows, key=lambda r: (r["s"] is None, r["s"] or "", r["k"]))[:12]
    assert [r["k"] for r in got] == [r["k"] for r in ref]


def test_grouping_counts_and_first_seen_order(client):
    c, rows = client
    got = c.cypher("MATCH (n:N) RETURN n.s AS s, n.g AS g, count(*) AS c").rows()
    expected: dict[tuple, int] = {}
    for r in rows:
        expected[(r["s"], r["g"])] = expected.get((r["s"], r["g"]), 0) + 1
    # groups come out in order of first appearance, like the row-by-row path
    assert [((r["s"], r["g"]), r["c"]) for r in got] == list(expected.items())
    got = c.cypher("MATCH (n:N) RETURN n.d AS d, count(*) AS c ORDER BY d").rows()
    by_d: dict = {}
    for r in rows:
        by_d[r["d"]] = by_d.get(r["d"], 0) + 1
    assert [(r["d"], r["c"]) for r in got] == sorted(by_d.items(), key=lambda kv: _key(kv[0], False))


def test_order_by_limit_on_datetimes():
    import datetime as dt

    rng = random.Random(5)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    rows = [
        {"id": str(namidb.uuid7()), "k": k, "t": base + dt.timedelta(days=rng.randrange(30))}
        for k in range(2000)
    ]
    with namidb.Client("memory://paged-dates") as c:
        c.merge_nodes("T", rows)
        c.commit()
        for direction, sign in (("DESC", -1), ("ASC", 1)):
            got = c.cypher(f"MATCH (n:T) RETURN n.k AS k ORDER BY n.t {direction}, k LIMIT 7").rows()
            ref = sorted(rows, key=lambda r: (sign * r["t"].timestamp(), r["k"]))[:7]
            assert [r["k"] for r in got] == [r["k"] for r in ref]
