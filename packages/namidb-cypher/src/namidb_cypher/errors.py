"""Cypher errors, shaped after the openCypher TCK.

Every error carries the TCK's three coordinates so a test (or a caller) can
check exactly what went wrong: ``tck_name`` (the error class the TCK names,
e.g. ``"SyntaxError"``), ``phase`` (``"compile time"`` or ``"runtime"``) and
``code`` (the TCK detail code, e.g. ``"VariableAlreadyBound"``). ``span`` points
into the query text when the error belongs to a place in it.

They derive from :class:`namidb_core.errors.NamiDBError` and deliberately *not*
from Python builtins: a ``CypherTypeError`` that were a ``TypeError`` would be
swallowed by any ``except TypeError`` guarding an executor bug.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from namidb_core.errors import NamiDBError
from namidb_cypher.ast.nodes import Span

__all__ = [
    "COMPILE_TIME",
    "RUNTIME",
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
    "error_class_for",
]

Phase = Literal["compile time", "runtime"]
COMPILE_TIME: Phase = "compile time"
RUNTIME: Phase = "runtime"


class CypherError(NamiDBError):
    """Base class of every error a Cypher statement raises.

    Args:
        message: human-readable explanation (for syntax errors it shows the query around the fault).
        code: the TCK detail code, e.g. ``"UndefinedVariable"``.
        phase: ``"compile time"`` (parser, binder, planner) or ``"runtime"`` (executor).
        span: where in the query text the fault is, when known.
    """

    tck_name: ClassVar[str] = "CypherError"

    def __init__(
        self,
        message: str,
        *,
        code: str,
        phase: Phase = COMPILE_TIME,
        span: Span | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.phase: Phase = phase
        self.span = span

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments defeat Exception's default pickling; errors cross process boundaries.
        return (_rebuild, (type(self), self.message, self.code, self.phase, self.span))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, phase={self.phase!r}, message={self.message!r})"


def _rebuild(cls: type[CypherError], message: str, code: str, phase: Phase, span: Span | None) -> CypherError:
    return cls(message, code=code, phase=phase, span=span)


class CypherSyntaxError(CypherError):
    """The TCK's ``SyntaxError``: the query is malformed or fails a static (binder) check."""

    tck_name = "SyntaxError"


class CypherSemanticError(CypherError):
    """The TCK's ``SemanticError``."""

    tck_name = "SemanticError"


class CypherTypeError(CypherError):
    """The TCK's ``TypeError``: a value of the wrong type (statically known or met at runtime)."""

    tck_name = "TypeError"


class CypherArgumentError(CypherError):
    """The TCK's ``ArgumentError``: a function or clause got an argument it cannot accept."""

    tck_name = "ArgumentError"


class CypherArithmeticError(CypherError):
    """The TCK's ``ArithmeticError`` (integer overflow, division by zero ...)."""

    tck_name = "ArithmeticError"


class ConstraintVerificationError(CypherError):
    """The TCK's ``ConstraintVerificationFailed`` (e.g. deleting a node that still has relationships)."""

    tck_name = "ConstraintVerificationFailed"


class EntityNotFoundError(CypherError):
    """The TCK's ``EntityNotFound``: a deleted node or relationship was accessed."""

    tck_name = "EntityNotFound"


class ParameterMissingError(CypherError):
    """The TCK's ``ParameterMissing``: the query uses ``$name`` and no value was given."""

    tck_name = "ParameterMissing"


class ProcedureError(CypherError):
    """The TCK's ``ProcedureError`` (e.g. ``ProcedureNotFound``)."""

    tck_name = "ProcedureError"


_BY_TCK_NAME: dict[str, type[CypherError]] = {
    cls.tck_name: cls
    for cls in (
        CypherSyntaxError,
        CypherSemanticError,
        CypherTypeError,
        CypherArgumentError,
        CypherArithmeticError,
        ConstraintVerificationError,
        EntityNotFoundError,
        ParameterMissingError,
        ProcedureError,
    )
}


def error_class_for(tck_name: str) -> type[CypherError]:
    """The error class whose ``tck_name`` is ``tck_name`` (e.g. ``"TypeError"`` -> CypherTypeError)."""
    try:
        return _BY_TCK_NAME[tck_name]
    except KeyError:
        raise ValueError(f"unknown TCK error name {tck_name!r}") from None
