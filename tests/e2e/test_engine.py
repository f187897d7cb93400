"""The engine suite through ``namidb.Client``, on every backend: Cypher, staging, flush, compaction,
two writers fencing each other, and a read-only client following a writer."""

from __future__ import annotations

import uuid

import pyarrow as pa
import pytest

import namidb
from namidb import Client

from .workload import graph_state


def _id(n: int) -> str:
    return str(uuid.UUID(int=(0x5EED << 96) | n))


def test_cypher_writes_and_reads(backend):
    with Client(backend()) as c:
        c.cypher(
            "CREATE (a:Person {name: 'Alice', age: 30})"
            "-[:KNOWS {since: 2020}]->(:Person {name: 'Bob', age: 25})"
        )
        c.cypher("CREATE (:Person {name: 'Carol', age: 41})")
        result = c.cypher(
            "MATCH (p:Person) WHERE p.age > $min RETURN p.name AS name, p.age AS age ORDER BY age",
            params={"min": 26},
        )
        assert result.columns == ["name", "age"]
        assert result.rows() == [{"name": "Alice", "age": 30}, {"name": "Carol", "age": 41}]
        assert result.to_arrow().column_names == ["name", "age"]

        # SET, MERGE (twice: idempotent), DELETE, each committed on return.
        c.cypher("MATCH (p:Person {name: 'Bob'}) SET p.age = 26, p.city = 'Lima'")
        for _ in range(2):
            c.cypher("MERGE (b:Person {name: 'Bob'}) MERGE (d:Person {name: 'Dave'}) MERGE (b)-[:KNOWS]->(d)")
        c.cypher("MATCH (p:Person {name: 'Carol'}) DELETE p")
        # A statement that fails at run time leaves nothing behind.
        with pytest.raises(namidb.NamiDBError, match="division by zero"):
            c.cypher("UNWIND [1, 0] AS d CREATE (:Bad {v: 10 / d})")

        def view() -> list[dict[str, object]]:
            return c.cypher(
                "MATCH (p:Person) OPTIONAL MATCH (p)-[:KNOWS]->(q) "
                "RETURN p.name AS name, p.age AS age, p.city AS city, collect(q.name) AS knows ORDER BY name"
            ).rows()

        expected = [
            {"name": "Alice", "age": 30, "city": None, "knows": ["Bob"]},
            {"name": "Bob", "age": 26, "city": "Lima", "knows": ["Dave"]},
            {"name": "Dave", "age": None, "city": None, "knows": []},
        ]
        assert view() == expected
        assert c.cypher("MATCH (b:Bad) RETURN count(b) AS n").rows() == [{"n": 0}]
        # The same answers once the data lives in SSTs rather than the memtable.
        assert c.flush()["flushed"] is True
        assert view() == expected


def test_staging_commit_flush_compact(backend):
    with Client(backend()) as c:
        a, b, d = _id(1), _id(2), _id(3)
        c.upsert_node("Person", a, {"name": "Alice", "age": 30})
        c.upsert_node("Person", b, {"name": "Bob"})
        c.upsert_edge("KNOWS", a, b, {"since": 2020})
        # Staged work is visible to its own writer before commit (read your own writes) ...
        assert c.lookup_node("Person", a)["properties"] == {"name": "Alice", "age": 30}
        first = c.commit()
        assert isinstance(first, int)
        assert c.commit() is None  # nothing staged
        # ... and a rolled-back batch is gone.
        c.upsert_node("Person", d, {"name": "Ghost"})
        c.rollback()
        assert c.lookup_node("Person", d) is None

        people = pa.table({"id": [_id(100 + i) for i in range(500)], "n": list(range(500))})
        assert c.merge_nodes("Person", people) == 500
        assert c.merge_edges("KNOWS", [{"src": a, "dst": _id(100 + i), "w": i} for i in range(50)]) == 50
        second = c.commit()
        assert second is not None
        assert second > first

        flushed = c.flush()
        assert flushed["flushed"] is True
        assert flushed["ssts_written"] >= 3  # Person nodes, KNOWS forward and inverse
        assert flushed["wal_dropped"] == 2
        assert c.flush()["flushed"] is False  # nothing new since

        # A second generation over the first: updates, tombstones, a multi-label node.
        c.upsert_node("Person", a, {"name": "Alice", "age": 31})
        c.tombstone_node("Person", _id(100))
        c.tombstone_edge("KNOWS", a, _id(101))
        c.upsert_node_with_labels(["Person", "Admin"], d, {"name": "Dee"})
        c.commit()
        assert c.flush()["flushed"] is True
        before = graph_state(c)
        assert c.lookup_node("Person", a)["properties"] == {"name": "Alice", "age": 31}
        assert c.lookup_node("Person", _id(100)) is None
        assert len(c.scan_label("Person")) == 2 + 500 - 1 + 1
        assert sorted(e["dst"] for e in c.out_edges("KNOWS", a)) == sorted(
            [b] + [_id(100 + i) for i in range(50) if i != 1]
        )
        assert [e["src"] for e in c.in_edges("KNOWS", b)] == [a]
        assert c.lookup_node("Admin", d)["labels"] == ["Person", "Admin"]

        report = c.compact()
        assert report["applied"] is True
        assert report["l0_before"] >= 6
        assert report["l0_after"] == 0
        assert report["ssts_removed"] == report["l0_before"]
        assert report["ssts_written"] >= 3
        assert report["version_after"] > report["version_before"]
        assert graph_state(c) == before  # compaction changes files, not answers
        # Nothing left to merge: a second compaction is a no-op.
        again = c.compact()
        assert again["applied"] is False
        assert again["version_before"] == again["version_after"]

        table = c.scan_label_arrow("Person")
        assert table.num_rows == 502
        assert table.column_names[:5] == ["id", "label", "labels", "lsn", "schema_version"]
        stats = c.cache_stats()
        assert {"hit", "miss", "evict", "insert", "bytes", "capacity_bytes"} <= stats.keys()
        assert stats["insert"] > 0


