"""Rule: answer an equality on an indexed property with an index seek instead of a label scan.

``MATCH (p:Person {name: $n})`` and ``MATCH (p:Person) WHERE p.name = $n``
both scan every person and filter. When the schema has an index covering
``:Person(name)``, the scan becomes a :class:`~namidb_cypher.planner.match_plan.IndexSeek`:
per input row the value is evaluated once and the matching nodes come
straight from the snapshot's hash index. The rule has two halves:

* :func:`choose_starts` (after ``join_order``) starts a pattern part at a
  node that can seek, unless the part already starts at a bound variable —
  a seek is a hash lookup, cheaper than any label scan;
* :func:`apply` (after ``pushdown_filters``) rewrites each seekable
  ``ScanNodes`` into an ``IndexSeek``, absorbing the WHERE conjunct that
  pushdown placed right after it.

The value must not read the node itself nor anything bound later, and must
be deterministic (``rand()`` evaluated once per row instead of once per
candidate would change the result).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from namidb_cypher.ast import nodes as ast
from namidb_cypher.executor.vecexpr import free_variables
from namidb_cypher.planner.match_plan import (
    Filter,
    IndexSeek,
    MatchPlan,
    PartPlan,
    ScanNodes,
    Step,
    conjuncts,
    step_binds,
)

if TYPE_CHECKING:
    from namidb_cypher.schema import Schema

__all__ = ["apply", "choose_starts"]

_NONDETERMINISTIC = frozenset({"rand", "randomuuid"})


def _usable_value(value: ast.Expression, var: str, available: set[str] | frozenset[str]) -> bool:
    names = free_variables(value)
    if var in names or not names <= available:
        return False
    return not any(
        isinstance(x, ast.FunctionCall) and x.lower_name in _NONDETERMINISTIC for x in ast.walk(value)
    )


def _single_label(node: ast.NodePattern) -> str | None:
    return node.labels[0][0] if node.labels and len(node.labels[0]) == 1 else None


def _inline_equality(
    node: ast.NodePattern, var: str, label: str, schema: Schema, available: set[str] | frozenset[str]
) -> tuple[str, ast.Expression] | None:
    if not isinstance(node.properties, ast.MapLiteral):
        return None
    for key, value in node.properties.items:
        if schema.has_index(label, key) and _usable_value(value, var, available):
            return key, value
    return None


def _where_equality(
    predicate: ast.Expression, var: str, label: str, schema: Schema, available: set[str] | frozenset[str]
) -> tuple[str, ast.Expression] | None:
    """``(key, value)`` when ``predicate`` is ``var.key = value`` (either side) on an indexed key."""
    if not (isinstance(predicate, ast.Comparison) and predicate.ops == ("=",)):
        return None
    left, right = predicate.operands
    for prop, value in ((left, right), (right, left)):
        if (
            isinstance(prop, ast.Property)
            and isinstance(prop.subject, ast.Variable)
            and prop.subject.name == var
            and schema.has_index(label, prop.key)
            and _usable_value(value, var, available)
        ):
            return prop.key, value
    return None


def choose_starts(plan: MatchPlan, schema: Schema) -> MatchPlan:
    """Start each part that has no bound node at a node an index can seek (the leftmost such)."""
    where = conjuncts(plan.where) if plan.where is not None else []
    bound = set(plan.bound)
    parts: list[PartPlan] = []
    for part in plan.parts:
        element = part.part.element
        if element.shortest is None and not any(v in bound for v in part.node_vars):
            current = part.start
            for i, node in enumerate(element.nodes):
                if _seekable_node(node, part.node_vars[i], schema, where, bound):
                    if not _seekable_node(
                        element.nodes[current], part.node_vars[current], schema, where, bound
                    ):
                        part = replace(part, start=i)
                    break
        parts.append(part)
        bound.update(part.node_vars)
        bound.update(part.rel_vars)
    return replace(plan, parts=tuple(parts))


def _seekable_node(
    node: ast.NodePattern, var: str, schema: Schema, where: list[ast.Expression], bound: set[str]
) -> bool:
    label = _single_label(node)
    if label is None:
        return False
    if _inline_equality(node, var, label, schema, bound) is not None:
        return True
    return any(_where_equality(c, var, label, schema, bound) is not None for c in where)


def apply(plan: MatchPlan, schema: Schema) -> MatchPlan:
    """Replace every seekable label scan in the laid-out steps by an :class:`IndexSeek`."""
    steps = list(plan.steps)
    bound = set(plan.bound)
    i = 0
    while i < len(steps):
        step = steps[i]
        if isinstance(step, ScanNodes) and step.label is not None:
            seek = _seek_for(step, step.label, steps, i, schema, bound)
            if seek is not None:
                steps[i], absorbed = seek
                if absorbed is not None:
                    del steps[absorbed]
        bound.update(step_binds(steps[i]))
        i += 1
    return replace(plan, steps=tuple(steps))


def _seek_for(
    scan: ScanNodes, label: str, steps: list[Step], at: int, schema: Schema, bound: set[str]
) -> tuple[IndexSeek, int | None] | None:
    found = _inline_equality(scan.node, scan.var, label, schema, bound)
    if found is not None:
        return IndexSeek(scan.var, scan.node, label, found[0], found[1]), None
    # The conjuncts pushdown placed right after the scan are the ones that read only what is bound by then.
    j = at + 1
    while j < len(steps) and isinstance(steps[j], Filter):
        f = steps[j]
        assert isinstance(f, Filter)
        found = _where_equality(f.predicate, scan.var, label, schema, bound)
        if found is not None:
            return IndexSeek(scan.var, scan.node, label, found[0], found[1], f.predicate), j
        j += 1
    return None
