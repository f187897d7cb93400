"""Runs a parsed query over a graph view: clause by clause, frame by frame.

The runner owns the pieces one statement needs — the row compiler, the
vectorized evaluator, the matcher, the projector and the writer — and wires
graph-aware functions (``labels``, ``type``, ``startNode`` ...) and pattern
expressions (pattern predicates, pattern comprehensions, ``EXISTS {}``,
``COUNT {}``) into the compiled closures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from namidb_cypher import semantics as sem
from namidb_cypher.ast import nodes as ast
from namidb_cypher.errors import (
    ConstraintVerificationError,
    CypherSemanticError,
    CypherSyntaxError,
    CypherTypeError,
    ParameterMissingError,
    ProcedureError,
)
from namidb_cypher.executor.context import ExecContext, Procedure
from namidb_cypher.executor.frame import Column, Frame, values_column
from namidb_cypher.executor.match import Matcher
from namidb_cypher.executor.project import Projector, contains_aggregate
from namidb_cypher.executor.rowexpr import Env, RowCompiler, RowFn
from namidb_cypher.executor.vecexpr import Evaluator, free_variables
from namidb_cypher.executor.write import Writer
from namidb_cypher.functions.registry import lookup
from namidb_cypher.graph.txgraph import TxGraph
from namidb_cypher.optimizer.prune_columns import live_after
from namidb_cypher.planner.match_plan import describe
from namidb_cypher.values import Node, Path, Relationship

__all__ = ["QueryOutput", "run_query"]


@dataclass
class QueryOutput:
    """What a query produced: column names and rows of Python values (graph values as objects)."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def _type_error(message: str) -> CypherTypeError:
    return CypherTypeError(message, code="InvalidArgumentType", phase="runtime")


