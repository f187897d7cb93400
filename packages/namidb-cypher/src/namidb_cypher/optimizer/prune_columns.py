"""Rule: drop the variables no later clause reads.

After ``MATCH (a)-[r]->(b)-[s]->(c) WITH a, c ...`` the columns ``r``, ``b``
and ``s`` would otherwise be copied by every later expansion and filter. For
each clause of a query part this rule computes which variables the clauses
after it (up to and including the next WITH/RETURN, which starts a new scope)
still read; the runner keeps only those. A ``*`` projection keeps everything.
"""

from __future__ import annotations

from collections.abc import Sequence

from namidb_cypher.ast import nodes as ast
from namidb_cypher.executor.vecexpr import free_variables

__all__ = ["live_after"]


def _reads(clause: ast.Clause) -> set[str]:
    return free_variables(clause)


def live_after(clauses: Sequence[ast.Clause]) -> list[frozenset[str] | None]:
    """For each clause, the variables later clauses may read (None: keep every column)."""
    out: list[frozenset[str] | None] = [None] * len(clauses)
    live: set[str] | None = None  # after the last clause nothing is read
    for i in range(len(clauses) - 1, -1, -1):
        out[i] = None if live is None else frozenset(live)
        clause = clauses[i]
        if isinstance(clause, (ast.With, ast.Return)):
            # A projection starts a new scope: before it, only what it reads matters.
            live = None if clause.projection.star else _reads(clause)
        elif live is not None:
            live |= _reads(clause)
    return out
