"""The optimizer: an ordered tuple of rewrite rules, one module each (sqlglot's shape).

Each rule takes a plan and returns an equivalent, cheaper one:

1. :mod:`~namidb_cypher.optimizer.join_order` — start every pattern part at its
   cheapest node (bound variable, then lowest estimated cardinality);
2. :mod:`~namidb_cypher.optimizer.pushdown_filters` — split WHERE into
   conjuncts and run each right after the step that binds its variables.

ORDER BY + LIMIT runs as a top-k selection in the projection operator
(:mod:`namidb_cypher.executor.project`), not as a full sort.
"""

from __future__ import annotations

from namidb_cypher.optimizer import join_order, pushdown_filters
from namidb_cypher.planner.match_plan import Cardinality, MatchPlan, assemble

__all__ = ["optimize_match"]


def optimize_match(plan: MatchPlan, cardinality: Cardinality, *, enabled: bool = True) -> MatchPlan:
    """Apply the rules in order; with ``enabled=False`` only lay the naive plan out (for oracle tests)."""
    if not enabled:
        return assemble(plan)
    return pushdown_filters.apply(join_order.apply(plan, cardinality))