class Runner:
    """Executes one statement's query."""

    def __init__(
        self, graph: TxGraph, params: Mapping[str, Any], procedures: Mapping[str, Procedure]
    ) -> None:
        self.ctx = ExecContext(graph, params, procedures)
        self._substitute: dict[int, str] = {}
        self.rows = RowCompiler(self.ctx, self._compile_pattern, self._compile_function)
        self.ev = Evaluator(self.ctx, self.rows)
        self.matcher = Matcher(self.ev)
        self.projector = Projector(self.ev, self._substitute)
        self.writer = Writer(self.ev, self.matcher)

    # -- queries --------------------------------------------------------------------------------
    def run(self, query: ast.Query, frame: Frame | None = None) -> tuple[list[str], Frame]:
        """Run ``query`` (with UNIONs) starting from ``frame`` (one empty row by default)."""
        results = [
            self.run_single(part, frame if frame is not None else Frame.unit()) for part in query.parts
        ]
        columns, out = results[0]
        for i, (cols, nxt) in enumerate(results[1:]):
            if cols != columns:
                raise CypherSemanticError(
                    "all sides of a UNION must return the same columns", code="DifferentColumnsInUnion"
                )
            out = Frame.concat([out, nxt], columns)
            if not query.union_all[i]:
                from namidb_cypher.executor.project import _distinct

                out = _distinct(self.ctx, out)
        return columns, out

    def run_single(self, query: ast.SingleQuery, frame: Frame) -> tuple[list[str], Frame]:
        """Run one side of a UNION."""
        columns: list[str] = []
        live = live_after(query.clauses) if self.ctx.optimize else [None] * len(query.clauses)
        for clause, keep in zip(query.clauses, live, strict=True):
            started = time.perf_counter()
            frame, columns = self.clause(clause, frame, columns)
            if keep is not None and not isinstance(clause, (ast.With, ast.Return)):
                unused = [k for k in frame.columns if k not in keep]
                if unused:
                    frame = frame.select([k for k in frame.columns if k in keep])
            self.ctx.record(clause, frame.n, time.perf_counter() - started)
        return columns, frame

    def operators(
        self, query: ast.Query, text: Callable[[ast.Node], str]
    ) -> list[tuple[int, str, str, object]]:
        """The plan as (depth, operator, details, key) rows: clauses, and each MATCH's steps below it.

        MATCH plans are computed for the variables in scope at that clause (as the
        binder sees them), so EXPLAIN shows the plan the executor will run.
        """
        rows: list[tuple[int, str, str, object]] = []
        for p, part in enumerate(query.parts):
            if p:
                rows.append((0, "Union" if not query.union_all[p - 1] else "UnionAll", "", query))
            bound: set[str] = set()
            for clause in part.clauses:
                rows.append((0, _clause_operator(clause), text(clause).split("\n")[0][:120], clause))
                if isinstance(clause, ast.Match):
                    plan = self.matcher.plan(clause.pattern, clause.where, frozenset(bound))
                    for step in plan.steps:
                        name, details = describe(step, text)
                        rows.append((1, name, details, step))
                bound |= _binds(clause)
        return rows

    def clause(self, clause: ast.Clause, frame: Frame, columns: list[str]) -> tuple[Frame, list[str]]:
        """Apply one clause to ``frame``."""
        if isinstance(clause, ast.Match):
            return self.matcher.match(frame, clause.pattern, clause.where, clause.optional), columns
        if isinstance(clause, ast.With):
            return self.projector.project(frame, clause.projection, clause.where), columns
        if isinstance(clause, ast.Return):
            out = self.projector.project(frame, clause.projection)
            return out, list(out.columns)
        if isinstance(clause, ast.Unwind):
            return self._unwind(frame, clause), columns
        if isinstance(clause, ast.Create):
            return self.writer.create(frame, clause.pattern), columns
        if isinstance(clause, ast.Merge):
            return self.writer.merge(frame, clause), columns
        if isinstance(clause, ast.Set):
            return self.writer.set(frame, clause.items), columns
        if isinstance(clause, ast.Remove):
            return self.writer.remove(frame, clause.items), columns
        if isinstance(clause, ast.Delete):
            return self.writer.delete(frame, clause), columns
        if isinstance(clause, ast.Foreach):
            return self._foreach(frame, clause), columns
        if isinstance(clause, ast.CallProcedure):
            return self._call_procedure(frame, clause, columns)
        if isinstance(clause, ast.CallSubquery):
            return self._call_subquery(frame, clause), columns
        raise CypherSemanticError(f"unsupported clause {type(clause).__name__}", code="UnsupportedClause")

    def _unwind(self, frame: Frame, clause: ast.Unwind) -> Frame:
        values = self.ctx.to_python(self.ev.column(clause.expression, frame))
        rows: list[int] = []
        items: list[Any] = []
        for row, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, list):
                rows.extend([row] * len(v))
                items.extend(v)
            else:
                rows.append(row)
                items.append(v)
        out = frame.take(np.asarray(rows, dtype=np.int64))
        return out.with_column(clause.variable.name, self.ctx.from_python(items))

    def _foreach(self, frame: Frame, clause: ast.Foreach) -> Frame:
        values = self.ctx.to_python(self.ev.column(clause.source, frame))
        for row, items in enumerate(values):
            if items is None:
                continue
            if not isinstance(items, list):
                raise _type_error("FOREACH needs a LIST")
            for item in items:
                inner = frame.take(np.array([row], dtype=np.int64))
                inner = inner.with_column(clause.variable.name, self.ctx.from_python([item]))
                cols: list[str] = []
                for c in clause.clauses:
                    inner, cols = self.clause(c, inner, cols)
        return frame

    def _call_procedure(
        self, frame: Frame, clause: ast.CallProcedure, columns_before: list[str]
    ) -> tuple[Frame, list[str]]:
        proc = self.ctx.procedures.get(clause.name.lower())
        if proc is None:
            raise ProcedureError(f"there is no procedure {clause.name}", code="ProcedureNotFound")
        if clause.args is None:
            if frame.columns or clause.yield_items is not None:
                # Implicit arguments (taken from parameters) only work for a standalone CALL.
                raise CypherSyntaxError(
                    f"{proc.name} needs explicit arguments inside a query", code="InvalidArgumentPassingMode"
                )
            missing = [n for n, _ in proc.inputs if n not in self.ctx.params]
            if missing:
                raise ParameterMissingError(
                    f"missing parameter for procedure argument {missing[0]}", code="MissingParameter"
                )
            params = self.ctx.params
            arg_fns: list[RowFn] = [_constant(params[n]) for n, _ in proc.inputs]
        else:
            if len(clause.args) != len(proc.inputs):
                raise CypherSyntaxError(
                    f"{proc.name} takes {len(proc.inputs)} arguments", code="InvalidNumberOfArguments"
                )
            arg_fns = [self.rows.compile(a) for a in clause.args]
        if not proc.outputs:
            # A void procedure: each row passes through unchanged, once.
            for env in self.ev.envs(frame, tuple(frame.columns)):
                proc.fn([fn(env) for fn in arg_fns])
            return frame, columns_before
        outputs = [n for n, _ in proc.outputs]
        if clause.yield_items is not None:
            picked = [(y.field, y.alias.name) for y in clause.yield_items]
        else:
            picked = [(n, n) for n in outputs]
        rows: list[int] = []
        produced: dict[str, list[Any]] = {alias: [] for _, alias in picked}
        for row, env in enumerate(self.ev.envs(frame, tuple(frame.columns))):
            args = [fn(env) for fn in arg_fns]
            for (_, typ), a in zip(proc.inputs, args, strict=True):
                _check_proc_arg(typ, a)
            for out_row in proc.fn(args):
                rows.append(row)
                for field_name, alias in picked:
                    produced[alias].append(out_row.get(field_name))
        out = frame.take(np.asarray(rows, dtype=np.int64))
        for alias, values in produced.items():
            out = out.with_column(alias, values_column(values))
        if clause.where is not None and out.n:
            out = out.filter(self.ev.predicate(clause.where, out))
        columns = [alias for _, alias in picked] if not frame.columns else list(out.columns)
        return out, columns

    def _call_subquery(self, frame: Frame, clause: ast.CallSubquery) -> Frame:
        pieces: list[Frame] = []
        returns = False
        for row in range(frame.n):
            one = frame.take(np.array([row], dtype=np.int64))
            cols, inner = self.run(clause.query, one)
            if cols:
                returns = True
                merged = one.take(np.zeros(inner.n, dtype=np.int64))
                for name in cols:
                    merged = merged.with_column(name, inner.columns[name])
                pieces.append(merged)
        if not returns:
            return frame
        names = list(pieces[0].columns) if pieces else list(frame.columns)
        return Frame.concat(pieces, names) if pieces else frame.take(np.empty(0, dtype=np.int64))

    # -- closures the row compiler asks for -------------------------------------------------------
    def _compile_function(self, call: ast.FunctionCall | ast.CountStar, args: list[RowFn]) -> RowFn:
        hidden = self._substitute.get(id(call))
        if hidden is not None:
            return lambda env: env[hidden]
        if isinstance(call, ast.CountStar):
            raise CypherSemanticError("count(*) is only allowed in a projection", code="InvalidAggregation")
        name = call.lower_name
        ctx = self.ctx
        graph_fn = _GRAPH_FUNCTIONS.get(name)
        if graph_fn is not None:
            return graph_fn(ctx, args)
        fn = lookup(call.name)
        if fn is None:
            raise CypherSemanticError(f"unknown function {call.name!r}", code="UnknownFunction")
        if fn.aggregate:
            raise CypherSemanticError(
                f"aggregate {call.name}() used where it cannot be", code="InvalidAggregation"
            )
        impl = fn.impl
        if fn.needs_node_lookup:
            return lambda env: impl(ctx.node, *(a(env) for a in args))
        if len(args) == 1:
            (a0,) = args
            return lambda env: impl(a0(env))
        if len(args) == 2:
            a0, a1 = args
            return lambda env: impl(a0(env), a1(env))
        return lambda env: impl(*(a(env) for a in args))

    def _compile_pattern(self, e: ast.Expression) -> RowFn:
        """Pattern predicates, pattern comprehensions and EXISTS/COUNT subqueries, per row."""
        outer = sorted(free_variables(e))
        if isinstance(e, ast.PatternExpression):
            pattern = ast.Pattern((ast.PatternPart(None, e.element),))
            return lambda env: self._pattern_rows(env, outer, pattern, None).n > 0
        if isinstance(e, ast.PatternComprehension):
            pattern = ast.Pattern((ast.PatternPart(e.variable, e.element),))
            proj = e.projection
            where = e.predicate

            def comprehension(env: Env) -> list[Any]:
                found = self._pattern_rows(env, outer, pattern, where)
                return self.ev.per_row(proj, found)

            return comprehension
        assert isinstance(e, (ast.ExistsSubquery, ast.CountSubquery))
        counting = isinstance(e, ast.CountSubquery)
        if e.pattern is not None:
            pattern_ = e.pattern
            where_ = e.predicate

            def by_pattern(env: Env) -> Any:
                n = self._pattern_rows(env, outer, pattern_, where_).n
                return n if counting else n > 0

            return by_pattern
        query = e.query
        assert query is not None

        def by_query(env: Env) -> Any:
            frame = self._env_frame(env, outer)
            _, out = self.run(query, frame)
            return out.n if counting else out.n > 0

        return by_query

    def _env_frame(self, env: Env, names: list[str]) -> Frame:
        cols: dict[str, Column] = {}
        for name in names:
            if name in env:
                cols[name] = self.ctx.from_python([env[name]])
        return Frame(cols, 1)

    def _pattern_rows(
        self, env: Env, outer: list[str], pattern: ast.Pattern, where: ast.Expression | None
    ) -> Frame:
        return self.matcher.match(self._env_frame(env, outer), pattern, where, optional=False)


