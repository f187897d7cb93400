"""The glue between the storage engine and the Cypher executor.

* :func:`snapshot_graph` presents an engine snapshot as the executor's base
  graph (:class:`namidb_cypher.graph.ArrowGraph`): one node block per
  primary-label partition, one relationship block per edge type.
* :func:`stage_changes` turns a statement's net effect (a ``ChangeSet``) into
  staging calls on the engine, so the caller commits it as one batch.
* :func:`to_python` maps executor values to the user-facing type table.

Nodes without labels live in a reserved partition, :data:`UNLABELLED`, that
is never shown as a label. Constraints and indexes are nodes of another
reserved partition (``__schema``): :func:`snapshot_schema` reads them and
:func:`stage_schema` stages a DDL command's changes, so the schema is
committed, flushed, compacted and recovered exactly like data. Every other
``__``-prefixed partition is hidden from the graph.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from namidb._temporal import register_storage, to_user
from namidb_core.errors import InvalidArgumentError
from namidb_core.storage import Engine
from namidb_core.storage.columns import arrow_column_to_python, is_codec_field
from namidb_core.storage.layout import DST, EKEY, ID, LABELS, SRC
from namidb_core.storage.snapshot import Snapshot
from namidb_core.values import one_chunk
from namidb_cypher.graph import ArrowGraph, ChangeSet, NodeBlock, RelBlock, TxGraph
from namidb_cypher.schema import SCHEMA_PARTITION, Schema, SchemaChange
from namidb_cypher.temporal import Temporal
from namidb_cypher.values import Node, Path, Relationship

__all__ = [
    "UNLABELLED",
    "snapshot_graph",
    "snapshot_schema",
    "stage_changes",
    "stage_schema",
    "to_python",
]

register_storage()  # the engine must be able to store the temporal values Cypher computes

#: The partition holding nodes that have no label.
UNLABELLED = "__unlabelled"


def _properties(t: pa.Table) -> dict[str, Any]:
    """The property columns of a stored table; codec-encoded (mixed-type) columns become object arrays."""
    out: dict[str, Any] = {}
    for i, f in enumerate(t.schema):
        if f.name.startswith("__"):
            continue
        col = t.column(i)
        if is_codec_field(f):
            values = arrow_column_to_python(f, col)
            objects = np.empty(len(values), dtype=object)
            objects[:] = values
            out[f.name] = objects
        else:
            out[f.name] = one_chunk(col)
    return out


def _node_block(snapshot: Snapshot, partition: str) -> NodeBlock | None:
    t = snapshot.partition_nodes(partition)
    if t.num_rows == 0:
        return None
    column = t.column(LABELS)
    own = tuple(x for x in [partition] if x != UNLABELLED)
    if column.null_count == len(column):  # the usual case: just the primary label, one shared tuple
        labels = [own] * t.num_rows
    else:
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per distinct label set
        labels = [
            shared.setdefault(key, key)
            for key in (
                own if ls is None else tuple(x for x in ls if x != UNLABELLED) for ls in column.to_pylist()
            )
        ]
    # Keys stay 16 raw bytes (the graph formats one only when it is asked for).
    return NodeBlock(one_chunk(t.column(ID)), labels, _properties(t), partition)


def _rel_block(snapshot: Snapshot, edge_type: str) -> RelBlock | None:
    t = snapshot.partition_edges(edge_type)
    if t.num_rows == 0:
        return None
    # Keys stay 16 raw bytes; the graph formats one only when a relationship's key is asked for.
    keys = one_chunk(t.column(EKEY))
    ends = [one_chunk(t.column(c)) for c in (SRC, DST)]
    return RelBlock(edge_type, ends[0], ends[1], keys, _properties(t))


def snapshot_graph(snapshot: Snapshot) -> ArrowGraph:
    """The executor's base graph over ``snapshot``."""
    partitions = [p for p in sorted(snapshot.node_partitions()) if p == UNLABELLED or not p.startswith("__")]
    nodes = [n for p in partitions if (n := _node_block(snapshot, p)) is not None]
    rels = [r for t in snapshot.edge_types() if (r := _rel_block(snapshot, t)) is not None]
    return ArrowGraph(nodes, rels)