def test_two_writers_fence_each_other(durable_backend):
    uri = durable_backend()
    first = Client(uri)
    try:
        first.cypher("CREATE (:Doc {v: 1})")
        first.upsert_node("Doc", _id(1), {"v": 2})
        first.commit()
        with Client(uri) as second:  # claims the next epoch: the first writer is now stale
            first.upsert_node("Doc", _id(2), {"v": 3})
            first.merge_nodes("Doc", [{"id": _id(10 + i), "v": 100 + i} for i in range(20)])
            with pytest.raises(namidb.WriterFencedError):
                first.commit()
            with pytest.raises(namidb.WriterFencedError):  # Cypher writes too, and every later attempt
                first.cypher("CREATE (:Doc {v: 4})")
            with pytest.raises(namidb.WriterFencedError):
                first.flush()
            # The new writer sees what was acknowledged, and nothing the stale writer half-wrote.
            assert sorted(r["v"] for r in second.cypher("MATCH (d:Doc) RETURN d.v AS v").rows()) == [1, 2]
            second.cypher("CREATE (:Doc {v: 5})")
            second.flush()
        with Client(uri, mode="r") as reader:
            assert sorted(n["properties"]["v"] for n in reader.scan_label("Doc")) == [1, 2, 5]
            assert reader.lookup_node("Doc", _id(2)) is None
    finally:
        first.close()


def test_read_only_client_sees_commits_after_refresh(durable_backend):
    uri = durable_backend()
    with Client(uri) as writer, Client(uri, mode="r") as reader:
        writer.cypher("CREATE (:City {name: 'Lima'})")
        assert reader.cypher("MATCH (c:City) RETURN count(c) AS n").rows() == [{"n": 0}]
        v1 = reader.refresh()
        assert reader.cypher("MATCH (c:City) RETURN c.name AS name").rows() == [{"name": "Lima"}]

        writer.upsert_node("City", _id(7), {"name": "Oslo"})
        writer.commit()
        assert reader.lookup_node("City", _id(7)) is None  # a pinned version until refresh()
        v2 = reader.refresh()
        assert v2 > v1
        assert reader.lookup_node("City", _id(7))["properties"] == {"name": "Oslo"}

        # Flush and compaction move data into SSTs; the reader follows them too.
        writer.flush()
        writer.cypher("MATCH (c:City {name: 'Lima'}) SET c.pop = 10")
        writer.flush()
        writer.compact()
        assert reader.cypher("MATCH (c:City {name: 'Lima'}) RETURN c.pop AS pop").rows() == [{"pop": None}]
        assert reader.refresh() > v2
        assert reader.cypher("MATCH (c:City {name: 'Lima'}) RETURN c.pop AS pop").rows() == [{"pop": 10}]
        assert reader.refresh() == reader.refresh()  # nothing new: the version stays

        # A read-only client refuses to write, whichever path is used.
        with pytest.raises(namidb.ReadOnlyError):
            reader.cypher("CREATE (:City {name: 'Nope'})")
        with pytest.raises(namidb.ReadOnlyError):
            reader.upsert_node("City", _id(8), {"name": "Nope"})
        assert writer.cypher("MATCH (c:City) RETURN count(c) AS n").rows() == [{"n": 2}]
