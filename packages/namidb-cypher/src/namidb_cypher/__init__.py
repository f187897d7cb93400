"""namidb's Cypher frontend: grammar, binder, planner, optimizer and vectorized executor."""

from namidb_cypher.__about__ import __version__
from namidb_cypher.binder import BoundStatement, ProcedureSignature, bind
from namidb_cypher.errors import (
    ConstraintVerificationError,
    CypherArgumentError,
    CypherArithmeticError,
    CypherError,
    CypherSemanticError,
    CypherSyntaxError,
    CypherTypeError,
    EntityNotFoundError,
    ParameterMissingError,
    ProcedureError,
)
from namidb_cypher.parser import parse

__all__ = [
    "__version__",
    # frontend
    "parse",
    "bind",
    "BoundStatement",
    "ProcedureSignature",
    # errors
    "CypherError",
    "CypherSyntaxError",
    "CypherSemanticError",
    "CypherTypeError",
    "CypherArgumentError",
    "CypherArithmeticError",
    "ConstraintVerificationError",
    "EntityNotFoundError",
    "ParameterMissingError",
    "ProcedureError",
]