def snapshot_schema(snapshot: Snapshot) -> Schema:
    """The constraints and indexes stored in ``snapshot``."""
    if SCHEMA_PARTITION not in snapshot.node_partitions():
        return Schema()
    t = snapshot.partition_nodes(SCHEMA_PARTITION)
    keep = [f.name for f in t.schema if not f.name.startswith("__")]
    return Schema.from_stored(t.select(keep).to_pylist())


def _schema_key(name: str) -> str:
    # Keyed by name: a schema object's name is unique, so re-creating a dropped name reuses the key.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "namidb:schema:" + name))


def stage_schema(engine: Engine, changes: list[SchemaChange]) -> None:
    """Stage a DDL command's schema changes on ``engine`` (the caller commits)."""
    for change in changes:
        key = _schema_key(change.obj.name)
        if change.op == "drop":
            engine.tombstone_node(SCHEMA_PARTITION, key)
        else:
            engine.upsert_node(SCHEMA_PARTITION, key, change.obj.to_properties())


def new_key() -> str:
    """A fresh key for an entity created by Cypher."""
    from namidb_core.ids import uuid7

    return str(uuid7())


def stage_changes(engine: Engine, base: ArrowGraph | TxGraph, changes: ChangeSet) -> None:
    """Stage a statement's writes on ``engine`` (the caller commits)."""
    for key, labels in changes.deleted_nodes:
        engine.tombstone_node(labels[0] if labels else UNLABELLED, key)
    for node in changes.nodes:
        partition = node.labels[0] if node.labels else UNLABELLED
        if node.labels and partition.startswith("__"):
            # `__` partitions are reserved (the schema lives in one) and hidden from the graph.
            raise InvalidArgumentError(f"labels starting with '__' are reserved: {partition!r}")
        if not node.created:
            before = base.node_partition(node.id) or UNLABELLED
            if before != partition:
                engine.tombstone_node(before, node.key)
        engine.upsert_node(
            partition, node.key, dict(node.properties), labels=list(node.labels) or [UNLABELLED]
        )
    for rel_type, src, dst, key in changes.deleted_rels:
        engine.tombstone_edge(rel_type, src, dst, edge_key=uuid.UUID(key).bytes)
    for rel in changes.rels:
        ekey = uuid.UUID(rel.key).bytes
        engine.upsert_edge(rel.type, rel.src_key, rel.dst_key, dict(rel.properties), edge_key=ekey)


def to_python(value: Any, node_key: Callable[[int], str]) -> Any:
    """An executor value in the user-facing form of the type-mapping table.

    ``node_key`` maps a relationship's dense endpoint ids to node UUIDs.
    """
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    if isinstance(value, Node):
        return {
            "_kind": "node",
            "id": value.key,
            "label": value.labels[0] if value.labels else None,
            "labels": list(value.labels),
            "properties": {k: to_python(v, node_key) for k, v in value.properties.items()},
        }
    if isinstance(value, Relationship):
        return {
            "_kind": "rel",
            "id": value.key,
            "edge_type": value.type,
            "src": node_key(value.start),
            "dst": node_key(value.end),
            "properties": {k: to_python(v, node_key) for k, v in value.properties.items()},
        }
    if isinstance(value, Path):
        out: list[Any] = [to_python(value.nodes[0], node_key)]
        for rel, node in zip(value.relationships, value.nodes[1:], strict=True):
            out.append(to_python(rel, node_key))
            out.append(to_python(node, node_key))
        return out
    if isinstance(value, list):
        return [to_python(v, node_key) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v, node_key) for k, v in value.items()}
    if isinstance(value, Temporal):
        return to_user(value)
    return value
