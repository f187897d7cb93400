"""Rule: with ORDER BY / SKIP / LIMIT, compute only the sort keys for every row.

``RETURN p.content ORDER BY p.creationDate DESC LIMIT 10`` needs
``p.creationDate`` for every row but ``p.content`` for ten. When a projection
neither aggregates nor deduplicates (rows map one to one onto its input), the
projection operator picks the surviving rows first — with the items ORDER BY
and WHERE read — and computes the other items for those rows only (late
materialization). This module decides when that applies and which items
must be computed early.
"""

from __future__ import annotations

from collections.abc import Sequence

from namidb_cypher.ast import nodes as ast
from namidb_cypher.executor.vecexpr import free_variables

__all__ = ["early_items", "pages_first"]


def pages_first(projection: ast.Projection, aggregating: bool) -> bool:
    """Whether the projection should select its rows before computing most items."""
    return (
        not aggregating
        and not projection.distinct
        and bool(projection.order_by or projection.limit is not None)
    )


def early_items(projection: ast.Projection, where: ast.Expression | None, names: Sequence[str]) -> set[str]:
    """The projected names ORDER BY or WHERE read (they must exist for every row)."""
    needed: set[str] = set()
    for sort in projection.order_by:
        needed |= free_variables(sort.expression)
    if where is not None:
        needed |= free_variables(where)
    return needed & set(names)
