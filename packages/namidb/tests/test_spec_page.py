"""The examples of shared/spec/python-api.md, run as written (``namidb.uuid7()`` for ``uuid.uuid7()``)."""

from __future__ import annotations

import asyncio
import datetime
import uuid

import pyarrow as pa
import pytest

import namidb


@pytest.fixture
def client():
    with namidb.Client("memory://demo") as c:
        yield c


def test_cypher_auto_commit(client):
    client.cypher("CREATE (a:Person {name: 'Alice', age: 30})")
    client.cypher("CREATE (a:Person {name: 'Bob', age: 25})")
    result = client.cypher(
        "MATCH (p:Person) WHERE p.age > $min RETURN p.name AS name, p.age AS age",
        params={"min": 26},
    )
    assert result.columns == ["name", "age"]
    assert len(result) == 1
    assert result.first() == {"name": "Alice", "age": 30}
    assert list(result.rows()) == [{"name": "Alice", "age": 30}]


def test_staging_api(client):
    alice = str(namidb.uuid7())
    bob = str(namidb.uuid7())
    client.upsert_node("Person", alice, {"name": "Alice", "age": 30})
    client.upsert_node("Person", bob, {"name": "Bob"})
    client.upsert_edge("KNOWS", alice, bob, {"since": 2020})
    lsn = client.commit()
    assert isinstance(lsn, int)
    client.flush()
    node = client.lookup_node("Person", alice)
    assert node is not None
    assert node["id"] == alice
    assert node["label"] == "Person"
    assert node["properties"] == {"name": "Alice", "age": 30}
    assert {"lsn", "schema_version", "labels"} <= set(node)
    edges = client.out_edges("KNOWS", alice)
    assert [(e["dst"], e["properties"]) for e in edges] == [(bob, {"since": 2020})]
    rows = client.cypher("MATCH (a)-[k:KNOWS]->(b) RETURN a.name AS a, k.since AS s, b.name AS b").rows()
    assert rows == [{"a": "Alice", "s": 2020, "b": "Bob"}]
    client.tombstone_edge("KNOWS", alice, bob)
    client.tombstone_node("Person", bob)
    client.commit()
    assert client.lookup_node("Person", bob) is None
    assert client.out_edges("KNOWS", alice) == []


def test_tombstone_node_keeps_its_edges_until_they_are_tombstoned(client):
    """As documented: direct edge reads still see them, Cypher skips them; tombstone_edge removes them."""
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    client.upsert_node("Person", a, {"name": "A"})
    client.upsert_node("Person", b, {"name": "B"})
    client.upsert_edge("KNOWS", a, b, {"since": 2020})
    client.commit()
    client.tombstone_node("Person", b)
    client.commit()
    for _ in ("in the memtable", "in SSTs"):
        assert [e["dst"] for e in client.out_edges("KNOWS", a)] == [b]
        assert client.cypher("MATCH (x)-[k:KNOWS]-(y) RETURN count(k) AS n").rows() == [{"n": 0}]
        client.flush()
    client.tombstone_edge("KNOWS", a, b)
    client.commit()
    assert client.out_edges("KNOWS", a) == []
    assert client.scan_edge_type("KNOWS") == []


def test_bulk_inserts(client):
    ids = [str(uuid.uuid4()) for _ in range(1000)]
    staged = client.merge_nodes(
        "Person", [{"id": i, "name": f"p{n}", "age": 20 + n} for n, i in enumerate(ids)]
    )
    assert staged == 1000
    assert (
        client.merge_edges(
            "KNOWS",
            [{"src": ids[0], "dst": ids[1], "since": 2020}, {"src": ids[1], "dst": ids[2], "since": 2021}],
        )
        == 2
    )
    client.commit()
    client.flush()
    assert client.cypher("MATCH (p:Person) RETURN count(p) AS n").first() == {"n": 1000}
    assert client.cypher("MATCH (:Person)-[k:KNOWS]->(:Person) RETURN sum(k.since) AS s").first() == {
        "s": 4041
    }


def test_async(client):
    async def main() -> list[dict]:
        c = namidb.Client("memory://demo")
        await c.acypher("CREATE (p:Person {name: 'Alice'})")
        result = await c.acypher(
            "MATCH (p:Person {name: $name}) RETURN p.name AS name", params={"name": "Alice"}
        )
        many = await asyncio.gather(*(c.acypher("RETURN $i AS i", {"i": i}) for i in range(5)))
        assert [r.first()["i"] for r in many] == list(range(5))
        c.close()
        return result.rows()

    assert asyncio.run(main()) == [{"name": "Alice"}]


def test_result_formats(client):
    client.cypher("CREATE (:Person {name: 'Alice', age: 30}), (:Person {name: 'Bob', age: 25})")
    result = client.cypher("MATCH (p:Person) RETURN p.name AS name, p.age AS age ORDER BY p.age DESC")
    assert result.rows() == [{"name": "Alice", "age": 30}, {"name": "Bob", "age": 25}]
    table = result.to_arrow()
    assert isinstance(table, pa.Table)
    assert table.column_names == ["name", "age"]
    assert list(result.to_pandas()["name"]) == ["Alice", "Bob"]
    assert result.to_polars()["age"].to_list() == [30, 25]
    empty = client.cypher("MATCH (p:Nobody) RETURN p.name AS name, p.age AS age")
    assert empty.columns == ["name", "age"]
    assert len(empty) == 0


