"""Rule: start each pattern part at its cheapest node.

A part can be matched from any of its nodes. Starting from a variable that
is already bound costs nothing; otherwise the estimated cardinality of the
start node decides — a label's node count from the snapshot's statistics,
discounted when an inline property map will filter the scan at once —
so ``MATCH (p:Post)-[:HAS_CREATOR]->(a:Person {_id: 7})`` starts at the one
person, not at every post.
"""

from __future__ import annotations

from dataclasses import replace

from namidb_cypher.planner.match_plan import Cardinality, MatchPlan, PartPlan

__all__ = ["apply"]

# How much an inline property map is assumed to cut a scan (an equality on one key).
_PROPERTY_SELECTIVITY = 0.01


def _cost(plan: PartPlan, index: int, bound: frozenset[str], cardinality: Cardinality) -> float:
    if plan.node_vars[index] in bound:
        return -1.0
    node = plan.part.element.nodes[index]
    label = node.labels[0][0] if node.labels and len(node.labels[0]) == 1 else None
    estimate = float(cardinality(label))
    if node.properties is not None:
        estimate *= _PROPERTY_SELECTIVITY
    return estimate


def apply(plan: MatchPlan, cardinality: Cardinality) -> MatchPlan:
    """Choose every part's start node by estimated cost (ties keep the leftmost)."""
    bound = set(plan.bound)
    parts: list[PartPlan] = []
    for part in plan.parts:
        frozen = frozenset(bound)
        if part.part.element.shortest is None:
            costs = [_cost(part, i, frozen, cardinality) for i in range(len(part.node_vars))]
            part = replace(part, start=min(range(len(costs)), key=costs.__getitem__))
        parts.append(part)
        bound.update(part.node_vars)
        bound.update(part.rel_vars)
    return replace(plan, parts=tuple(parts))