def _constant(value: Any) -> RowFn:
    return lambda env: value


def _clause_operator(clause: ast.Clause) -> str:
    if isinstance(clause, ast.Match):
        return "OptionalMatch" if clause.optional else "Match"
    if isinstance(clause, (ast.With, ast.Return)):
        proj = clause.projection
        aggregating = any(contains_aggregate(i.expression) for i in proj.items)
        name = "Aggregation" if aggregating else ("Distinct" if proj.distinct else "Projection")
        if proj.order_by:
            name += "+Top" if proj.limit is not None else "+Sort"
        elif proj.limit is not None or proj.skip is not None:
            name += "+Limit"
        return ("Produce" if isinstance(clause, ast.Return) else "With") + ":" + name
    return type(clause).__name__


def _binds(clause: ast.Clause) -> set[str]:
    """Variables a clause leaves in scope (for planning later MATCHes in EXPLAIN)."""
    if isinstance(clause, (ast.With, ast.Return)):
        return {i.name for i in clause.projection.items}
    if isinstance(clause, ast.Unwind):
        return {clause.variable.name}
    names: set[str] = set()
    for node in ast.walk(clause):
        if isinstance(node, (ast.NodePattern, ast.RelationshipPattern, ast.PatternPart)) and node.variable:
            names.add(node.variable.name)
    return names


