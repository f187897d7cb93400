"""The optimizer: an ordered tuple of rewrite rules, one module each (sqlglot's shape).

Each rule takes a plan and returns an equivalent, cheaper one:

1. :mod:`~namidb_cypher.optimizer.join_order` — start every pattern part at its
   cheapest node (bound variable, then lowest estimated cardinality);
2. :mod:`~namidb_cypher.optimizer.index_lookup` (start choice) — when the
   schema indexes a node's equality, start its part there;
3. :mod:`~namidb_cypher.optimizer.pushdown_filters` — split WHERE into
   conjuncts and run each right after the step that binds its variables;
4. :mod:`~namidb_cypher.optimizer.index_lookup` (rewrite) — turn a label scan
   with an indexed equality into a ``NodeIndexSeek``.

Across clauses, :mod:`~namidb_cypher.optimizer.prune_columns` drops the
variables no later clause reads, and
:mod:`~namidb_cypher.optimizer.limit_pushdown` pushes ORDER BY / SKIP / LIMIT
below the rest of a projection: the sort keys are computed for every row, the
other projected items only for the rows kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from namidb_cypher.optimizer import index_lookup, join_order, pushdown_filters
from namidb_cypher.planner.match_plan import Cardinality, MatchPlan, assemble

if TYPE_CHECKING:
    from namidb_cypher.schema import Schema

__all__ = ["optimize_match"]


def optimize_match(
    plan: MatchPlan, cardinality: Cardinality, *, enabled: bool = True, schema: Schema | None = None
) -> MatchPlan:
    """Apply the rules in order; with ``enabled=False`` only lay the naive plan out (for oracle tests).

    ``schema`` (its indexes) enables the index-lookup rule.
    """
    if not enabled:
        return assemble(plan)
    plan = join_order.apply(plan, cardinality)
    indexed = schema is not None and bool(schema.indexes)
    if indexed:
        assert schema is not None
        plan = index_lookup.choose_starts(plan, schema)
    plan = pushdown_filters.apply(plan)
    if indexed:
        assert schema is not None
        plan = index_lookup.apply(plan, schema)
    return plan
