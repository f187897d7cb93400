"""The compiled per-row fallback: expressions → closures, built once per plan.

Most expressions run vectorized (:mod:`namidb_cypher.executor.vecexpr`); what
does not — list comprehensions, maps, CASE over mixed values, user functions
on arbitrary values — runs here. :meth:`RowCompiler.compile` turns an expression tree
into one Python closure *once*; evaluating a row is then a chain of closure
calls over an environment dict (variable → Python value), never a walk over
the syntax tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from namidb_cypher import semantics as sem
from namidb_cypher.ast import nodes as ast
from namidb_cypher.errors import (
    CypherArgumentError,
    CypherSemanticError,
    CypherTypeError,
    ParameterMissingError,
)
from namidb_cypher.executor.context import ExecContext
from namidb_cypher.functions.list import OMITTED, list_slice
from namidb_cypher.values import Node, Relationship

__all__ = ["Env", "PatternCompiler", "RowCompiler", "RowFn", "property_of"]

Env = dict[str, Any]
RowFn = Callable[[Env], Any]
# Compiles a pattern-carrying expression (pattern predicate, comprehension, subquery);
# provided by the query runner, which owns pattern matching.
PatternCompiler = Callable[[ast.Expression], RowFn]


def _type_error(message: str, code: str = "InvalidArgumentType") -> CypherTypeError:
    return CypherTypeError(message, code=code, phase="runtime")


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.DOTALL)


def property_of(ctx: ExecContext, subject: Any, key: str) -> Any:
    """``subject.key`` for any value (null, node, relationship, map, temporal)."""
    if subject is None:
        return None
    if isinstance(subject, Node):
        ctx.check_live_node(subject.id)
        return ctx.graph.node_properties(subject.id).get(key)
    if isinstance(subject, Relationship):
        ctx.check_live_rel(subject.id)
        return ctx.graph.rel_properties(subject.id).get(key)
    if isinstance(subject, dict):
        return subject.get(key)
    if sem.is_temporal(subject):
        from namidb_cypher.temporal import temporal_property

        return temporal_property(subject, key)
    raise _type_error(f"cannot read property {key!r} of a {sem.type_name(subject)}")


def _index(ctx: ExecContext, subject: Any, index: Any) -> Any:
    if subject is None or index is None:
        return None
    if isinstance(subject, list):
        if not sem.is_int(index):
            raise _type_error(f"list index must be an INTEGER, got {sem.type_name(index)}")
        n = len(subject)
        i = index + n if index < 0 else index
        return subject[i] if 0 <= i < n else None
    if isinstance(subject, (dict, Node, Relationship)):
        if not isinstance(index, str):
            raise _type_error(
                f"map key must be a STRING, got {sem.type_name(index)}", code="MapElementAccessByNonString"
            )
        return property_of(ctx, subject, index)
    raise _type_error(f"cannot index into a {sem.type_name(subject)}")


def _string_op(op: str, a: Any, b: Any) -> bool | None:
    if not isinstance(a, str) or not isinstance(b, str):
        return None
    if op == "STARTS WITH":
        return a.startswith(b)
    if op == "ENDS WITH":
        return a.endswith(b)
    return b in a


def _regex_match(a: Any, b: Any) -> bool | None:
    if not isinstance(a, str) or not isinstance(b, str):
        return None
    try:
        return _regex(b).fullmatch(a) is not None
    except re.error as e:
        raise CypherArgumentError(
            f"invalid regular expression {b!r}: {e}", code="InvalidArgumentValue"
        ) from e


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": sem.add,
    "-": sem.sub,
    "*": sem.mul,
    "/": sem.div,
    "%": sem.mod,
    "^": sem.pow,
}
_COMPARE: dict[str, Callable[[Any, Any], bool | None]] = {
    "=": sem.equals,
    "<>": lambda a, b: sem.not3(sem.equals(a, b)),
    "<": sem.lt,
    "<=": sem.le,
    ">": sem.gt,
    ">=": sem.ge,
}


def _truthy(value: Any) -> bool:
    """WHERE / CASE WHEN semantics: only true passes; a non-boolean is a type error."""
    if value is None or value is True or value is False:
        return value is True
    raise _type_error(f"expected a BOOLEAN, got {sem.type_name(value)}")


class RowCompiler:
    """Compiles expressions to closures for one statement.

    Args:
        ctx: the statement's context (graph, parameters).
        patterns: compiles pattern expressions and subqueries (owned by the query runner).
        functions: resolves a function call to a closure over evaluated arguments;
            graph-aware functions (``labels``, ``type``...) are resolved by the runner.
    """

    def __init__(
        self,
        ctx: ExecContext,
        patterns: PatternCompiler,
        functions: Callable[[ast.FunctionCall | ast.CountStar, list[RowFn]], RowFn],
    ) -> None:
        self.ctx = ctx
        self._patterns = patterns
        self._functions = functions

    def compile(self, e: ast.Expression) -> RowFn:
        """The closure computing ``e`` for one row's environment."""
        ctx = self.ctx
        c = self.compile
        if isinstance(e, ast.Literal_):
            value = e.value
            return lambda env: value
        if isinstance(e, ast.Variable):
            name = e.name
            return lambda env: env[name]
        if isinstance(e, ast.Parameter):
            if e.name not in ctx.params:
                raise ParameterMissingError(f"expected a parameter named ${e.name}", code="MissingParameter")
            pvalue = ctx.params[e.name]
            return lambda env: pvalue
        if isinstance(e, ast.Property):
            subject, key = c(e.subject), e.key
            return lambda env: property_of(ctx, subject(env), key)
        if isinstance(e, ast.ListLiteral):
            items = [c(x) for x in e.items]
            return lambda env: [f(env) for f in items]
        if isinstance(e, ast.MapLiteral):
            pairs = [(k, c(v)) for k, v in e.items]
            return lambda env: {k: f(env) for k, f in pairs}
        if isinstance(e, ast.Index):
            subject_f, index_f = c(e.subject), c(e.index)
            return lambda env: _index(ctx, subject_f(env), index_f(env))
        if isinstance(e, ast.Slice):
            s_f = c(e.subject)
            lo_f = c(e.start) if e.start is not None else (lambda env: OMITTED)
            hi_f = c(e.end) if e.end is not None else (lambda env: OMITTED)
            return lambda env: list_slice(s_f(env), lo_f(env), hi_f(env))
        if isinstance(e, ast.HasLabels):
            s_f, labels = c(e.subject), e.labels

            def has_labels(env: Env) -> bool | None:
                node = s_f(env)
                if node is None:
                    return None
                if isinstance(node, Relationship):  # `r:T` tests a relationship's type
                    return all(label == node.type for label in labels)
                if not isinstance(node, Node):
                    raise _type_error(f"label test on a {sem.type_name(node)}")
                current = ctx.node(node.id).labels
                return all(label in current for label in labels)

            return has_labels
        if isinstance(e, ast.Unary):
            o_f = c(e.operand)
            if e.op == "NOT":
                return lambda env: sem.not3(o_f(env))
            if e.op == "-":
                return lambda env: sem.neg(o_f(env))

            def plus(env: Env) -> Any:
                v = o_f(env)
                if v is not None and not sem.is_number(v):
                    raise _type_error(f"unary + on a {sem.type_name(v)}")
                return v

            return plus
        if isinstance(e, ast.Binary):
            return self._binary(e)
        if isinstance(e, ast.Comparison):
            fns = [c(x) for x in e.operands]
            ops = [_COMPARE[o] for o in e.ops]
            if len(ops) == 1:
                op, a_f, b_f = ops[0], fns[0], fns[1]
                return lambda env: op(a_f(env), b_f(env))

            def chain(env: Env) -> bool | None:
                values = [f(env) for f in fns]
                result: bool | None = True
                for op, a, b in zip(ops, values, values[1:], strict=False):
                    result = sem.and3(result, op(a, b))
                    if result is False:
                        return False
                return result

            return chain
        if isinstance(e, ast.IsNull):
            o_f, neg = c(e.operand), e.negated
            return (lambda env: o_f(env) is not None) if neg else (lambda env: o_f(env) is None)
        if isinstance(e, ast.FunctionCall):
            return self._functions(e, [c(a) for a in e.args])
        if isinstance(e, ast.CountStar):
            return self._functions(e, [])  # resolves to its per-group result inside a projection
        if isinstance(e, ast.Case):
            return self._case(e)
        if isinstance(e, ast.ListComprehension):
            return self._list_comprehension(e)
        if isinstance(e, ast.Quantifier):
            return self._quantifier(e)
        if isinstance(e, ast.Reduce):
            acc, var = e.accumulator.name, e.variable.name
            init_f, src_f, expr_f = c(e.init), c(e.source), c(e.expression)

            def reduce_(env: Env) -> Any:
                items = src_f(env)
                if items is None:
                    return None
                if not isinstance(items, list):
                    raise _type_error(f"reduce() needs a LIST, got {sem.type_name(items)}")
                inner = dict(env)
                inner[acc] = init_f(env)
                for item in items:
                    inner[var] = item
                    inner[acc] = expr_f(inner)
                return inner[acc]

            return reduce_
        if isinstance(e, ast.MapProjection):
            return self._map_projection(e)
        if isinstance(
            e, (ast.PatternExpression, ast.PatternComprehension, ast.ExistsSubquery, ast.CountSubquery)
        ):
            return self._patterns(e)
        raise CypherSemanticError(f"unsupported expression {type(e).__name__}", code="UnsupportedExpression")

    def _binary(self, e: ast.Binary) -> RowFn:
        a_f, b_f, op = self.compile(e.left), self.compile(e.right), e.op
        if op == "AND":

            def and_(env: Env) -> bool | None:
                a = a_f(env)
                if a is False:
                    sem.and3(a, None)
                    return False
                return sem.and3(a, b_f(env))

            return and_
        if op == "OR":

            def or_(env: Env) -> bool | None:
                a = a_f(env)
                if a is True:
                    return True
                return sem.or3(a, b_f(env))

            return or_
        if op == "XOR":
            return lambda env: sem.xor3(a_f(env), b_f(env))
        if op == "IN":
            return lambda env: sem.in_list(a_f(env), b_f(env))
        if op in ("STARTS WITH", "ENDS WITH", "CONTAINS"):
            return lambda env: _string_op(op, a_f(env), b_f(env))
        if op == "=~":
            return lambda env: _regex_match(a_f(env), b_f(env))
        fn = _ARITH[op]
        return lambda env: fn(a_f(env), b_f(env))

    def _case(self, e: ast.Case) -> RowFn:
        alternatives = [(self.compile(w), self.compile(t)) for w, t in e.alternatives]
        default = self.compile(e.default) if e.default is not None else (lambda env: None)
        if e.subject is not None:
            subject_f = self.compile(e.subject)

            def simple_case(env: Env) -> Any:
                value = subject_f(env)
                for when, then in alternatives:
                    if sem.equals(value, when(env)) is True:
                        return then(env)
                return default(env)

            return simple_case

        def generic_case(env: Env) -> Any:
            for when, then in alternatives:
                if when(env) is True:
                    return then(env)
            return default(env)

        return generic_case

    def _list_comprehension(self, e: ast.ListComprehension) -> RowFn:
        var = e.variable.name
        src_f = self.compile(e.source)
        pred_f = self.compile(e.predicate) if e.predicate is not None else None
        proj_f = self.compile(e.projection) if e.projection is not None else None

        def comprehension(env: Env) -> Any:
            items = src_f(env)
            if items is None:
                return None
            if not isinstance(items, list):
                raise _type_error(f"list comprehension over a {sem.type_name(items)}")
            inner = dict(env)
            out = []
            for item in items:
                inner[var] = item
                if pred_f is not None and not _truthy(pred_f(inner)):
                    continue
                out.append(proj_f(inner) if proj_f is not None else item)
            return out

        return comprehension

    def _quantifier(self, e: ast.Quantifier) -> RowFn:
        var, kind = e.variable.name, e.kind
        src_f = self.compile(e.source)
        pred_f = self.compile(e.predicate) if e.predicate is not None else (lambda env: env[var])

        def quantifier(env: Env) -> bool | None:
            items = src_f(env)
            if items is None:
                return None
            if not isinstance(items, list):
                raise _type_error(f"{kind}() needs a LIST, got {sem.type_name(items)}")
            inner = dict(env)
            trues = nulls = 0
            for item in items:
                inner[var] = item
                r = pred_f(inner)
                if r is None:
                    nulls += 1
                elif r is True:
                    trues += 1
                    if kind == "any":
                        return True
                    if kind == "none":
                        return False
                    if kind == "single" and trues > 1:
                        return False
                elif r is False:
                    if kind == "all":
                        return False
                else:
                    raise _type_error(f"{kind}() predicate gave a {sem.type_name(r)}")
            if kind == "all":
                return None if nulls else True
            if kind == "any":
                return None if nulls else False
            if kind == "none":
                return None if nulls else True
            # single
            if nulls:
                return None if trues <= 1 else False
            return trues == 1

        return quantifier

    def _map_projection(self, e: ast.MapProjection) -> RowFn:
        ctx = self.ctx
        var = e.variable.name
        items: list[tuple[str, str | None, RowFn | None]] = []
        for item in e.items:
            if item.kind == "all":
                items.append(("all", None, None))
            elif item.kind == "property":
                items.append(("property", item.key, None))
            elif item.kind == "variable":
                assert item.value is not None
                items.append(("literal", item.key, self.compile(item.value)))
            else:
                assert item.value is not None
                items.append(("literal", item.key, self.compile(item.value)))

        def projection(env: Env) -> Any:
            subject = env[var]
            if subject is None:
                return None
            out: dict[str, Any] = {}
            for kind, key, fn in items:
                if kind == "all":
                    if isinstance(subject, Node):
                        out.update(ctx.graph.node_properties(subject.id))
                    elif isinstance(subject, Relationship):
                        out.update(ctx.graph.rel_properties(subject.id))
                    elif isinstance(subject, dict):
                        out.update(subject)
                elif kind == "property":
                    assert key is not None
                    out[key] = property_of(ctx, subject, key)
                elif key is not None and fn is not None:
                    out[key] = fn(env)
            return out

        return projection
