"""Engine adapters: one small class per engine behind the same benchmark surface.

- ``namidb``: this project's ``namidb.Client`` (imported in the main venv);
- ``namidb-compiled``: the compiled ``namidb==2.6.19`` from PyPI, same Python API, imported in its own
  venv (``bench/.peer-venv``) because both distributions own the ``namidb`` import name;
- ``kuzu``: Kuzu, schema created up front and loaded with ``COPY`` from the same Parquet files; its
  ``lookup_node``/``out_edges`` equivalents are Cypher point queries on the primary key ``id``.

Dialect differences are handled by ``rewrite`` and recorded by the worker with each result:

- Kuzu reserves the property name ``_id`` (its internal node id), so the business key is stored as
  ``bkey`` and every ``x._id`` in a query becomes ``x.bkey``.
- namidb 2.6.19 treats ``n._id`` as the node's system id in projections, ``ORDER BY``, ``CREATE`` maps
  and comparisons with a parameter (only ``n._id = <literal>`` reads the property), so every ``n._id``
  becomes ``properties(n)._id`` and a created node gets its business key with ``SET``.
- namidb engines key nodes by their own UUID, so ``CREATE`` does not pass ``id``.

Only the standard library and pyarrow are imported at module level: this file runs in every venv.
"""

from __future__ import annotations

import re
import shutil
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

NS = "bench"
# Rows per merge_* call and per commit during ingest: big enough to amortize the call, small enough to
# keep each WAL segment and each list of dicts bounded.
INGEST_CHUNK = 20_000


def parquet_files(data_dir: Path) -> Iterator[tuple[str, str, Path]]:
    """``(kind, name, path)`` for the dataset's node files, then its edge files, in a stable order.

    ``name`` is the label for nodes and the file stem ``TYPE__Src__Dst`` for edges.
    """
    for path in sorted((data_dir / "nodes").glob("*.parquet")):
        yield "node", path.stem, path
    for path in sorted((data_dir / "edges").glob("*.parquet")):
        yield "edge", path.stem, path


class Engine(ABC):
    """The benchmark surface every engine adapter provides."""

    name: str = ""

    def __init__(self, path: Path) -> None:
        self.path = path

    @abstractmethod
    def version(self) -> str:
        """The engine's version string."""

    @abstractmethod
    def create(self) -> None:
        """Create a fresh, empty database at ``self.path`` (replacing any old one) and open it."""

    @abstractmethod
    def open(self) -> None:
        """Open the existing database at ``self.path``."""

    @abstractmethod
    def close(self) -> None:
        """Close the database, releasing files and locks."""

    @abstractmethod
    def ingest(self, data_dir: Path) -> tuple[int, float]:
        """Load the dataset durably; return (rows loaded, seconds spent inside the engine)."""

    @abstractmethod
    def lookup_node(self, label: str, node_id: str) -> dict[str, Any] | None:
        """The node's properties, or None when absent."""

    @abstractmethod
    def out_edges(self, edge_type: str, src: str) -> int:
        """How many ``edge_type`` edges leave ``src``."""

    @abstractmethod
    def scan_label(self, label: str) -> int:
        """Scan every node of ``label`` into an Arrow table; return its row count."""

    @abstractmethod
    def cypher(self, text: str, params: dict[str, Any]) -> list[list[Any]]:
        """Run Cypher; return the rows as lists in column order."""

    @abstractmethod
    def compact(self) -> Any:
        """The engine's own maintenance after a bulk load (compaction), if it has one; its report."""

    @abstractmethod
    def crash_write(self, rows: list[dict[str, Any]]) -> None:
        """Durably commit ``rows`` (``id``, ``k``) as ``Crash`` nodes, without flushing/checkpointing."""

    def rewrite(self, text: str) -> str:
        """This engine's spelling of a canonical query (identity where the dialects agree)."""
        return text


