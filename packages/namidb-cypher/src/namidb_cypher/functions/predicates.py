"""Predicate functions on values: ``exists`` and ``isEmpty``.

(The pattern form ``exists((n)-->())`` and ``EXISTS { ... }`` subqueries are planned
by the executor, not evaluated here.)
"""

from __future__ import annotations

from typing import Any

from namidb_cypher.functions.registry import FunctionDef
from namidb_cypher.semantics.types import invalid_argument_type, is_list, is_map, type_name
from namidb_cypher.values import Node, Path, Relationship

__all__ = ["FUNCTIONS", "exists", "is_empty"]


def exists(value: Any) -> bool:
    """``exists(x)``: true when ``x`` is not null (``exists(n.prop)``)."""
    return value is not None


def is_empty(value: Any) -> bool | None:
    """``isEmpty(x)``: true for an empty list, map or string."""
    if value is None:
        return None
    if isinstance(value, (Node, Relationship, Path)):
        raise invalid_argument_type(f"isEmpty() expects a LIST, MAP or STRING, got {type_name(value)}")
    if isinstance(value, str) or is_list(value) or is_map(value):
        return len(value) == 0
    raise invalid_argument_type(f"isEmpty() expects a LIST, MAP or STRING, got {type_name(value)}")


FUNCTIONS: tuple[FunctionDef, ...] = (
    FunctionDef("exists", 1, 1, exists, null_in_null_out=False),
    FunctionDef("isEmpty", 1, 1, is_empty),
)