def _check_proc_arg(typ: str, value: Any) -> None:
    t = typ.rstrip("?").strip().upper()
    if value is None:
        return
    ok = {
        "INTEGER": sem.is_int(value),
        "FLOAT": sem.is_number(value),
        "NUMBER": sem.is_number(value),
        "STRING": isinstance(value, str),
        "BOOLEAN": sem.is_bool(value),
    }.get(t, True)
    if not ok:
        raise CypherSyntaxError(
            f"procedure argument must be {t}, got {sem.type_name(value)}", code="InvalidArgumentType"
        )


# -- graph-aware functions -------------------------------------------------------------------------
def _node_or_rel(value: Any, fname: str) -> Any:
    if value is None or isinstance(value, (Node, Relationship)):
        return value
    raise _type_error(f"{fname}() needs a node or relationship, got {sem.type_name(value)}")


def _f_id(ctx: ExecContext, args: list[RowFn]) -> RowFn:
    (a,) = args

    def id_(env: Env) -> Any:
        v = _node_or_rel(a(env), "id")
        return None if v is None else v.id

    return id_


def _f_element_id(ctx: ExecContext, args: list[RowFn]) -> RowFn:
    (a,) = args

    def element_id(env: Env) -> Any:
        v = _node_or_rel(a(env), "elementId")
        if v is None:
            return None
        return ctx.graph.node_key(v.id) if isinstance(v, Node) else ctx.graph.rel_key(v.id)

    return element_id


def _f_labels(ctx: ExecContext, args: list[RowFn]) -> RowFn:
    (a,) = args

    def labels(env: Env) -> Any:
        v = a(env)
        if v is None:
            return None
        if not isinstance(v, Node):
            raise CypherTypeError(
                f"labels() needs a node, got {sem.type_name(v)}", code="InvalidArgumentValue", phase="runtime"
            )
        ctx.check_live_node(v.id)
        return list(ctx.node(v.id).labels)

    return labels


def _f_type(ctx: ExecContext, args: list[RowFn]) -> RowFn:
    (a,) = args

    def type_(env: Env) -> Any:
        v = a(env)
        if v is None:
            return None
        if not isinstance(v, Relationship):
            raise CypherTypeError(
                f"type() needs a relationship, got {sem.type_name(v)}",
                code="InvalidArgumentValue",
                phase="runtime",
            )
        return v.type

    return type_


