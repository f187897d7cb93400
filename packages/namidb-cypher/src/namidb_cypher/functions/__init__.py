"""The Cypher function library: a case-insensitive registry of scalar and aggregate functions.

``lookup(name)`` gives a :class:`FunctionDef` (arity, implementation, flags) or None;
aggregates build accumulators through :func:`make_accumulator`. The operators that
are not functions but share their semantics — ``x[i]``, ``x[a..b]``, ``STARTS WITH``,
``ENDS WITH``, ``CONTAINS``, ``=~`` — are exported here too.
"""

from namidb_cypher.functions.aggregate import Accumulator, CountStar, Distinct, make_accumulator
from namidb_cypher.functions.list import OMITTED, list_slice, subscript
from namidb_cypher.functions.registry import FunctionDef, all_functions, lookup, register
from namidb_cypher.functions.string import contains, ends_with, regex_match, starts_with

__all__ = [
    "FunctionDef",
    "lookup",
    "register",
    "all_functions",
    "Accumulator",
    "CountStar",
    "Distinct",
    "make_accumulator",
    "subscript",
    "list_slice",
    "OMITTED",
    "starts_with",
    "ends_with",
    "contains",
    "regex_match",
]
