"""Rule: split WHERE into conjuncts and run each as soon as its variables are bound.

``MATCH (a:Person)-[:KNOWS]->(b) WHERE a.age > 30 AND b.name = 'x'`` filters
``a`` right after the scan — before the expansion multiplies the rows — and
``b`` right after the hop. A conjunction's value does not depend on the order
its parts are applied in, so the result is the same; only the work shrinks.
"""

from __future__ import annotations

from dataclasses import replace

from namidb_cypher.executor.vecexpr import free_variables
from namidb_cypher.planner.match_plan import Filter, MatchPlan, Step, assemble, conjuncts, step_binds

__all__ = ["apply"]


def apply(plan: MatchPlan) -> MatchPlan:
    """Lay out the plan's steps with each WHERE conjunct right after its last variable is bound."""
    laid_out = assemble(replace(plan, filters=()))
    if plan.where is None:
        return laid_out
    pattern_vars: set[str] = set()
    for step in laid_out.steps:
        pattern_vars.update(step_binds(step))
    pending = [
        Filter(c, frozenset(free_variables(c) & (pattern_vars | plan.bound))) for c in conjuncts(plan.where)
    ]
    steps: list[Step] = []
    bound = set(plan.bound)

    def place_ready() -> None:
        for f in list(pending):
            if f.variables <= bound:
                steps.append(f)
                pending.remove(f)

    place_ready()
    for step in laid_out.steps:
        steps.append(step)
        bound.update(step_binds(step))
        place_ready()
    steps.extend(pending)
    return replace(laid_out, steps=tuple(steps), filters=())