def test_scan_label_arrow(client):
    client.cypher("CREATE (:Person {name: 'Alice', age: 30}), (:Person {name: 'Bob', city: 'Oslo'})")
    table = client.scan_label_arrow("Person")
    assert table.column_names[:5] == ["id", "label", "labels", "lsn", "schema_version"]
    assert set(table.column_names[5:]) == {"name", "age", "city"}
    by_name = {r["name"]: r for r in table.to_pylist()}
    assert by_name["Bob"]["age"] is None


def test_scan_label_arrow_types_temporal_properties(client):
    """Cypher temporal properties come as Arrow temporal columns, not codec bytes, flushed or not."""
    client.cypher(
        "CREATE (:Event {on: date('2024-01-02'), at: datetime('2024-01-02T03:04:05Z'), "
        "lasts: duration('P1DT2H'), n: 1}), (:Event {on: date('2025-06-07'), n: 2})"
    )
    for _ in ("in the memtable", "in SSTs"):
        table = client.scan_label_arrow("Event").sort_by("n")
        assert table.schema.field("on").type == pa.date32()
        assert table.column("on").to_pylist() == [datetime.date(2024, 1, 2), datetime.date(2025, 6, 7)]
        assert pa.types.is_timestamp(table.schema.field("at").type)
        assert table.column("at").to_pylist()[0] == datetime.datetime(
            2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC
        )
        assert table.column("lasts").to_pylist() == [
            {"months": 0, "days": 1, "seconds": 7200, "nanos": 0},
            None,
        ]
        client.flush()


def test_type_mapping(client):
    row = client.cypher(
        "RETURN null AS n, true AS b, 1 AS i, 1.5 AS f, 's' AS s, [1, 'a'] AS l, {k: 1} AS m, "
        "date('2024-01-02') AS d, datetime('2024-01-02T03:04:05Z') AS dt"
    ).first()
    assert row["n"] is None
    assert row["b"] is True
    assert type(row["i"]) is int
    assert type(row["f"]) is float
    assert row["l"] == [1, "a"]
    assert row["m"] == {"k": 1}
    assert isinstance(row["d"], datetime.date)
    assert row["d"] == datetime.date(2024, 1, 2)
    assert isinstance(row["dt"], datetime.datetime)
    assert row["dt"] == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    client.cypher("CREATE (:T {v: $v, b: $b})", {"v": [0.5, 1.5], "b": True})
    got = client.cypher("MATCH (t:T) RETURN t").first()["t"]
    assert got["_kind"] == "node"
    assert got["properties"] == {"v": [0.5, 1.5], "b": True}
    assert type(got["properties"]["b"]) is bool
    rel = client.cypher("CREATE (:A)-[r:R {w: 1}]->(:B) RETURN r").first()["r"]
    assert rel["_kind"] == "rel"
    assert rel["edge_type"] == "R"
    assert {"id", "src", "dst", "properties"} <= set(rel)
    path = client.cypher("MATCH p = (:A)-[:R]->(:B) RETURN p").first()["p"]
    assert [x["_kind"] for x in path] == ["node", "rel", "node"]


def test_failed_statement_leaves_nothing(client):
    with pytest.raises(namidb.NamiDBError):
        client.cypher("CREATE (:X {v: 1}) WITH 1 AS one RETURN 1 / 0 AS boom")
    assert client.cypher("MATCH (x:X) RETURN count(x) AS n").first() == {"n": 0}


def test_cypher_errors_carry_tck_fields(client):
    with pytest.raises(namidb.NamiDBError) as info:
        client.cypher("MATCH (n) RETURN m")
    err = info.value
    assert err.tck_name == "SyntaxError"
    assert err.phase == "compile time"
    assert err.code == "UndefinedVariable"


def test_acypher_leaves_the_interpreter_free_to_exit(tmp_path):
    """A script that uses acypher and never closes its client still exits, and promptly."""
    import subprocess
    import sys

    script = tmp_path / "script.py"
    script.write_text(
        "import asyncio, namidb\n"
        "c = namidb.Client('memory://x')\n"
        "async def main():\n"
        "    await asyncio.gather(*(c.acypher('CREATE (:N {i: $i})', {'i': i}) for i in range(20)))\n"
        "    r = await c.acypher('MATCH (n:N) RETURN count(n) AS c')\n"
        "    print(r.first()['c'])\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "20"


def test_temporal_results_pickle_and_copy_without_loss(client):
    import copy
    import pickle

    row = client.cypher(
        "RETURN date('2020-01-02') AS d, datetime('2020-01-02T03:04:05.123456789+01:00') AS t, "
        "localtime('10:00:00.5') AS l, datetime('2020-01-02T03:04:05[Europe/Stockholm]') AS z"
    ).first()
    for value in row.values():
        again = pickle.loads(pickle.dumps(value))
        assert type(again) is type(value)
        assert again == value
        assert str(again) == str(value)  # nanoseconds and zone names survive
        assert str(copy.deepcopy(value)) == str(value)