def _f_keys(ctx: ExecContext, args: list[RowFn]) -> RowFn:
    (a,) = args

    def keys(env: Env) -> Any:
        v = a(env)
        if v is None:
            return None
        if isinstance(v, Node):
            ctx.check_live_node(v.id)
            return list(ctx.graph.node_properties(v.id))
        if isinstance(v, Relationship):
            ctx.check_live_rel(v.id)
            return list(ctx.graph.rel_properties(v.id))
        if isinstance(v, dict):
            return list(v)
        raise _type_error(f"keys() needs a map, node or relationship, got {sem.type_name(v)}")

    return keys


def _f_properties(ctx: ExecContext, args: list[RowFn]) -> RowFn:
    (a,) = args

    def properties(env: Env) -> Any:
        v = a(env)
        if v is None:
            return None
        if isinstance(v, Node):
            ctx.check_live_node(v.id)
            return ctx.graph.node_properties(v.id)
        if isinstance(v, Relationship):
            ctx.check_live_rel(v.id)
            return ctx.graph.rel_properties(v.id)
        if isinstance(v, dict):
            return dict(v)
        raise _type_error(f"properties() needs a map, node or relationship, got {sem.type_name(v)}")

    return properties


def _endpoint(which: str) -> Any:
    def make(ctx: ExecContext, args: list[RowFn]) -> RowFn:
        (a,) = args

        def endpoint(env: Env) -> Any:
            v = a(env)
            if v is None:
                return None
            if not isinstance(v, Relationship):
                raise _type_error(f"{which}() needs a relationship, got {sem.type_name(v)}")
            return ctx.node(v.start if which == "startNode" else v.end)

        return endpoint

    return make


def _path_part(which: str) -> Any:
    def make(ctx: ExecContext, args: list[RowFn]) -> RowFn:
        (a,) = args

        def part(env: Env) -> Any:
            v = a(env)
            if v is None:
                return None
            if isinstance(v, Path):
                if which == "nodes":
                    return list(v.nodes)
                if which == "relationships":
                    return list(v.relationships)
                return len(v.relationships)
            if which == "length" and isinstance(v, (str, list)):
                raise _type_error(f"length() needs a path, got {sem.type_name(v)}")
            raise _type_error(f"{which}() needs a path, got {sem.type_name(v)}")

        return part

    return make


def _f_exists(ctx: ExecContext, args: list[RowFn]) -> RowFn:
    (a,) = args
    return lambda env: a(env) is not None


def _f_coalesce(ctx: ExecContext, args: list[RowFn]) -> RowFn:
    def coalesce(env: Env) -> Any:
        for a in args:
            v = a(env)
            if v is not None:
                return v
        return None

    return coalesce


_GRAPH_FUNCTIONS: dict[str, Callable[[ExecContext, list[RowFn]], RowFn]] = {
    "id": _f_id,
    "elementid": _f_element_id,
    "labels": _f_labels,
    "type": _f_type,
    "keys": _f_keys,
    "properties": _f_properties,
    "startnode": _endpoint("startNode"),
    "endnode": _endpoint("endNode"),
    "nodes": _path_part("nodes"),
    "relationships": _path_part("relationships"),
    "length": _path_part("length"),
    "exists": _f_exists,
    "coalesce": _f_coalesce,
}


def run_query(
    graph: TxGraph,
    query: ast.Query,
    params: Mapping[str, Any] | None = None,
    procedures: Mapping[str, Procedure] | None = None,
    *,
    optimize: bool = True,
    profile: dict[int, list[Any]] | None = None,
) -> QueryOutput:
    """Run ``query`` over ``graph`` and return its columns and rows (graph values as objects).

    The graph's overlay holds the statement's writes afterwards; the caller commits
    ``graph.changes()`` (or drops the graph to roll back).
    """
    runner = Runner(graph, params or {}, procedures or {})
    runner.ctx.optimize = optimize
    runner.ctx.profile = profile
    return finish(runner, query)


def finish(runner: Runner, query: ast.Query) -> QueryOutput:
    """Run ``query`` with a prepared runner and check the statement's end-of-statement constraints."""
    graph = runner.ctx.graph
    columns, frame = runner.run(query)
    dangling = graph.connected_deleted_nodes()
    if dangling:
        raise ConstraintVerificationError(
            "cannot delete a node that still has relationships; use DETACH DELETE",
            code="DeleteConnectedNode",
            phase="runtime",
        )
    if not columns:
        return QueryOutput([], [])
    values = [runner.ctx.to_python(frame.columns[c]) for c in columns]
    return QueryOutput(columns, list(zip(*values, strict=True)))
