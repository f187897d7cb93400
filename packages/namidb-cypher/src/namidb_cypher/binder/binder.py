"""The binder: scope and type checks between the parser and the planner.

It walks a parsed :class:`~namidb_cypher.ast.nodes.Statement` clause by clause,
tracking which variables are in scope and what they are (node, relationship,
path, value, with a static type where one is known), and raises the
openCypher TCK's compile-time errors: ``VariableAlreadyBound``,
``UndefinedVariable``, ``VariableTypeConflict``, ``InvalidAggregation``,
``NoSingleRelationshipType`` and the rest. The result, a
:class:`BoundStatement`, pairs every clause with the scope it sees and the
scope it leaves, which is what a planner needs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from namidb_cypher.ast import nodes as n
from namidb_cypher.binder.scope import Scope, VariableInfo
from namidb_cypher.binder.types import (
    AGGREGATES,
    ANY,
    BOOLEAN,
    FLOAT,
    INTEGER,
    MAP,
    NODE,
    NON_DETERMINISTIC,
    NULL,
    NUMBER,
    PATH,
    RELATIONSHIP,
    STRING,
    TEMPORAL,
    CypherType,
    FunctionSignature,
    list_of,
    lookup_function,
)
from namidb_cypher.errors import (
    CypherSyntaxError,
    CypherTypeError,
    ParameterMissingError,
    ProcedureError,
)

__all__ = [
    "ProcedureSignature",
    "BoundClause",
    "BoundSingleQuery",
    "BoundQuery",
    "BoundStatement",
    "bind",
    "contains_aggregate",
    "is_aggregate",
]

_UPDATING = (n.Create, n.Merge, n.Set, n.Remove, n.Delete, n.Foreach)


@dataclass(frozen=True, slots=True)
class ProcedureSignature:
    """A procedure the binder may check calls against: name, (name, type) inputs and outputs."""

    name: str
    inputs: tuple[tuple[str, CypherType], ...] = ()
    outputs: tuple[tuple[str, CypherType], ...] = ()


@dataclass(frozen=True, slots=True)
class BoundClause:
    """A clause with the scope it reads (``scope_in``) and the scope it leaves (``scope_out``)."""

    clause: n.Clause
    scope_in: Scope
    scope_out: Scope
    aggregating: bool = False


@dataclass(frozen=True, slots=True)
class BoundSingleQuery:
    """The clauses of one UNION branch, bound; ``columns`` are its result column names."""

    clauses: tuple[BoundClause, ...]
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BoundQuery:
    """A bound query: its UNION branches and result columns."""

    parts: tuple[BoundSingleQuery, ...]
    columns: tuple[str, ...]
    union_all: tuple[bool, ...] = ()


@dataclass(frozen=True, slots=True)
class BoundStatement:
    """The binder's output: the statement, its bound query (None for schema commands), result columns
    and the names of the parameters it uses."""

    statement: n.Statement
    query: BoundQuery | None
    columns: tuple[str, ...]
    parameters: frozenset[str] = field(default_factory=frozenset)


def bind(
    statement: n.Statement,
    *,
    parameters: Collection[str] | Mapping[str, Any] | None = None,
    procedures: Mapping[str, ProcedureSignature] | None = None,
) -> BoundStatement:
    """Check ``statement`` statically and attach scopes.

    Args:
        statement: what :func:`namidb_cypher.parse` returned.
        parameters: the parameter names (or the parameter map) the statement will run with; when given,
            a ``$name`` that is not among them raises ``ParameterMissingError``. None: not checked.
        procedures: known procedures by qualified name; when given, ``CALL`` is checked against them
            (unknown procedure, argument count and types, yielded fields). None: not checked.

    Raises:
        CypherError: the TCK's compile-time error (``tck_name``/``code`` set) for the first problem met;
            ``CypherSyntaxError`` with code ``"NestingTooDeep"`` (not a TCK code) for an expression nested
            deeper than the binder's recursion allows (long flat chains such as ``a OR b OR ...`` are fine).
    """
    try:
        return _Binder(parameters, procedures).statement(statement)
    except RecursionError:
        raise CypherSyntaxError("the query nests expressions too deeply", code="NestingTooDeep") from None


# ---------------------------------------------------------------------------------------------- helpers


def is_aggregate(expr: n.Expression) -> bool:
    """Whether ``expr`` itself is an aggregate call (``count(*)``, ``sum(x)`` ...)."""
    if isinstance(expr, n.CountStar):
        return True
    return isinstance(expr, n.FunctionCall) and expr.name.lower() in AGGREGATES


def contains_aggregate(expr: n.Expression) -> bool:
    """Whether an aggregate call appears anywhere in ``expr`` (outside nested subqueries)."""
    stack = [expr]
    while stack:  # iterative: generated expressions can nest deeper than Python's stack
        e = stack.pop()
        if is_aggregate(e):
            return True
        stack.extend(_child_expressions(e))
    return False


def _child_expressions(node: n.Node) -> Iterator[n.Expression]:
    if isinstance(node, (n.ExistsSubquery, n.CountSubquery)):
        return
    for name in node.__dataclass_fields__:
        if name == "span":
            continue
        value = getattr(node, name)
        yield from _expressions_in(value)


def _expressions_in(value: object) -> Iterator[n.Expression]:
    if isinstance(value, n.Expression):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _expressions_in(item)
    elif isinstance(value, n.Node):
        yield from _child_expressions(value)


def _syntax(message: str, code: str, node: n.Node | None = None) -> CypherSyntaxError:
    span = node.span if node is not None and node.span is not n.NO_SPAN else None
    if span is not None:
        message = f"{message} (line {span.line}, column {span.column})"
    return CypherSyntaxError(message, code=code, span=span)


def _literal_type(value: object) -> CypherType:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return FLOAT
    if isinstance(value, str):
        return STRING
    return ANY


def _common(types: list[CypherType]) -> CypherType:
    known = [t for t in types if t != NULL]
    if not known:
        return NULL if types else ANY
    first = known[0]
    return first if all(t == first for t in known) else ANY


_NON_NUMERIC = frozenset({"BOOLEAN", "MAP", "NODE", "RELATIONSHIP", "PATH"})


def _arithmetic(op: str, left: CypherType, right: CypherType, node: n.Node) -> CypherType:
    names = {left.name, right.name}
    if "ANY" in names:
        return ANY
    if "NULL" in names:
        return NULL
    if op == "+":
        if "LIST" in names:
            return list_of()
        if "STRING" in names and not names & _NON_NUMERIC:
            # string + number concatenates; string + temporal is left to the runtime to judge.
            return ANY if "TEMPORAL" in names else STRING
    if names & _NON_NUMERIC or (names & {"STRING", "LIST"}):
        raise _syntax(f"operator {op} cannot take {left} and {right}", "InvalidArgumentType", node)
    if "TEMPORAL" in names:
        return TEMPORAL
    if op == "^":
        return FLOAT
    if names == {"INTEGER"}:
        return INTEGER
    if "FLOAT" in names:
        return FLOAT
    return NUMBER


class _Step(NamedTuple):
    """What binding a clause yields: the scope it leaves, whether it aggregates, its result columns."""

    scope: Scope
    aggregating: bool = False
    columns: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class _Ctx:
    """How an expression is being bound: its scope and what is allowed where it sits."""

    scope: Scope
    aggregates: bool = False  # aggregate calls are allowed (WITH/RETURN items, some ORDER BY)
    patterns: bool = False  # pattern predicates are allowed (WHERE, exists())
    in_aggregate: bool = False
    projected: Mapping[n.Expression, CypherType] | None = None

    def but(self, **changes: Any) -> _Ctx:
        """This context with ``changes`` applied."""
        return replace(self, **changes)


class _Binder:
    def __init__(
        self,
        parameters: Collection[str] | Mapping[str, Any] | None,
        procedures: Mapping[str, ProcedureSignature] | None,
    ) -> None:
        self.parameters = None if parameters is None else frozenset(parameters)
        self.procedures = procedures
        self.used_parameters: set[str] = set()

    # ------------------------------------------------------------------ statement and query structure

    def statement(self, statement: n.Statement) -> BoundStatement:
        if not isinstance(statement.body, n.Query):
            return BoundStatement(statement, None, (), frozenset())
        query = self.query(statement.body, Scope(), top_level=True)
        return BoundStatement(statement, query, query.columns, frozenset(self.used_parameters))

    def query(
        self, query: n.Query, scope: Scope, *, top_level: bool = False, subquery: bool = False
    ) -> BoundQuery:
        if len(set(query.union_all)) > 1:
            raise _syntax("cannot mix UNION and UNION ALL", "InvalidClauseComposition", query)
        parts = tuple(
            self.single_query(
                part, scope, top_level=top_level, subquery=subquery, standalone=len(query.parts) == 1
            )
            for part in query.parts
        )
        columns = parts[0].columns
        for part in parts[1:]:
            if part.columns != columns:
                raise _syntax(
                    f"all parts of a UNION must return the same columns: {columns} vs {part.columns}",
                    "DifferentColumnsInUnion",
                    query,
                )
        return BoundQuery(parts, columns, query.union_all)

    def single_query(
        self, query: n.SingleQuery, scope: Scope, *, top_level: bool, subquery: bool, standalone: bool
    ) -> BoundSingleQuery:
        clauses = query.clauses
        self._check_composition(clauses, top_level=top_level, subquery=subquery)
        bound: list[BoundClause] = []
        columns: tuple[str, ...] = ()
        lone_call = standalone and len(clauses) == 1 and isinstance(clauses[0], n.CallProcedure)
        for clause in clauses:
            before = scope
            scope, aggregating, cols = self.clause(clause, scope, lone_call=lone_call)
            if cols is not None:
                columns = cols
            bound.append(BoundClause(clause, before, scope, aggregating))
        return BoundSingleQuery(tuple(bound), columns)

    def _check_composition(self, clauses: tuple[n.Clause, ...], *, top_level: bool, subquery: bool) -> None:
        for i, clause in enumerate(clauses):
            if isinstance(clause, n.Return) and i != len(clauses) - 1:
                raise _syntax(
                    "RETURN can only be the last clause", "InvalidClauseComposition", clauses[i + 1]
                )
            if subquery and isinstance(clause, (*_UPDATING, n.CallSubquery)):
                raise _syntax(
                    "an EXISTS/COUNT subquery cannot update the graph", "InvalidClauseComposition", clause
                )
        last = clauses[-1]
        if top_level and not isinstance(last, (n.Return, n.CallProcedure, n.CallSubquery, *_UPDATING)):
            name = type(last).__name__.upper()
            raise _syntax(
                f"a query cannot end with {name}; it must end with RETURN or an updating clause",
                "InvalidClauseComposition",
                last,
            )

    # ------------------------------------------------------------------ clauses

    def clause(self, clause: n.Clause, scope: Scope, *, lone_call: bool = False) -> _Step:
        """Bind one clause against ``scope``; dispatches to ``_c_<ClauseClass>``."""
        method = getattr(self, "_c_" + type(clause).__name__, None)
        if method is None:
            raise _syntax(f"unsupported clause {type(clause).__name__}", "UnexpectedSyntax", clause)
        step: _Step = method(clause, scope, lone_call)
        return step

    def _c_Match(self, clause: n.Match, scope: Scope, lone_call: bool) -> _Step:
        out = self.pattern(clause.pattern, scope, "match")
        if clause.where is not None:
            self.predicate(clause.where, out)
        return _Step(out)

    def _c_Unwind(self, clause: n.Unwind, scope: Scope, lone_call: bool) -> _Step:
        t = self.expr(clause.expression, _Ctx(scope))
        self._fresh(clause.variable, scope)
        return _Step(scope.with_vars(VariableInfo(clause.variable.name, _unwound(t))))

    def _c_With(self, clause: n.With, scope: Scope, lone_call: bool) -> _Step:
        out, aggregating, _ = self.projection(clause.projection, scope, "WITH")
        if clause.where is not None:
            # Like ORDER BY, WITH's WHERE still sees the incoming variables unless WITH aggregates.
            self.predicate(clause.where, out if aggregating else scope.with_vars(*out.values()))
        return _Step(out, aggregating)

    def _c_Return(self, clause: n.Return, scope: Scope, lone_call: bool) -> _Step:
        return _Step(*self.projection(clause.projection, scope, "RETURN"))

    def _c_Create(self, clause: n.Create, scope: Scope, lone_call: bool) -> _Step:
        return _Step(self.pattern(clause.pattern, scope, "create"))

    def _c_Merge(self, clause: n.Merge, scope: Scope, lone_call: bool) -> _Step:
        out = self.pattern(n.Pattern((clause.part,), span=clause.part.span), scope, "merge")
        for item in (*clause.on_create, *clause.on_match):
            self.set_item(item, out)
        return _Step(out)

    def _c_Set(self, clause: n.Set, scope: Scope, lone_call: bool) -> _Step:
        for item in clause.items:
            self.set_item(item, scope)
        return _Step(scope)

    def _c_Remove(self, clause: n.Remove, scope: Scope, lone_call: bool) -> _Step:
        for item in clause.items:
            self.remove_item(item, scope)
        return _Step(scope)

    def _c_Delete(self, clause: n.Delete, scope: Scope, lone_call: bool) -> _Step:
        for expr in clause.expressions:
            self.delete_target(expr, scope)
        return _Step(scope)

    def _c_CallProcedure(self, clause: n.CallProcedure, scope: Scope, lone_call: bool) -> _Step:
        return self.call(clause, scope, lone_call)

    def _c_CallSubquery(self, clause: n.CallSubquery, scope: Scope, lone_call: bool) -> _Step:
        inner = self.query(clause.query, scope)
        added = []
        for name in inner.columns:
            if name in scope:
                raise _syntax(f"variable `{name}` already declared", "VariableAlreadyBound", clause)
            added.append(VariableInfo(name, self._column_type(inner, name)))
        return _Step(scope.with_vars(*added))

    def _c_Foreach(self, clause: n.Foreach, scope: Scope, lone_call: bool) -> _Step:
        self.foreach(clause, scope)
        return _Step(scope)

    def _column_type(self, query: BoundQuery, name: str) -> CypherType:
        last = query.parts[0].clauses[-1].scope_out if query.parts[0].clauses else Scope()
        return last[name].type if name in last else ANY

    def foreach(self, clause: n.Foreach, scope: Scope) -> None:
        t = self.expr(clause.source, _Ctx(scope))
        element = t.element if t.is_list and t.element is not None else ANY
        inner = scope.with_vars(VariableInfo(clause.variable.name, element))
        for body in clause.clauses:
            if not isinstance(body, _UPDATING):
                raise _syntax("FOREACH may only contain updating clauses", "InvalidClauseComposition", body)
            inner, _, _ = self.clause(body, inner)

    def predicate(self, expr: n.Expression, scope: Scope) -> None:
        t = self.expr(expr, _Ctx(scope, patterns=True))
        if not BOOLEAN.accepts(t):
            raise _syntax(f"WHERE needs a boolean, not {t}", "InvalidArgumentType", expr)

    def set_item(self, item: n.SetItem, scope: Scope) -> None:
        ctx = _Ctx(scope)
        if isinstance(item, n.SetProperty):
            self.expr(item.target, ctx)
            self.expr(item.value, ctx)
        elif isinstance(item, n.SetVariable):
            self._lookup(item.variable, scope)
            self.expr(item.value, ctx)
        elif isinstance(item, n.SetLabels):
            info = self._lookup(item.variable, scope)
            if not NODE.accepts(info.type):
                raise _syntax(f"cannot set labels on {info.type}", "InvalidArgumentType", item)

    def remove_item(self, item: n.RemoveItem, scope: Scope) -> None:
        if isinstance(item, n.RemoveProperty):
            self.expr(item.target, _Ctx(scope))
        elif isinstance(item, n.RemoveLabels):
            info = self._lookup(item.variable, scope)
            if not NODE.accepts(info.type):
                raise _syntax(f"cannot remove labels from {info.type}", "InvalidArgumentType", item)

    def delete_target(self, expr: n.Expression, scope: Scope) -> None:
        if isinstance(expr, n.HasLabels):
            raise _syntax("DELETE takes nodes, relationships or paths, not labels", "InvalidDelete", expr)
        t = self.expr(expr, _Ctx(scope))
        if t.name not in ("NODE", "RELATIONSHIP", "PATH", "ANY", "NULL", "LIST"):
            raise _syntax(f"DELETE cannot delete a {t}", "InvalidArgumentType", expr)

    # ------------------------------------------------------------------ CALL

    def call(self, clause: n.CallProcedure, scope: Scope, lone_call: bool) -> _Step:
        ctx = _Ctx(scope)
        for arg in clause.args or ():
            self.expr(arg, ctx)
        signature = self._procedure(clause)
        if clause.yield_star and not lone_call:
            raise _syntax("YIELD * is only allowed in a standalone CALL", "UnexpectedSyntax", clause)
        if signature is not None:
            self._check_call_args(clause, signature, ctx, lone_call)
        outputs = dict(signature.outputs) if signature is not None else None
        added: list[VariableInfo] = []
        seen: set[str] = set()
        for item in clause.yield_items or ():
            if outputs is not None and item.field not in outputs:
                raise _syntax(
                    f"procedure {clause.name} has no output `{item.field}`", "UndefinedVariable", item
                )
            name = item.alias.name
            if name in scope or name in seen:
                raise _syntax(f"variable `{name}` already declared", "VariableAlreadyBound", item.alias)
            seen.add(name)
            added.append(VariableInfo(name, outputs.get(item.field, ANY) if outputs is not None else ANY))
        out = scope.with_vars(*added)
        if clause.where is not None:
            self.predicate(clause.where, out)
        columns: tuple[str, ...] | None = None
        if lone_call:
            if clause.yield_items is not None:
                columns = tuple(v.name for v in added)
            elif outputs is not None:
                columns = tuple(outputs)
        return _Step(out, False, columns)

    def _procedure(self, clause: n.CallProcedure) -> ProcedureSignature | None:
        if self.procedures is None:
            return None
        signature = self.procedures.get(clause.name)
        if signature is None:
            raise ProcedureError(
                f"there is no procedure named {clause.name}", code="ProcedureNotFound", span=clause.span
            )
        return signature

    def _check_call_args(
        self, clause: n.CallProcedure, signature: ProcedureSignature, ctx: _Ctx, lone_call: bool
    ) -> None:
        if clause.args is None:
            if not lone_call:
                raise _syntax(
                    "implicit procedure arguments are only allowed in a standalone CALL",
                    "InvalidArgumentPassingMode",
                    clause,
                )
            if self.parameters is not None:
                for name, _ in signature.inputs:
                    if name not in self.parameters:
                        raise ParameterMissingError(
                            f"expected parameter ${name} for {clause.name}",
                            code="MissingParameter",
                            span=clause.span,
                        )
            return
        if len(clause.args) != len(signature.inputs):
            raise _syntax(
                f"{clause.name} takes {len(signature.inputs)} arguments, got {len(clause.args)}",
                "InvalidNumberOfArguments",
                clause,
            )
        for arg, (name, expected) in zip(clause.args, signature.inputs, strict=True):
            if contains_aggregate(arg):
                raise _syntax("aggregation is not allowed in procedure arguments", "InvalidAggregation", arg)
            actual = self.expr(arg, ctx)
            if not expected.accepts(actual):
                raise _syntax(f"argument {name} expects {expected}, got {actual}", "InvalidArgumentType", arg)

    # ------------------------------------------------------------------ WITH / RETURN

    def projection(self, proj: n.Projection, scope: Scope, kind: str) -> tuple[Scope, bool, tuple[str, ...]]:
        if proj.star and not scope.visible and kind == "RETURN":
            raise _syntax(f"{kind} * needs at least one variable in scope", "NoVariablesInScope", proj)
        item_ctx = _Ctx(scope, aggregates=True)
        # `*` projects the user-named variables in name order (as Neo4j and the TCK's tables do).
        infos: list[VariableInfo] = sorted(scope.visible, key=lambda v: v.name) if proj.star else []
        names: set[str] = {v.name for v in infos}
        for item in proj.items:
            t = self.expr(item.expression, item_ctx)
            if item.name in names:
                raise _syntax(f"multiple result columns named `{item.name}`", "ColumnNameConflict", item)
            names.add(item.name)
            infos.append(VariableInfo(item.name, t))
        aggregating = any(contains_aggregate(item.expression) for item in proj.items)
        grouping = [i.expression for i in proj.items if not contains_aggregate(i.expression)]
        if proj.star:
            grouping.extend(n.Variable(v.name) for v in scope.visible)
        if aggregating:
            for item in proj.items:
                if contains_aggregate(item.expression):
                    self._check_ambiguous(item.expression, grouping, scope)
        out = Scope({v.name: v for v in infos})
        self._order_by(proj, scope, out, aggregating, grouping)
        for bound_expr in (proj.skip, proj.limit):
            if bound_expr is not None:
                self._skip_limit(bound_expr)
        for item in proj.items:
            if kind == "WITH" and item.alias is None and not isinstance(item.expression, n.Variable):
                raise _syntax("expression in WITH must be aliased (use AS)", "NoExpressionAlias", item)
        return out, aggregating, tuple(v.name for v in infos)

    def _order_by(
        self,
        proj: n.Projection,
        scope: Scope,
        out: Scope,
        aggregating: bool,
        grouping: list[n.Expression],
    ) -> None:
        if not proj.order_by:
            return
        projected = {item.expression: out[item.name].type for item in proj.items}
        if aggregating or proj.distinct:
            ctx = _Ctx(out, aggregates=aggregating, projected=projected)
        else:
            merged = scope.with_vars(*out.values())
            ctx = _Ctx(merged, projected=projected)
        for sort in proj.order_by:
            has_aggregate = contains_aggregate(sort.expression)
            if has_aggregate and not aggregating:
                raise _syntax(
                    "aggregation in ORDER BY needs an aggregating projection", "InvalidAggregation", sort
                )
            self.expr(sort.expression, ctx)
            if has_aggregate:
                self._check_ambiguous(sort.expression, grouping, scope)

    def _skip_limit(self, expr: n.Expression) -> None:
        if any(isinstance(x, (n.Variable, n.PatternExpression)) for x in n.walk(expr)):
            raise _syntax("SKIP/LIMIT must be a constant expression", "NonConstantExpression", expr)
        t = self.expr(expr, _Ctx(Scope()))
        if isinstance(expr, n.Literal_) and isinstance(expr.value, int) and expr.value < 0:
            raise _syntax("SKIP/LIMIT cannot be negative", "NegativeIntegerArgument", expr)
        if t.name not in ("INTEGER", "ANY", "NULL", "NUMBER"):
            raise _syntax(f"SKIP/LIMIT must be an integer, not {t}", "InvalidArgumentType", expr)

    def _check_ambiguous(self, expr: n.Expression, grouping: list[n.Expression], scope: Scope) -> None:
        simple = {g for g in grouping if isinstance(g, n.Variable) or _is_property_of_variable(g)}

        stack: list[tuple[n.Expression, frozenset[str]]] = [(expr, frozenset())]
        while stack:
            e, local = stack.pop()
            if is_aggregate(e) or e in simple:
                continue
            if isinstance(e, n.Variable):
                if e.name in scope and e.name not in local:
                    raise _syntax(
                        "an expression mixes aggregation with a variable that is not a grouping key",
                        "AmbiguousAggregationExpression",
                        expr,
                    )
                continue
            inner = local | _local_names(e)
            stack.extend((child, inner) for child in _child_expressions(e))

    # ------------------------------------------------------------------ patterns

    def pattern(self, pattern: n.Pattern, scope: Scope, mode: str) -> Scope:
        """Bind a MATCH / CREATE / MERGE pattern (``mode``) and return the scope it leaves."""
        new: dict[str, VariableInfo] = {}
        rels_here: set[str] = set()
        for part in pattern.parts:
            lone = not part.element.relationships
            for node in part.element.nodes:
                self._node(node, scope, new, mode, lone)
            for rel in part.element.relationships:
                self._relationship(rel, scope, new, rels_here, mode)
            if part.variable is not None:
                name = part.variable.name
                if name in scope or name in new:
                    raise _syntax(
                        f"variable `{name}` already declared", "VariableAlreadyBound", part.variable
                    )
                new[name] = VariableInfo(name, PATH)
        return scope.with_vars(*new.values())

    def _node(
        self, node: n.NodePattern, scope: Scope, new: dict[str, VariableInfo], mode: str, lone: bool
    ) -> None:
        current = scope.with_vars(*new.values())
        if node.properties is not None:
            self._pattern_properties(node.properties, current, mode)
        if node.variable is None:
            return
        name = node.variable.name
        known = new.get(name) or scope.get(name)
        if known is None:
            if mode == "predicate":
                raise _syntax(f"variable `{name}` not defined", "UndefinedVariable", node.variable)
            new[name] = VariableInfo(name, NODE)
            return
        if mode in ("create", "merge") and (node.labels or node.properties is not None or lone):
            raise _syntax(f"variable `{name}` already declared", "VariableAlreadyBound", node.variable)
        if not NODE.accepts(known.type):
            raise _syntax(
                f"variable `{name}` is a {known.type}, not a node", "VariableTypeConflict", node.variable
            )
        if known.type.is_any:
            new[name] = VariableInfo(name, NODE, known.anonymous)

    def _relationship(
        self,
        rel: n.RelationshipPattern,
        scope: Scope,
        new: dict[str, VariableInfo],
        rels_here: set[str],
        mode: str,
    ) -> None:
        current = scope.with_vars(*new.values())
        if rel.properties is not None:
            self._pattern_properties(rel.properties, current, mode)
        if rel.length is not None:
            for bound in (rel.length.min, rel.length.max):
                if bound is not None:
                    self.expr(bound, _Ctx(Scope()))
        if rel.variable is None:
            self._creatable(rel, mode)
            return
        name = rel.variable.name
        expected = RELATIONSHIP if rel.length is None else list_of(RELATIONSHIP)
        known = new.get(name) or scope.get(name)
        if known is None:
            if mode == "predicate":
                raise _syntax(f"variable `{name}` not defined", "UndefinedVariable", rel.variable)
            self._creatable(rel, mode)
            new[name] = VariableInfo(name, expected)
            rels_here.add(name)
            return
        if mode in ("create", "merge"):
            raise _syntax(f"variable `{name}` already declared", "VariableAlreadyBound", rel.variable)
        if name in rels_here:
            raise _syntax(
                f"relationship `{name}` appears twice in one pattern",
                "RelationshipUniquenessViolation",
                rel.variable,
            )
        if not expected.accepts(known.type) and not (rel.length is not None and known.type == RELATIONSHIP):
            raise _syntax(
                f"variable `{name}` is a {known.type}, not a relationship",
                "VariableTypeConflict",
                rel.variable,
            )
        rels_here.add(name)

    def _creatable(self, rel: n.RelationshipPattern, mode: str) -> None:
        """CREATE/MERGE make exactly one relationship of one type (CREATE: in one direction)."""
        if mode in ("create", "merge"):
            if mode == "create" and rel.direction == "both":
                raise _syntax("CREATE needs a directed relationship", "RequiresDirectedRelationship", rel)
            if len(rel.types) != 1:
                raise _syntax(
                    f"{mode.upper()} needs exactly one relationship type", "NoSingleRelationshipType", rel
                )
            if rel.length is not None:
                raise _syntax(
                    f"{mode.upper()} cannot create a variable-length path", "CreatingVarLength", rel
                )

    def _pattern_properties(self, props: n.Expression, scope: Scope, mode: str) -> None:
        if isinstance(props, n.Parameter) and mode in ("match", "merge", "predicate"):
            raise _syntax(
                "a parameter cannot stand for the property map of a MATCH/MERGE pattern",
                "InvalidParameterUse",
                props,
            )
        self.expr(props, _Ctx(scope))

    # ------------------------------------------------------------------ expressions

    def expr(self, e: n.Expression, ctx: _Ctx) -> CypherType:
        """Bind ``e`` in ``ctx`` and return its static type."""
        if ctx.projected is not None and e in ctx.projected:
            return ctx.projected[e]
        method = getattr(self, "_e_" + type(e).__name__, None)
        if method is None:
            raise _syntax(f"unsupported expression {type(e).__name__}", "UnexpectedSyntax", e)
        result: CypherType = method(e, ctx)
        return result

    def _plain(self, ctx: _Ctx) -> _Ctx:
        """The context for operands that are not in predicate position."""
        return ctx.but(patterns=False) if ctx.patterns else ctx

    def _e_Literal_(self, e: n.Literal_, ctx: _Ctx) -> CypherType:
        return _literal_type(e.value)

    def _e_ListLiteral(self, e: n.ListLiteral, ctx: _Ctx) -> CypherType:
        inner = self._plain(ctx)
        return list_of(_common([self.expr(item, inner) for item in e.items]))

    def _e_MapLiteral(self, e: n.MapLiteral, ctx: _Ctx) -> CypherType:
        inner = self._plain(ctx)
        for _, value in e.items:
            self.expr(value, inner)
        return MAP

    def _e_Parameter(self, e: n.Parameter, ctx: _Ctx) -> CypherType:
        self.used_parameters.add(e.name)
        if self.parameters is not None and e.name not in self.parameters:
            raise ParameterMissingError(f"expected parameter ${e.name}", code="MissingParameter", span=e.span)
        return ANY

    def _e_Variable(self, e: n.Variable, ctx: _Ctx) -> CypherType:
        return self._lookup(e, ctx.scope).type

    def _lookup(self, v: n.Variable, scope: Scope) -> VariableInfo:
        info = scope.get(v.name)
        if info is None:
            raise _syntax(f"variable `{v.name}` not defined", "UndefinedVariable", v)
        return info

    def _fresh(self, v: n.Variable, scope: Scope) -> None:
        if v.name in scope:
            raise _syntax(f"variable `{v.name}` already declared", "VariableAlreadyBound", v)

    def _e_Property(self, e: n.Property, ctx: _Ctx) -> CypherType:
        t = self.expr(e.subject, self._plain(ctx))
        if t == PATH:
            raise _syntax("a path has no properties", "InvalidArgumentType", e)
        if t.name in ("INTEGER", "FLOAT", "NUMBER", "BOOLEAN", "STRING", "LIST"):
            raise CypherTypeError(
                f"type mismatch: expected a map, node or relationship but was {t}",
                code="InvalidArgumentType",
                span=e.span,
            )
        return ANY

    def _e_Index(self, e: n.Index, ctx: _Ctx) -> CypherType:
        inner = self._plain(ctx)
        t = self.expr(e.subject, inner)
        self.expr(e.index, inner)
        if t.is_list:
            return t.element or ANY
        return ANY

    def _e_Slice(self, e: n.Slice, ctx: _Ctx) -> CypherType:
        inner = self._plain(ctx)
        t = self.expr(e.subject, inner)
        for bound in (e.start, e.end):
            if bound is not None:
                self.expr(bound, inner)
        return t if t.is_list else ANY

    def _e_HasLabels(self, e: n.HasLabels, ctx: _Ctx) -> CypherType:
        self.expr(e.subject, self._plain(ctx))
        return BOOLEAN

    def _e_Unary(self, e: n.Unary, ctx: _Ctx) -> CypherType:
        if e.op == "NOT":
            t = self.expr(e.operand, ctx)
            if not BOOLEAN.accepts(t):
                raise _syntax(f"NOT needs a boolean, not {t}", "InvalidArgumentType", e)
            return BOOLEAN
        t = self.expr(e.operand, self._plain(ctx))
        if t.name in _NON_NUMERIC or t.name in ("STRING", "LIST"):
            raise _syntax(f"unary {e.op} cannot take {t}", "InvalidArgumentType", e)
        return t

    def _e_Binary(self, e: n.Binary, ctx: _Ctx) -> CypherType:
        # A left-deep chain of one operator (`a OR b OR c ...`, `1 + 2 + 3 ...`, often generated and
        # long) is walked iteratively, so its length costs no Python stack.
        chain = [e]
        while isinstance(chain[-1].left, n.Binary) and chain[-1].left.op == e.op:
            if ctx.projected is not None and chain[-1].left in ctx.projected:
                break
            chain.append(chain[-1].left)
        logical = e.op in ("AND", "OR", "XOR")
        inner = ctx if logical else self._plain(ctx)
        left = self.expr(chain[-1].left, inner)
        for link in reversed(chain):
            right = self.expr(link.right, inner)
            left = self._binary_type(link, left, right)
        return left

    def _binary_type(self, e: n.Binary, left: CypherType, right: CypherType) -> CypherType:
        if e.op in ("AND", "OR", "XOR"):
            for side, t in ((e.left, left), (e.right, right)):
                if not BOOLEAN.accepts(t):
                    raise _syntax(f"{e.op} needs booleans, not {t}", "InvalidArgumentType", side)
            return BOOLEAN
        if e.op == "IN":
            if right.name not in ("LIST", "ANY", "NULL"):
                raise _syntax(f"IN needs a list on its right, not {right}", "InvalidArgumentType", e.right)
            return BOOLEAN
        if e.op in ("STARTS WITH", "ENDS WITH", "CONTAINS", "=~"):
            return BOOLEAN
        return _arithmetic(e.op, left, right, e)

    def _e_Comparison(self, e: n.Comparison, ctx: _Ctx) -> CypherType:
        inner = self._plain(ctx)
        for operand in e.operands:
            self.expr(operand, inner)
        return BOOLEAN

    def _e_IsNull(self, e: n.IsNull, ctx: _Ctx) -> CypherType:
        self.expr(e.operand, self._plain(ctx))
        return BOOLEAN

    def _e_CountStar(self, e: n.CountStar, ctx: _Ctx) -> CypherType:
        self._aggregate_allowed(e, ctx)
        return INTEGER

    def _aggregate_allowed(self, e: n.Expression, ctx: _Ctx) -> None:
        if ctx.in_aggregate:
            raise _syntax("aggregations cannot be nested", "NestedAggregation", e)
        if not ctx.aggregates:
            raise _syntax("aggregation is not allowed here", "InvalidAggregation", e)

    def _e_FunctionCall(self, e: n.FunctionCall, ctx: _Ctx) -> CypherType:
        sig = function_signature(e.name)
        if sig is None:
            raise _syntax(f"unknown function '{e.name}'", "UnknownFunction", e)
        if len(e.args) < sig.min_args or (sig.max_args is not None and len(e.args) > sig.max_args):
            raise _syntax(f"wrong number of arguments for {e.name}()", "InvalidNumberOfArguments", e)
        lower = e.name.lower()
        if ctx.in_aggregate and lower in NON_DETERMINISTIC:
            raise _syntax(f"{e.name}() is not constant inside an aggregation", "NonConstantExpression", e)
        inner = ctx.but(patterns=lower == "exists")
        if sig.aggregate:
            self._aggregate_allowed(e, ctx)
            inner = inner.but(in_aggregate=True, aggregates=False)
        for i, arg in enumerate(e.args):
            t = self.expr(arg, inner)
            if i < len(sig.arg_types) and not any(expected.accepts(t) for expected in sig.arg_types[i]):
                raise _syntax(f"{e.name}() cannot take {t}", "InvalidArgumentType", arg)
        return sig.result

    def _e_Case(self, e: n.Case, ctx: _Ctx) -> CypherType:
        inner = self._plain(ctx)
        if e.subject is not None:
            self.expr(e.subject, inner)
        results = []
        for condition, result in e.alternatives:
            self.expr(condition, inner)
            results.append(self.expr(result, inner))
        if e.default is not None:
            results.append(self.expr(e.default, inner))
        return _common(results)

    def _scoped(self, ctx: _Ctx, *infos: VariableInfo) -> _Ctx:
        """The context inside a comprehension body: local variables, no aggregation, no patterns."""
        return _Ctx(ctx.scope.with_vars(*infos), in_aggregate=ctx.in_aggregate)

    def _e_ListComprehension(self, e: n.ListComprehension, ctx: _Ctx) -> CypherType:
        source = self.expr(e.source, self._plain(ctx))
        element = source.element if source.is_list and source.element is not None else ANY
        inner = self._scoped(ctx, VariableInfo(e.variable.name, element))
        if e.predicate is not None:
            self.expr(e.predicate, inner.but(patterns=True))
        if e.projection is not None:
            return list_of(self.expr(e.projection, inner))
        return list_of(element)

    def _e_Quantifier(self, e: n.Quantifier, ctx: _Ctx) -> CypherType:
        source = self.expr(e.source, self._plain(ctx))
        element = source.element if source.is_list and source.element is not None else ANY
        inner = self._scoped(ctx, VariableInfo(e.variable.name, element))
        if e.predicate is not None:
            t = self.expr(e.predicate, inner.but(patterns=True))
            if not BOOLEAN.accepts(t):
                raise _syntax(f"{e.kind}() needs a boolean predicate", "InvalidArgumentType", e.predicate)
        return BOOLEAN

    def _e_Reduce(self, e: n.Reduce, ctx: _Ctx) -> CypherType:
        plain = self._plain(ctx)
        init = self.expr(e.init, plain)
        source = self.expr(e.source, plain)
        element = source.element if source.is_list and source.element is not None else ANY
        inner = self._scoped(
            ctx, VariableInfo(e.accumulator.name, init), VariableInfo(e.variable.name, element)
        )
        result = self.expr(e.expression, inner)
        return result if result == init else ANY

    def _e_PatternExpression(self, e: n.PatternExpression, ctx: _Ctx) -> CypherType:
        if not ctx.patterns:
            raise _syntax(
                "a pattern expression is only allowed as a predicate (WHERE, exists())", "UnexpectedSyntax", e
            )
        self.pattern(n.Pattern((n.PatternPart(None, e.element),)), ctx.scope, "predicate")
        return BOOLEAN

    def _e_PatternComprehension(self, e: n.PatternComprehension, ctx: _Ctx) -> CypherType:
        part = n.PatternPart(e.variable, e.element)
        local = self.pattern(n.Pattern((part,)), ctx.scope, "match")
        inner = _Ctx(local, in_aggregate=ctx.in_aggregate)
        if e.predicate is not None:
            self.expr(e.predicate, inner.but(patterns=True))
        return list_of(self.expr(e.projection, inner))

    def _subquery(self, e: n.ExistsSubquery | n.CountSubquery, ctx: _Ctx) -> None:
        if e.query is not None:
            self.query(e.query, ctx.scope, subquery=True)
            return
        assert e.pattern is not None
        local = self.pattern(e.pattern, ctx.scope, "match")
        if e.predicate is not None:
            self.predicate(e.predicate, local)

    def _e_ExistsSubquery(self, e: n.ExistsSubquery, ctx: _Ctx) -> CypherType:
        self._subquery(e, ctx)
        return BOOLEAN

    def _e_CountSubquery(self, e: n.CountSubquery, ctx: _Ctx) -> CypherType:
        self._subquery(e, ctx)
        return INTEGER

    def _e_MapProjection(self, e: n.MapProjection, ctx: _Ctx) -> CypherType:
        inner = self._plain(ctx)
        self._lookup(e.variable, ctx.scope)
        for item in e.items:
            if item.value is not None:
                self.expr(item.value, inner)
        return MAP


@functools.cache
def _registry() -> Callable[[str], Any] | None:
    """The executor's function registry ``lookup``, or None when it is not importable."""
    try:
        from namidb_cypher.functions.registry import lookup
    except ImportError:
        return None
    return lookup


