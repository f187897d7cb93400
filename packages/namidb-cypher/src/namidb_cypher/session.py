"""Executing one Cypher statement against a base graph: parse, bind, run, collect writes.

:func:`execute` is what a client calls. Parsing is cached by query text and
binding by (text, parameter names), so a statement run again skips straight
to execution. The statement runs over a :class:`~namidb_cypher.graph.TxGraph`
whose overlay collects its writes; the caller stages ``result.changes`` into
one batch and commits it (a statement that raised has no result, so nothing
of it can be committed).

Schema commands (``CREATE/DROP CONSTRAINT|INDEX``, ``SHOW ...``) run against
the :class:`~namidb_cypher.schema.Schema` the caller passes in: a CREATE/DROP
returns what to store in ``result.schema_changes`` (the caller stages it with
the statement's batch), and every write statement is checked against the
schema's constraints before its result is returned.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from namidb_cypher.ast import nodes as ast
from namidb_cypher.binder import BoundStatement, bind
from namidb_cypher.executor.context import Procedure
from namidb_cypher.executor.runner import QueryOutput, Runner, finish
from namidb_cypher.graph.base import BaseGraph
from namidb_cypher.graph.txgraph import ChangeSet, TxGraph
from namidb_cypher.parser import parse
from namidb_cypher.schema import (
    CONSTRAINT_COLUMNS,
    INDEX_COLUMNS,
    Schema,
    SchemaChange,
    apply_ddl,
    check_constraints,
    show_rows,
)

__all__ = ["ExecutionResult", "execute", "prepare"]


@dataclass
class ExecutionResult:
    """The rows of a statement, its writes and how long each phase took."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    changes: ChangeSet
    timings: dict[str, float] = field(default_factory=dict)
    mode: str = "run"
    graph: TxGraph | None = None
    #: PROFILE only: per operator ``{"id", "depth", "operator", "details", "rows", "time_ms", "calls"}``.
    profile: list[dict[str, Any]] | None = None
    #: Schema objects a CREATE/DROP CONSTRAINT|INDEX adds or removes (the caller stores them).
    schema_changes: list[SchemaChange] = field(default_factory=list)
    #: Whether the statement was a schema-changing command (even one that changed nothing).
    ddl: bool = False

    def node_key(self, node_id: int) -> str:
        """The UUID of a node the rows refer to by dense id."""
        assert self.graph is not None
        return self.graph.node_key(node_id)


@lru_cache(maxsize=1024)
def _parse(text: str) -> ast.Statement:
    return parse(text)


@lru_cache(maxsize=1024)
def _bind(text: str, param_names: frozenset[str]) -> BoundStatement:
    return bind(_parse(text), parameters=param_names)


def prepare(text: str, params: Mapping[str, Any] | None = None) -> BoundStatement:
    """Parse and bind ``text`` (cached); raises the statement's compile-time error."""
    return _bind(text, frozenset(params or ()))


#: The columns of an EXPLAIN result, and of each row of ``ExecutionResult.profile``.
EXPLAIN_COLUMNS = ["id", "depth", "operator", "details"]


def _plan_rows(runner: Runner, statement: ast.Statement) -> list[tuple[int, int, str, str, object]]:
    body = statement.body
    if not isinstance(body, ast.Query):
        return [(0, 0, type(body).__name__, statement.source, body)]
    rows = runner.operators(body, statement.text_of)
    return [(i, depth, name, details, key) for i, (depth, name, details, key) in enumerate(rows)]


def execute(
    text: str,
    params: Mapping[str, Any] | None,
    base: BaseGraph,
    new_key: Callable[[], str],
    procedures: Mapping[str, Procedure] | None = None,
    schema: Schema | None = None,
) -> ExecutionResult:
    """Run one statement over ``base``; its writes come back in ``result.changes``.

    ``schema`` holds the graph's constraints and indexes (none when omitted).

    Raises:
        CypherError: the statement's compile-time or runtime error; a write
            that breaks a constraint raises ``ConstraintVerificationError``.
    """
    t0 = time.perf_counter()
    bound = prepare(text, params)
    statement = bound.statement
    t1 = time.perf_counter()
    schema = schema if schema is not None else Schema()
    graph = TxGraph(base, new_key)
    if not isinstance(statement.body, ast.Query):
        return _schema_command(statement, statement.body, schema, graph, t1 - t0)
    runner = Runner(graph, params or {}, procedures or {})
    runner.ctx.schema = schema
    if statement.mode == "explain":
        rows = [(i, depth, name, details) for i, depth, name, details, _ in _plan_rows(runner, statement)]
        return ExecutionResult(EXPLAIN_COLUMNS, rows, ChangeSet(), {"compile": t1 - t0}, "explain", graph)
    stats: dict[int, list[Any]] | None = {} if statement.mode == "profile" else None
    runner.ctx.profile = stats
    out: QueryOutput = finish(runner, statement.body)
    check_constraints(graph, schema)
    t2 = time.perf_counter()
    timings = {"compile": t1 - t0, "execute": t2 - t1}
    profile = None
    if stats is not None:
        profile = []
        for i, depth, name, details, key in _plan_rows(runner, statement):
            _, rows_out, seconds, calls = stats.get(id(key), [key, 0, 0.0, 0])
            profile.append(
                {
                    "id": i,
                    "depth": depth,
                    "operator": name,
                    "details": details,
                    "rows": rows_out,
                    "time_ms": round(seconds * 1000, 3),
                    "calls": calls,
                }
            )
    return ExecutionResult(out.columns, out.rows, graph.changes(), timings, statement.mode, graph, profile)


def _schema_command(
    statement: ast.Statement, body: ast.SchemaCommand, schema: Schema, graph: TxGraph, compile_s: float
) -> ExecutionResult:
    timings = {"compile": compile_s}
    if statement.mode == "explain":
        rows: list[tuple[Any, ...]] = [(0, 0, type(body).__name__, statement.source)]
        return ExecutionResult(EXPLAIN_COLUMNS, rows, ChangeSet(), timings, "explain", graph)
    if isinstance(body, (ast.ShowConstraints, ast.ShowIndexes)):
        columns = CONSTRAINT_COLUMNS if isinstance(body, ast.ShowConstraints) else INDEX_COLUMNS
        return ExecutionResult(
            list(columns), show_rows(body, schema), ChangeSet(), timings, statement.mode, graph
        )
    changes = apply_ddl(body, schema, graph.base)
    return ExecutionResult(
        [], [], ChangeSet(), timings, statement.mode, graph, schema_changes=changes, ddl=True
    )
