"""Scalar functions over graph entities and general values.

``id``, ``elementId``, ``labels``, ``type``, ``startNode``, ``endNode``, ``nodes``,
``relationships``, ``length``, ``keys``, ``properties``, ``size``, ``reverse``,
``coalesce``, ``nullIf``, ``timestamp``, ``randomUUID``.

Entity functions work on :mod:`namidb_cypher.values` objects; a value of the wrong
kind raises ``TypeError: InvalidArgumentValue`` (TCK Graph3 [9], Graph4 [6]).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from namidb_cypher.functions.registry import FunctionDef
from namidb_cypher.semantics.compare import equals
from namidb_cypher.semantics.types import (
    invalid_argument_type,
    invalid_argument_value,
    is_list,
    is_map,
    type_name,
)
from namidb_cypher.values import Node, Path, Relationship

__all__ = [
    "FUNCTIONS",
    "coalesce",
    "element_id",
    "end_node",
    "entity_id",
    "keys",
    "labels",
    "length",
    "nodes",
    "null_if",
    "properties",
    "random_uuid",
    "relationship_type",
    "relationships",
    "reverse",
    "size",
    "start_node",
    "timestamp",
]


def entity_id(value: Any) -> int | None:
    """``id(x)``: the dense id of a node or relationship within the statement's snapshot."""
    if value is None:
        return None
    if isinstance(value, (Node, Relationship)):
        return value.id
    raise invalid_argument_value(f"id() expects a NODE or RELATIONSHIP, got {type_name(value)}")


def element_id(value: Any) -> str | None:
    """``elementId(x)``: the entity's stable key (its UUID string), or its id as text if it has none."""
    if value is None:
        return None
    if isinstance(value, (Node, Relationship)):
        return value.key or str(value.id)
    raise invalid_argument_value(f"elementId() expects a NODE or RELATIONSHIP, got {type_name(value)}")


def labels(value: Any) -> list[str] | None:
    """``labels(n)``: the node's labels."""
    if value is None:
        return None
    if isinstance(value, Node):
        return list(value.labels)
    raise invalid_argument_value(f"labels() expects a NODE, got {type_name(value)}")


def relationship_type(value: Any) -> str | None:
    """``type(r)``: the relationship's type."""
    if value is None:
        return None
    if isinstance(value, Relationship):
        return value.type
    raise invalid_argument_value(f"type() expects a RELATIONSHIP, got {type_name(value)}")


def _end(value: Any, resolve_node: Callable[[int], Node], start: bool) -> Node | None:
    if value is None:
        return None
    if isinstance(value, Relationship):
        return resolve_node(value.start if start else value.end)
    which = "startNode" if start else "endNode"
    raise invalid_argument_value(f"{which}() expects a RELATIONSHIP, got {type_name(value)}")


def start_node(resolve_node: Callable[[int], Node], value: Any) -> Node | None:
    """``startNode(r)``; ``resolve_node`` turns the relationship's start id into a Node."""
    return _end(value, resolve_node, start=True)


def end_node(resolve_node: Callable[[int], Node], value: Any) -> Node | None:
    """``endNode(r)``; ``resolve_node`` turns the relationship's end id into a Node."""
    return _end(value, resolve_node, start=False)


def nodes(value: Any) -> list[Node] | None:
    """``nodes(p)``: the path's nodes in order."""
    if value is None:
        return None
    if isinstance(value, Path):
        return list(value.nodes)
    raise invalid_argument_value(f"nodes() expects a PATH, got {type_name(value)}")


def relationships(value: Any) -> list[Relationship] | None:
    """``relationships(p)``: the path's relationships in order."""
    if value is None:
        return None
    if isinstance(value, Path):
        return list(value.relationships)
    raise invalid_argument_value(f"relationships() expects a PATH, got {type_name(value)}")


def length(value: Any) -> int | None:
    """``length(p)``: the number of relationships in a path."""
    if value is None:
        return None
    if isinstance(value, Path):
        return len(value.relationships)
    raise invalid_argument_type(f"length() expects a PATH, got {type_name(value)}")


def keys(value: Any) -> list[str] | None:
    """``keys(x)``: property keys of a node or relationship, or the keys of a map (null-valued included)."""
    if value is None:
        return None
    if isinstance(value, (Node, Relationship)):
        return [k for k, v in value.properties.items() if v is not None]
    if is_map(value):
        return list(value.keys())
    raise invalid_argument_type(f"keys() expects a MAP, NODE or RELATIONSHIP, got {type_name(value)}")


def properties(value: Any) -> dict[str, Any] | None:
    """``properties(x)``: a node's or relationship's properties as a map, or a map unchanged (TCK Graph9)."""
    if value is None:
        return None
    if isinstance(value, (Node, Relationship)):
        return {k: v for k, v in value.properties.items() if v is not None}
    if is_map(value):
        return dict(value)
    raise invalid_argument_type(f"properties() expects a MAP, NODE or RELATIONSHIP, got {type_name(value)}")


def size(value: Any) -> int | None:
    """``size(x)``: number of elements of a list or of characters (code points) of a string."""
    if value is None:
        return None
    if isinstance(value, str) or is_list(value):
        return len(value)
    raise invalid_argument_type(f"size() expects a STRING or LIST, got {type_name(value)}")


def reverse(value: Any) -> Any:
    """``reverse(x)``: a string's characters or a list's elements in reverse order."""
    if value is None:
        return None
    if isinstance(value, str):
        return value[::-1]
    if is_list(value):
        return list(reversed(value))
    raise invalid_argument_type(f"reverse() expects a STRING or LIST, got {type_name(value)}")


def coalesce(*values: Any) -> Any:
    """``coalesce(a, b, ...)``: the first argument that is not null, else null."""
    for value in values:
        if value is not None:
            return value
    return None


def null_if(value: Any, other: Any) -> Any:
    """``nullIf(v, w)``: null when ``v = w`` is true, else ``v``."""
    return None if equals(value, other) is True else value


def timestamp() -> int:
    """``timestamp()``: milliseconds since the Unix epoch (evaluate it once per statement)."""
    return time.time_ns() // 1_000_000


def random_uuid() -> str:
    """``randomUUID()``: a random (version 4) UUID string."""
    return str(uuid.uuid4())


FUNCTIONS: tuple[FunctionDef, ...] = (
    FunctionDef("id", 1, 1, entity_id),
    FunctionDef("elementId", 1, 1, element_id),
    FunctionDef("labels", 1, 1, labels),
    FunctionDef("type", 1, 1, relationship_type),
    FunctionDef("startNode", 1, 1, start_node, needs_node_lookup=True),
    FunctionDef("endNode", 1, 1, end_node, needs_node_lookup=True),
    FunctionDef("nodes", 1, 1, nodes),
    FunctionDef("relationships", 1, 1, relationships),
    FunctionDef("length", 1, 1, length),
    FunctionDef("keys", 1, 1, keys),
    FunctionDef("properties", 1, 1, properties),
    FunctionDef("size", 1, 1, size),
    FunctionDef("reverse", 1, 1, reverse),
    FunctionDef("coalesce", 1, None, coalesce, null_in_null_out=False),
    FunctionDef("nullIf", 2, 2, null_if, null_in_null_out=False),
    FunctionDef("timestamp", 0, 0, timestamp, deterministic=False),
    FunctionDef("randomUUID", 0, 0, random_uuid, deterministic=False),
)