def function_signature(name: str) -> FunctionSignature | None:
    """What the binder knows about function ``name``, or None if there is no such function.

    The executor's registry (:mod:`namidb_cypher.functions.registry`) decides whether a function exists,
    its arity and whether it aggregates, so the binder accepts exactly what can run; the binder's own
    table (:data:`namidb_cypher.binder.types.FUNCTIONS`) adds static result and argument types, and
    stands in alone when the registry is not available.
    """
    mine = lookup_function(name)
    lookup = _registry()
    if lookup is None:
        return mine
    theirs = lookup(name)
    if theirs is None:
        return None
    if mine is None:
        return FunctionSignature(theirs.min_args, theirs.max_args, ANY, theirs.aggregate)
    return FunctionSignature(theirs.min_args, theirs.max_args, mine.result, theirs.aggregate, mine.arg_types)


def _unwound(t: CypherType) -> CypherType:
    """The type of UNWIND's variable: a list's element type; a scalar unwinds to itself."""
    if t.is_list:
        return t.element or ANY
    return ANY if t in (ANY, NULL) else t


def _is_property_of_variable(e: n.Expression) -> bool:
    return isinstance(e, n.Property) and isinstance(e.subject, n.Variable)


def _local_names(e: n.Expression) -> frozenset[str]:
    if isinstance(e, (n.ListComprehension, n.Quantifier)):
        return frozenset({e.variable.name})
    if isinstance(e, n.Reduce):
        return frozenset({e.accumulator.name, e.variable.name})
    if isinstance(e, n.PatternComprehension):
        names = {x.name for x in n.walk(e.element) if isinstance(x, n.Variable)}
        if e.variable is not None:
            names.add(e.variable.name)
        return frozenset(names)
    return frozenset()
