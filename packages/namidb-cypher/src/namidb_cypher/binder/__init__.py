"""The binder: scopes, variable kinds and static types; raises the TCK's compile-time errors."""

from namidb_cypher.binder.binder import (
    BoundClause,
    BoundQuery,
    BoundSingleQuery,
    BoundStatement,
    ProcedureSignature,
    bind,
    contains_aggregate,
    is_aggregate,
)
from namidb_cypher.binder.scope import Scope, VariableInfo, VariableKind

__all__ = [
    "bind",
    "BoundStatement",
    "BoundQuery",
    "BoundSingleQuery",
    "BoundClause",
    "ProcedureSignature",
    "Scope",
    "VariableInfo",
    "VariableKind",
    "contains_aggregate",
    "is_aggregate",
]
