"""The Cypher error classes: TCK coordinates, place in namidb's hierarchy, pickling."""

from __future__ import annotations

import pickle

import pytest

from namidb_core.errors import NamiDBError
from namidb_cypher import errors as e
from namidb_cypher.ast.nodes import Span

ALL = [
    (e.CypherSyntaxError, "SyntaxError"),
    (e.CypherSemanticError, "SemanticError"),
    (e.CypherTypeError, "TypeError"),
    (e.CypherArgumentError, "ArgumentError"),
    (e.CypherArithmeticError, "ArithmeticError"),
    (e.ConstraintVerificationError, "ConstraintVerificationFailed"),
    (e.EntityNotFoundError, "EntityNotFound"),
    (e.ParameterMissingError, "ParameterMissing"),
    (e.ProcedureError, "ProcedureError"),
]


@pytest.mark.parametrize(("cls", "tck_name"), ALL)
def test_each_class_carries_its_tck_name(cls, tck_name):
    err = cls("boom", code="SomeCode", phase="runtime")
    assert err.tck_name == tck_name
    assert (err.code, err.phase, str(err)) == ("SomeCode", "runtime", "boom")
    assert isinstance(err, e.CypherError)
    assert isinstance(err, NamiDBError)
    assert e.error_class_for(tck_name) is cls


@pytest.mark.parametrize(("cls", "tck_name"), ALL)
def test_not_python_builtins(cls, tck_name):
    # `except TypeError` guarding an executor bug must not swallow a Cypher TypeError (and so on).
    for builtin in (TypeError, ValueError, ArithmeticError, SyntaxError, LookupError, RuntimeError):
        assert not issubclass(cls, builtin)


def test_default_phase_is_compile_time_and_span_is_kept():
    span = Span(1, 2, 1, 5, 1, 4)
    err = e.CypherSyntaxError("bad", code="UnexpectedSyntax", span=span)
    assert err.phase == e.COMPILE_TIME == "compile time"
    assert err.span == span
    assert "UnexpectedSyntax" in repr(err)


def test_errors_pickle_with_their_coordinates():
    err = e.CypherTypeError(
        "bad type", code="InvalidArgumentType", phase="runtime", span=Span(1, 1, 1, 2, 0, 1)
    )
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is e.CypherTypeError
    assert (again.code, again.phase, again.span, str(again)) == (err.code, err.phase, err.span, str(err))


def test_unknown_tck_name():
    with pytest.raises(ValueError, match="unknown TCK error name"):
        e.error_class_for("NoSuchError")