class NamidbEngine(Engine):
    """``namidb.Client`` — this project's engine or the compiled 2.6.19, whichever ``namidb`` imports."""

    def __init__(self, path: Path, *, compiled: bool) -> None:
        super().__init__(path)
        import namidb

        self.mod = namidb
        self.compiled = compiled
        self.name = "namidb-compiled" if compiled else "namidb"
        self.client: Any = None
        self.uri = f"file://{path}?ns={NS}"

    def version(self) -> str:
        return str(getattr(self.mod, "__version__", "?"))

    def create(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        self.open()

    def open(self) -> None:
        self.client = self.mod.Client(self.uri)

    def close(self) -> None:
        if self.client is not None:
            close = getattr(self.client, "close", None)
            if close is not None:
                close()
            self.client = None

    def ingest(self, data_dir: Path) -> tuple[int, float]:
        total, spent = 0, 0.0
        for kind, name, path in parquet_files(data_dir):
            table = pq.read_table(path)
            for start in range(0, table.num_rows, INGEST_CHUNK):
                # Building the list of dicts is the caller's job in real use: not timed.
                rows = table.slice(start, INGEST_CHUNK).to_pylist()
                t0 = time.perf_counter()
                if kind == "node":
                    self.client.merge_nodes(name, rows)
                else:
                    self.client.merge_edges(name.split("__")[0], rows)
                self.client.commit()
                spent += time.perf_counter() - t0
                total += len(rows)
        t0 = time.perf_counter()
        self.client.flush()
        spent += time.perf_counter() - t0
        return total, spent

    def lookup_node(self, label: str, node_id: str) -> dict[str, Any] | None:
        node = self.client.lookup_node(label, node_id)
        return None if node is None else dict(node["properties"])

    def out_edges(self, edge_type: str, src: str) -> int:
        return len(self.client.out_edges(edge_type, src))

    def scan_label(self, label: str) -> int:
        return int(self.client.scan_label_arrow(label).num_rows)

    def cypher(self, text: str, params: dict[str, Any]) -> list[list[Any]]:
        result = self.client.cypher(text, params=params)
        cols = list(result.columns)
        return [[row[c] for c in cols] for row in result.rows()]

    def compact(self) -> Any:
        return self.client.compact()

    def crash_write(self, rows: list[dict[str, Any]]) -> None:
        self.client.merge_nodes("Crash", rows)
        self.client.commit()

    def rewrite(self, text: str) -> str:
        text = text.replace("{id: $id, ", "{")
        if self.compiled:
            text = re.sub(r"\b(\w+)\._id\b", r"properties(\1)._id", text)
            m = re.match(r"CREATE \((\w+):(\w+) \{_id: \$(\w+), (.*)\}\)$", text)
            if m:
                var, label, param, rest = m.groups()
                text = f"CREATE ({var}:{label} {{{rest}}}) SET {var}._id = ${param}"
        return text


class KuzuEngine(Engine):
    """Kuzu, loaded with COPY from the Parquet files; primary key ``id``, business key ``bkey``."""

    name = "kuzu"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        import kuzu

        self.mod = kuzu
        self.db: Any = None
        self.con: Any = None
        self.prepared: dict[str, Any] = {}
        self.patterns: dict[str, str] = {}

    def version(self) -> str:
        return str(self.mod.__version__)

    def _file(self) -> str:
        return str(self.path / "kuzu.db")

    def create(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        self.open()

    def open(self) -> None:
        self.db = self.mod.Database(self._file())
        self.con = self.mod.Connection(self.db)
        self.prepared = {}

    def close(self) -> None:
        self.prepared = {}
        if self.con is not None:
            self.con.close()
        if self.db is not None:
            self.db.close()
        self.con = self.db = None

    @staticmethod
    def _columns(path: Path, skip: int) -> str:
        types = {"int64": "INT64", "string": "STRING", "large_string": "STRING", "double": "DOUBLE"}
        schema = pq.read_schema(path)
        cols = []
        for field in list(schema)[skip:]:
            col = "bkey" if field.name == "_id" else field.name
            cols.append(f"{col} {types[str(field.type)]}")
        return ", ".join(cols)

    def _schema(self, data_dir: Path) -> list[str]:
        ddl: list[str] = []
        rels: dict[str, dict[str, Any]] = {}
        for kind, name, path in parquet_files(data_dir):
            if kind == "node":
                # id first: COPY maps Parquet columns by position, and id is the primary key.
                ddl.append(f"CREATE NODE TABLE {name}({self._columns(path, 0)}, PRIMARY KEY (id))")
            else:
                etype, src, dst = name.split("__")
                rel = rels.setdefault(etype, {"pairs": [], "props": self._columns(path, 2)})
                rel["pairs"].append(f"FROM {src} TO {dst}")
        for etype, rel in rels.items():
            props = f", {rel['props']}" if rel["props"] else ""
            ddl.append(f"CREATE REL TABLE {etype}({', '.join(rel['pairs'])}{props})")
        ddl.append("CREATE NODE TABLE Crash(id STRING, k INT64, PRIMARY KEY (id))")
        return ddl

    def ingest(self, data_dir: Path) -> tuple[int, float]:
        total, spent = 0, 0.0
        statements = []
        for kind, name, path in parquet_files(data_dir):
            total += pq.read_metadata(path).num_rows
            if kind == "node":
                statements.append(f"COPY {name} FROM '{path}'")
            else:
                etype, src, dst = name.split("__")
                statements.append(f"COPY {etype} FROM '{path}' (from='{src}', to='{dst}')")
        t0 = time.perf_counter()
        for stmt in self._schema(data_dir):
            self.con.execute(stmt)
        for stmt in statements:
            self.con.execute(stmt)
        self.con.execute("CHECKPOINT")  # the counterpart of namidb's flush
        spent = time.perf_counter() - t0
        return total, spent

    def _run(self, text: str, params: dict[str, Any]) -> Any:
        stmt = self.prepared.get(text)
        if stmt is None:
            stmt = self.prepared[text] = self.con.prepare(text)
        return self.con.execute(stmt, params)

    def lookup_node(self, label: str, node_id: str) -> dict[str, Any] | None:
        res = self._run(f"MATCH (n:{label}) WHERE n.id = $id RETURN n.*", {"id": node_id})
        rows = res.get_all()
        if not rows:
            return None
        props = {c.split(".", 1)[1]: v for c, v in zip(res.get_column_names(), rows[0], strict=True)}
        if "bkey" in props:
            props["_id"] = props.pop("bkey")
        return props

    def out_edges(self, edge_type: str, src: str) -> int:
        pattern = self.patterns.get(edge_type)
        if pattern is None:
            # Label both ends when the relationship table has one FROM/TO pair: Kuzu then starts from
            # the primary-key index of one node table instead of probing every table.
            pairs = self.con.execute(f"CALL show_connection('{edge_type}') RETURN *").get_all()
            a, b = (f":{pairs[0][0]}", f":{pairs[0][1]}") if len(pairs) == 1 else ("", "")
            pattern = self.patterns[edge_type] = f"MATCH (a{a})-[e:{edge_type}]->(b{b})"
        res = self._run(f"{pattern} WHERE a.id = $id RETURN b.id, e", {"id": src})
        return len(res.get_all())

    def scan_label(self, label: str) -> int:
        return int(self._run(f"MATCH (n:{label}) RETURN n.*", {}).get_as_arrow().num_rows)

    def cypher(self, text: str, params: dict[str, Any]) -> list[list[Any]]:
        return [list(r) for r in self._run(text, params).get_all()]

    def compact(self) -> Any:
        raise NotImplementedError("no compaction step: COPY writes final storage, CHECKPOINT is in ingest")

    def crash_write(self, rows: list[dict[str, Any]]) -> None:
        self._run("UNWIND $rows AS r CREATE (:Crash {id: r.id, k: r.k})", {"rows": rows})

    def rewrite(self, text: str) -> str:
        return re.sub(r"\b_id\b", "bkey", text)


ENGINES = ("namidb", "kuzu", "namidb-compiled")


def make_engine(name: str, path: Path) -> Engine:
    """The adapter for ``name`` over a database at ``path``."""
    if name == "namidb":
        return NamidbEngine(path, compiled=False)
    if name == "namidb-compiled":
        return NamidbEngine(path, compiled=True)
    if name == "kuzu":
        return KuzuEngine(path)
    raise ValueError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
