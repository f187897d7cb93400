"""List functions and the list access operators.

Registered: ``range``, ``head``, ``last``, ``tail`` (``size``, ``reverse`` and
``coalesce`` are in :mod:`~namidb_cypher.functions.scalar`).

Operators (not functions): :func:`subscript` for ``x[i]`` / ``m[key]`` and
:func:`list_slice` for ``x[from..to]``.
"""

from __future__ import annotations

from typing import Any, Final

from namidb_cypher.errors import RUNTIME, CypherArgumentError, CypherTypeError
from namidb_cypher.functions.registry import FunctionDef
from namidb_cypher.semantics.types import invalid_argument_type, is_int, is_list, is_map, type_name
from namidb_cypher.values import Node, Relationship

__all__ = ["FUNCTIONS", "OMITTED", "cypher_range", "head", "last", "list_slice", "subscript", "tail"]


def _range_bound(value: Any, what: str) -> int:
    if not is_int(value):
        # TCK List11 [5]: floats (even 0.0), booleans, strings, lists and maps are rejected.
        raise CypherArgumentError(
            f"range() expects an INTEGER {what}, got {type_name(value)}",
            code="InvalidArgumentType",
            phase=RUNTIME,
        )
    return int(value)


def cypher_range(start: Any, end: Any, step: Any = 1) -> list[int] | None:
    """``range(start, end[, step])``: integers from ``start`` to ``end`` inclusive.

    A step of zero raises ``ArgumentError: NumberOutOfRange`` (TCK List11 [4]); a step
    that points away from ``end`` gives ``[]``.
    """
    if start is None or end is None or step is None:
        return None
    first, stop = _range_bound(start, "start"), _range_bound(end, "end")
    increment = _range_bound(step, "step")
    if increment == 0:
        raise CypherArgumentError("range() step must not be zero", code="NumberOutOfRange", phase=RUNTIME)
    return list(range(first, stop + (1 if increment > 0 else -1), increment))


def _list(value: Any, function: str) -> list[Any] | tuple[Any, ...]:
    if not is_list(value):
        raise invalid_argument_type(f"{function}() expects a LIST, got {type_name(value)}")
    return value  # type: ignore[no-any-return]


def head(value: Any) -> Any:
    """``head(list)``: the first element, or null for an empty list."""
    if value is None:
        return None
    items = _list(value, "head")
    return items[0] if items else None


def last(value: Any) -> Any:
    """``last(list)``: the last element, or null for an empty list."""
    if value is None:
        return None
    items = _list(value, "last")
    return items[-1] if items else None


def tail(value: Any) -> list[Any] | None:
    """``tail(list)``: all but the first element (``[]`` for an empty list)."""
    if value is None:
        return None
    return list(_list(value, "tail")[1:])


# ---------------------------------------------------------------------------------------------
# Operators
# ---------------------------------------------------------------------------------------------


def subscript(container: Any, index: Any) -> Any:
    """``container[index]``: list element (negative counts from the end; out of range is null),
    map value or entity property by string key (missing is null)."""
    if container is None or index is None:
        return None
    if is_list(container):
        if not is_int(index):
            raise invalid_argument_type(f"a LIST index must be an INTEGER, got {type_name(index)}")
        position = int(index)
        size = len(container)
        if -size <= position < size:
            return container[position]
        return None
    if isinstance(container, (Node, Relationship)) or is_map(container):
        if not isinstance(index, str):
            raise CypherTypeError(
                f"a MAP key must be a STRING, got {type_name(index)}",
                code="MapElementAccessByNonString",
                phase=RUNTIME,
            )
        mapping = container.properties if isinstance(container, (Node, Relationship)) else container
        return mapping.get(index)
    raise invalid_argument_type(f"cannot index into {type_name(container)}")


# A bound left out of a slice (``x[1..]``), as opposed to an explicit null bound, which makes it null.
OMITTED: Final[Any] = object()


def list_slice(container: Any, start: Any = OMITTED, end: Any = OMITTED) -> list[Any] | None:
    """``container[start..end]``: Python slice semantics (negative from the end, clamped, end exclusive)."""
    if container is None or start is None or end is None:
        return None
    if not is_list(container):
        raise invalid_argument_type(f"cannot slice {type_name(container)}")
    bounds: list[int | None] = []
    for bound in (start, end):
        if bound is OMITTED:
            bounds.append(None)
        elif is_int(bound):
            bounds.append(int(bound))
        else:
            raise invalid_argument_type(f"a LIST slice bound must be an INTEGER, got {type_name(bound)}")
    return list(container[bounds[0] : bounds[1]])


FUNCTIONS: tuple[FunctionDef, ...] = (
    FunctionDef("range", 2, 3, cypher_range),
    FunctionDef("head", 1, 1, head),
    FunctionDef("last", 1, 1, last),
    FunctionDef("tail", 1, 1, tail),
)
