"""Turn lark's parse callbacks into :mod:`namidb_cypher.ast.nodes`.

The builder runs *inside* the LALR parser (lark's ``transformer=`` option), so
no intermediate parse tree is ever built. The parser keeps every token
(``keep_all_tokens``) so each node's span covers its parentheses and keywords;
the methods below drop the punctuation they do not need. The query text is
read from a context variable that :func:`namidb_cypher.parser.parse` sets, which
keeps the one shared parser thread-safe.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, cast

from lark import Token, Transformer

from namidb_cypher.ast import nodes as n
from namidb_cypher.errors import CypherSyntaxError

__all__ = ["SOURCE", "SUSPECT", "AstBuilder", "INT64_MIN", "INT64_MAX", "BareNode"]

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

SOURCE: ContextVar[str] = ContextVar("namidb_cypher_source", default="")
# Set when the builder made something only a whole-tree check can judge (a node-only form, an int
# literal beyond int64 that a unary minus may still fold): parse() then runs that check, else skips it.
SUSPECT: ContextVar[bool] = ContextVar("namidb_cypher_suspect", default=False)

# Anonymous punctuation terminals lark names for the quoted strings of the grammar.
_PUNCT = frozenset({"LPAR", "RPAR", "LSQB", "RSQB", "LBRACE", "RBRACE", "COMMA", "DOT", "COLON", "VBAR"})

_STRING_ESCAPES = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "/": "/",
}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])")

_BINARY_OPS = {"OR": "OR", "XOR": "XOR", "AND": "AND", "CONTAINS": "CONTAINS", "IN": "IN"}


@dataclass(frozen=True, slots=True)
class BareNode(n.Expression):
    """A node-only form such as ``()`` or ``(:L)`` met where an expression is expected.

    Valid only as a step of a pattern predicate; :func:`parse` rejects any that survive elsewhere.
    """

    node: n.NodePattern


@dataclass(frozen=True, slots=True)
class _Where:
    expression: n.Expression


@dataclass(frozen=True, slots=True)
class _OrderBy:
    items: tuple[n.SortItem, ...]


@dataclass(frozen=True, slots=True)
class _Skip:
    expression: n.Expression


@dataclass(frozen=True, slots=True)
class _Limit:
    expression: n.Expression


@dataclass(frozen=True, slots=True)
class _Labels:
    groups: tuple[tuple[str, ...], ...]
    span: n.Span


@dataclass(frozen=True, slots=True)
class _RelDetail:
    variable: n.Variable | None = None
    types: tuple[str, ...] = ()
    length: n.VarLength | None = None
    properties: n.Expression | None = None


@dataclass(frozen=True, slots=True)
class _Yield:
    items: tuple[n.YieldItem, ...]
    star: bool
    where: n.Expression | None


@dataclass(frozen=True, slots=True)
class _Args:
    items: tuple[n.Expression, ...]


@dataclass(frozen=True, slots=True)
class _When:
    condition: n.Expression
    result: n.Expression


@dataclass(frozen=True, slots=True)
class _SetItems:
    items: tuple[n.SetItem, ...]
    on_create: bool


@dataclass(frozen=True, slots=True)
class _Flag:
    name: str


@dataclass(frozen=True, slots=True)
class _PropertyRef:
    key: str


@dataclass(frozen=True, slots=True)
class _Kind:
    kind: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class _SubqueryBody:
    query: n.Query | None
    pattern: n.Pattern | None
    where: n.Expression | None


def _span_of(item: object) -> n.Span | None:
    if isinstance(item, Token):
        if item.start_pos is None:
            return None
        return n.Span(
            item.line or 0,
            item.column or 0,
            item.end_line or 0,
            item.end_column or 0,
            item.start_pos,
            item.end_pos or item.start_pos,
        )
    if isinstance(item, n.Node):
        return None if item.span is n.NO_SPAN else item.span
    if isinstance(item, _Labels):
        return item.span
    if isinstance(item, (tuple, list)):
        found = span_over(item)
        return None if found is n.NO_SPAN else found
    if item is not None and hasattr(item, "__dataclass_fields__"):
        # A private carrier (_Where, _OrderBy, ...): the span of what it carries.
        found = span_over([getattr(item, name) for name in item.__dataclass_fields__])
        return None if found is n.NO_SPAN else found
    return None


def span_over(children: Sequence[object]) -> n.Span:
    """The span from the first to the last positioned child (``NO_SPAN`` if none has a position)."""
    first = last = None
    for child in children:
        s = _span_of(child)
        if s is not None:
            first = s
            break
    for child in reversed(children):
        s = _span_of(child)
        if s is not None:
            last = s
            break
    if first is None or last is None:
        return n.NO_SPAN
    return n.Span(first.line, first.column, last.end_line, last.end_column, first.start, last.end)


def syntax_error(message: str, span: n.Span | None, code: str = "UnexpectedSyntax") -> CypherSyntaxError:
    """A compile-time ``SyntaxError`` pointing at ``span`` (message gets the line/column)."""
    if span is not None and span is not n.NO_SPAN:
        message = f"{message} (line {span.line}, column {span.column})"
    return CypherSyntaxError(message, code=code, span=span)


def _drop_punct(children: Sequence[Any]) -> list[Any]:
    return [c for c in children if not (isinstance(c, Token) and c.type in _PUNCT)]


def _tokens(children: Sequence[Any]) -> set[str]:
    return {c.type for c in children if isinstance(c, Token)}


def _exprs(children: Sequence[Any]) -> list[n.Expression]:
    return [c for c in children if isinstance(c, n.Expression)]


def unescape_string(raw: str, span: n.Span | None) -> str:
    """Decode a quoted Cypher string literal (quotes included) per the openCypher escape rules."""
    body = raw[1:-1]
    if "\\" not in body:
        return body

    def one(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] in "uU":
            if len(esc) == 1:
                raise syntax_error(f"invalid unicode escape in {raw!r}", span, "InvalidUnicodeLiteral")
            return chr(int(esc[1:], 16))
        try:
            return _STRING_ESCAPES[esc]
        except KeyError:
            # Unknown escapes keep the backslash, as Neo4j does (`'\d'` is a regex class).
            return "\\" + esc

    return _ESCAPE_RE.sub(one, body)


def _name(token: Token) -> str:
    value = str(token)
    if token.type == "ESCAPED_NAME":
        return value[1:-1].replace("``", "`")
    return value


def _number(token: Token, span: n.Span | None) -> n.Literal_:
    text = str(token)
    kind = token.type
    if kind in ("DEC_INT", "HEX_INT", "OCT_INT"):
        value = int(text) if kind == "DEC_INT" else int(text[2:], 16 if kind == "HEX_INT" else 8)
        if value > INT64_MAX:
            SUSPECT.set(True)
        return n.Literal_(value, span=span or n.NO_SPAN)
    if kind == "FLOAT":
        number = float(text)
        if math.isinf(number):
            raise syntax_error(f"floating point literal {text} is too large", span, "FloatingPointOverflow")
        return n.Literal_(number, span=span or n.NO_SPAN)
    raise syntax_error(f"invalid number literal {text!r}", span, "InvalidNumberLiteral")


def _function_name(head: n.Expression, span: n.Span) -> str:
    if isinstance(head, n.Variable):
        return head.name
    if isinstance(head, n.Property):
        return f"{_function_name(head.subject, span)}.{head.key}"
    raise syntax_error("only a (namespaced) name can be called", span)


def as_node_pattern(form: n.Expression) -> n.NodePattern | None:
    """Read a parenthesized expression form as the node pattern it spells (None if it spells none).

    ``(n)`` is a variable, ``(n:A:B)`` a label predicate, ``(n {k: v})`` a map projection with only
    ``key: value`` entries, ``({k: v})`` a map literal, ``($p)`` a parameter.
    """
    span = form.span
    if isinstance(form, BareNode):
        return form.node
    if isinstance(form, n.Variable):
        return n.NodePattern(form, span=span)
    if isinstance(form, n.HasLabels) and isinstance(form.subject, n.Variable):
        return n.NodePattern(form.subject, tuple((label,) for label in form.labels), span=span)
    if isinstance(form, n.MapProjection) and all(i.kind == "literal" for i in form.items):
        items = tuple((cast(str, i.key), cast(n.Expression, i.value)) for i in form.items)
        props = n.MapLiteral(items, span=span_over(form.items) if form.items else span)
        return n.NodePattern(form.variable, (), props, span=span)
    if isinstance(form, (n.MapLiteral, n.Parameter)):
        return n.NodePattern(None, (), form, span=span)
    return None


def _reducer(op_of: Callable[[Token], str]) -> Callable[[Any, list[Any]], n.Expression]:
    def build(self: Any, children: list[Any]) -> n.Expression:
        left, op, right = children
        return n.Binary(op_of(op), left, right, span=span_over(children))

    return build


class AstBuilder(Transformer[Token, Any]):
    """lark callbacks, one per grammar rule/alias, returning AST nodes (or small private carriers)."""

    # ------------------------------------------------------------------ statement, query, clauses

    def statement(self, c: list[Any]) -> n.Statement:
        mode = "run"
        if isinstance(c[0], str):
            mode = c[0]
        body = next(x for x in c if isinstance(x, (n.Query, n.SchemaCommand)))
        return n.Statement(body, SOURCE.get(), cast(Any, mode), span=span_over(c))

    def query_prefix(self, c: list[Token]) -> str:
        return c[0].type.lower()

    def query(self, c: list[Any]) -> n.Query:
        parts = tuple(x for x in c if isinstance(x, n.SingleQuery))
        unions = tuple(x for x in c if isinstance(x, bool))
        return n.Query(parts, unions, span=span_over(c))

    def union(self, c: list[Token]) -> bool:
        return len(c) == 2

    def single_query(self, c: list[Any]) -> n.SingleQuery:
        return n.SingleQuery(tuple(c), span=span_over(c))

    def where(self, c: list[Any]) -> _Where:
        return _Where(c[1])

    def match_clause(self, c: list[Any]) -> n.Match:
        pattern = next(x for x in c if isinstance(x, n.Pattern))
        where = next((x.expression for x in c if isinstance(x, _Where)), None)
        optional = isinstance(c[0], Token) and c[0].type == "OPTIONAL"
        return n.Match(pattern, where, optional, span=span_over(c))

    def unwind_clause(self, c: list[Any]) -> n.Unwind:
        return n.Unwind(c[1], c[3], span=span_over(c))

    def with_clause(self, c: list[Any]) -> n.With:
        where = c[2].expression if len(c) > 2 else None
        return n.With(c[1], where, span=span_over(c))

    def return_clause(self, c: list[Any]) -> n.Return:
        return n.Return(c[1], span=span_over(c))

    def projection_body(self, c: list[Any]) -> n.Projection:
        distinct = isinstance(c[0], Token) and c[0].type == "DISTINCT"
        star, items, _ = next(x for x in c if isinstance(x, tuple))
        order = next((x.items for x in c if isinstance(x, _OrderBy)), ())
        skip = next((x.expression for x in c if isinstance(x, _Skip)), None)
        limit = next((x.expression for x in c if isinstance(x, _Limit)), None)
        return n.Projection(items, star, distinct, order, skip, limit, span=span_over(c))

    def projection_items(self, c: list[Any]) -> tuple[bool, tuple[n.ProjectionItem, ...], Token | None]:
        star = c[0] if isinstance(c[0], Token) and c[0].type == "STAR" else None
        # The `*` token rides along so that `RETURN *` has a span.
        return star is not None, tuple(x for x in c if isinstance(x, n.ProjectionItem)), star

    def projection_item(self, c: list[Any]) -> n.ProjectionItem:
        expr: n.Expression = c[0]
        alias = c[2] if len(c) == 3 else None
        return n.ProjectionItem(expr, alias, expr.span.text(SOURCE.get()), span=span_over(c))

    def order_by(self, c: list[Any]) -> _OrderBy:
        return _OrderBy(tuple(x for x in c if isinstance(x, n.SortItem)))

    def sort_item(self, c: list[Any]) -> n.SortItem:
        descending = len(c) == 2 and c[1].type in ("DESC", "DESCENDING")
        return n.SortItem(c[0], descending, span=span_over(c))

    def skip(self, c: list[Any]) -> _Skip:
        return _Skip(c[1])

    def limit(self, c: list[Any]) -> _Limit:
        return _Limit(c[1])

    def create_clause(self, c: list[Any]) -> n.Create:
        return n.Create(c[1], span=span_over(c))

    def merge_clause(self, c: list[Any]) -> n.Merge:
        on_create: list[n.SetItem] = []
        on_match: list[n.SetItem] = []
        for action in c[2:]:
            (on_create if action.on_create else on_match).extend(action.items)
        return n.Merge(c[1], tuple(on_create), tuple(on_match), span=span_over(c))

    def on_match(self, c: list[Any]) -> _SetItems:
        return _SetItems(tuple(x for x in c if isinstance(x, n.SetItem)), on_create=False)

    def on_create(self, c: list[Any]) -> _SetItems:
        return _SetItems(tuple(x for x in c if isinstance(x, n.SetItem)), on_create=True)

    def set_clause(self, c: list[Any]) -> n.Set:
        return n.Set(tuple(x for x in c if isinstance(x, n.SetItem)), span=span_over(c))

    def set_property(self, c: list[Any]) -> n.SetProperty:
        return n.SetProperty(c[0], c[2], span=span_over(c))

    def set_variable(self, c: list[Any]) -> n.SetVariable:
        return n.SetVariable(c[0], c[2], False, span=span_over(c))

    def set_merge(self, c: list[Any]) -> n.SetVariable:
        return n.SetVariable(c[0], c[2], True, span=span_over(c))

    def set_labels(self, c: list[Any]) -> n.SetLabels:
        return n.SetLabels(c[0], _flat_labels(c[1]), span=span_over(c))

    def remove_clause(self, c: list[Any]) -> n.Remove:
        return n.Remove(tuple(x for x in c if isinstance(x, n.RemoveItem)), span=span_over(c))

    def remove_labels(self, c: list[Any]) -> n.RemoveLabels:
        return n.RemoveLabels(c[0], _flat_labels(c[1]), span=span_over(c))

    def remove_property(self, c: list[Any]) -> n.RemoveProperty:
        return n.RemoveProperty(c[0], span=span_over(c))

    def property_expression(self, c: list[Any]) -> n.Property:
        expr: n.Expression = c[0]
        parts = _drop_punct(c[1:])
        for i, key in enumerate(parts):
            expr = n.Property(expr, _name(key), span=span_over(c[: 2 * i + 3]))
        return cast(n.Property, expr)

    def delete_clause(self, c: list[Any]) -> n.Delete:
        detach = isinstance(c[0], Token) and c[0].type == "DETACH"
        return n.Delete(tuple(_exprs(c)), detach, span=span_over(c))

    def call_clause(self, c: list[Any]) -> n.CallProcedure:
        name = str(c[1])
        args = next((x.items for x in c if isinstance(x, _Args)), None)
        y = next((x for x in c if isinstance(x, _Yield)), None)
        return n.CallProcedure(
            name,
            args,
            y.items if y is not None and not y.star else None,
            y.star if y is not None else False,
            y.where if y is not None else None,
            span=span_over(c),
        )

    def call_args(self, c: list[Any]) -> _Args:
        return _Args(tuple(_exprs(c)))

    def procedure_name(self, c: list[Any]) -> Token:
        # A token (not a str) so the CALL clause's span reaches the end of the name.
        first, last = c[0], c[-1]
        name = ".".join(_name(t) for t in _drop_punct(c))
        return Token(
            "PROCEDURE_NAME",
            name,
            first.start_pos,
            first.line,
            first.column,
            last.end_line,
            last.end_column,
            last.end_pos,
        )

    def yield_clause(self, c: list[Any]) -> _Yield:
        star = c[1].type == "STAR" if isinstance(c[1], Token) else False
        where = next((x.expression for x in c if isinstance(x, _Where)), None)
        return _Yield(tuple(x for x in c if isinstance(x, n.YieldItem)), star, where)

    def yield_item(self, c: list[Any]) -> n.YieldItem:
        if len(c) == 1:
            return n.YieldItem(c[0].name, c[0], span=span_over(c))
        return n.YieldItem(_name(c[0]), c[2], span=span_over(c))

    def call_subquery(self, c: list[Any]) -> n.CallSubquery:
        return n.CallSubquery(c[2], span=span_over(c))

    def foreach_clause(self, c: list[Any]) -> n.Foreach:
        body = tuple(x for x in c[6:] if isinstance(x, n.Clause))
        return n.Foreach(c[2], c[4], body, span=span_over(c))

    # ------------------------------------------------------------------ patterns

    def pattern(self, c: list[Any]) -> n.Pattern:
        return n.Pattern(tuple(x for x in c if isinstance(x, n.PatternPart)), span=span_over(c))

    def pattern_part(self, c: list[Any]) -> n.PatternPart:
        variable = c[0] if len(c) == 3 else None
        return n.PatternPart(variable, c[-1], span=span_over(c))

    def pattern_element(self, c: list[Any]) -> n.PatternElement:
        inner: n.PatternElement = c[1]
        return replace(inner, span=span_over(c))

    def shortest_path(self, c: list[Any]) -> n.PatternElement:
        kind = "all_shortest" if c[0].type == "ALLSHORTESTPATHS" else "shortest"
        inner: n.PatternElement = c[2]
        return replace(inner, shortest=kind, span=span_over(c))

    def path_chain(self, c: list[Any]) -> n.PatternElement:
        nodes_ = tuple(x for x in c if isinstance(x, n.NodePattern))
        rels = tuple(x for x in c if isinstance(x, n.RelationshipPattern))
        return n.PatternElement(nodes_, rels, span=span_over(c))

    def node_pattern(self, c: list[Any]) -> n.NodePattern:
        variable = next((x for x in c if isinstance(x, n.Variable)), None)
        labels = next((x.groups for x in c if isinstance(x, _Labels)), ())
        props = next((x for x in c if isinstance(x, n.Expression) and not isinstance(x, n.Variable)), None)
        return n.NodePattern(variable, labels, props, span=span_over(c))

    def properties(self, c: list[Any]) -> n.Expression:
        item = c[0]
        if isinstance(item, Token):
            return self.parameter([item])
        return cast(n.Expression, item)

    def pattern_labels(self, c: list[Any]) -> _Labels:
        return cast(_Labels, c[0])

    def node_labels(self, c: list[Any]) -> _Labels:
        names = tuple(_name(t) for t in _drop_punct(c))
        return _Labels(tuple((x,) for x in names), span_over(c))

    def label_or(self, c: list[Any]) -> _Labels:
        names = tuple(_name(t) for t in _drop_punct(c) if t.type != "BAR")
        return _Labels((names,), span_over(c))

    def _rel(self, c: list[Any], direction: n.Direction) -> n.RelationshipPattern:
        d = next((x for x in c if isinstance(x, _RelDetail)), _RelDetail())
        return n.RelationshipPattern(
            d.variable, d.types, direction, d.length, d.properties, span=span_over(c)
        )

    def rel_left(self, c: list[Any]) -> n.RelationshipPattern:
        return self._rel(c, "in")

    def rel_right(self, c: list[Any]) -> n.RelationshipPattern:
        return self._rel(c, "out")

    def rel_both(self, c: list[Any]) -> n.RelationshipPattern:
        return self._rel(c, "both")

    def rel_both_arrows(self, c: list[Any]) -> n.RelationshipPattern:
        # `<-->` / `<-[..]->`: openCypher reads an arrow at both ends as "either direction".
        return self._rel(c, "both")

    def rel_detail(self, c: list[Any]) -> _RelDetail:
        variable = next((x for x in c if isinstance(x, n.Variable)), None)
        types = next((x for x in c if isinstance(x, tuple)), ())
        length = next((x for x in c if isinstance(x, n.VarLength)), None)
        props = next(
            (x for x in c if isinstance(x, n.Expression) and not isinstance(x, n.Variable)),
            None,
        )
        return _RelDetail(variable, types, length, props)

    def rel_types(self, c: list[Any]) -> tuple[str, ...]:
        return tuple(_name(t) for t in _drop_punct(c) if t.type != "BAR")

    def _bound(self, t: Token) -> n.Expression:
        if t.type == "PARAM":
            return self.parameter([t])
        return _number(t, _span_of(t))

    def rel_range(self, c: list[Any]) -> n.VarLength:
        if len(c) == 1:
            return n.VarLength(None, None, span=span_over(c))
        bound = self._bound(c[1])
        return n.VarLength(bound, bound, span=span_over(c))

    def rel_range_dots(self, c: list[Any]) -> n.VarLength:
        dots = next(i for i, x in enumerate(c) if isinstance(x, Token) and x.type == "DOTDOT")
        low = self._bound(c[1]) if dots == 2 else None
        high = self._bound(c[dots + 1]) if dots + 1 < len(c) else None
        return n.VarLength(low, high, span=span_over(c))

    def rel_range_invalid(self, c: list[Any]) -> n.VarLength:
        # `*-2` and `..` without `*`: recognised by the grammar only to name the TCK's error code.
        raise syntax_error("invalid variable-length range", span_over(c), "InvalidRelationshipPattern")

    # ------------------------------------------------------------------ expressions

    def binary(self, c: list[Any]) -> n.Expression:
        left, op, right = c
        kind = op.type
        name = _BINARY_OPS.get(kind, str(op))
        if kind == "REGEX":
            name = "=~"
        return n.Binary(name, left, right, span=span_over(c))

    def starts_with(self, c: list[Any]) -> n.Expression:
        return n.Binary("STARTS WITH", c[0], c[3], span=span_over(c))

    def ends_with(self, c: list[Any]) -> n.Expression:
        return n.Binary("ENDS WITH", c[0], c[3], span=span_over(c))

    def is_null(self, c: list[Any]) -> n.Expression:
        return n.IsNull(c[0], False, span=span_over(c))

    def is_not_null(self, c: list[Any]) -> n.Expression:
        return n.IsNull(c[0], True, span=span_over(c))

    def unary(self, c: list[Any]) -> n.Expression:
        op, operand = c
        span = span_over(c)
        if op.type == "NOT":
            return n.Unary("NOT", operand, span=span)
        value = operand.value if isinstance(operand, n.Literal_) else None
        # Fold `-<number literal>` so that -9223372036854775808 is representable (2**63 alone is not).
        if (
            op.type == "MINUS"
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
            and _literal_is_bare_number(operand)
        ):
            return n.Literal_(-value, span=span)
        return n.Unary(str(op), operand, span=span)

    def comparison(self, c: list[Any]) -> n.Expression:
        operands = tuple(c[0::2])
        ops = tuple(c[1::2])
        return n.Comparison(ops, operands, span=span_over(c))

    def comp_op(self, c: list[Token]) -> str:
        return str(c[0])

    def property(self, c: list[Any]) -> n.Expression:
        return n.Property(c[0], _name(c[2]), span=span_over(c))

    def index(self, c: list[Any]) -> n.Expression:
        return n.Index(c[0], c[2], span=span_over(c))

    def slice(self, c: list[Any]) -> n.Expression:
        dots = next(i for i, x in enumerate(c) if isinstance(x, Token) and x.type == "DOTDOT")
        start = c[2] if dots == 3 else None
        end = c[dots + 1] if isinstance(c[dots + 1], n.Expression) else None
        return n.Slice(c[0], start, end, span=span_over(c))

    def has_label(self, c: list[Any]) -> n.Expression:
        subject, label = c[0], _name(c[2])
        span = span_over(c)
        if isinstance(subject, n.HasLabels) and not _is_parenthesized(subject):
            return n.HasLabels(subject.subject, (*subject.labels, label), span=span)
        return n.HasLabels(subject, (label,), span=span)

    def call(self, c: list[Any]) -> n.Expression:
        span = span_over(c)
        name = _function_name(c[0], span)
        distinct = any(isinstance(x, Token) and x.type == "DISTINCT" for x in c)
        return n.FunctionCall(name, tuple(_exprs(c[1:])), distinct, span=span)

    def parameter(self, c: list[Token]) -> n.Expression:
        raw = str(c[0])[1:]
        if raw.startswith("`"):
            raw = raw[1:-1].replace("``", "`")
        return n.Parameter(raw, span=span_over(c))

    def count_star(self, c: list[Any]) -> n.Expression:
        return n.CountStar(span=span_over(c))

    def count_call(self, c: list[Any]) -> n.Expression:
        distinct = any(isinstance(x, Token) and x.type == "DISTINCT" for x in c)
        return n.FunctionCall(str(c[0]), tuple(_exprs(c)), distinct, span=span_over(c))

    def exists_call(self, c: list[Any]) -> n.Expression:
        return n.FunctionCall(str(c[0]), (c[2],), False, span=span_over(c))

    def subquery_body(self, c: list[Any]) -> _SubqueryBody:
        if isinstance(c[0], n.Query):
            return _SubqueryBody(c[0], None, None)
        where = c[1].expression if len(c) > 1 else None
        return _SubqueryBody(None, c[0], where)

    def exists_subquery(self, c: list[Any]) -> n.Expression:
        b: _SubqueryBody = c[2]
        return n.ExistsSubquery(b.query, b.pattern, b.where, span=span_over(c))

    def count_subquery(self, c: list[Any]) -> n.Expression:
        b: _SubqueryBody = c[2]
        return n.CountSubquery(b.query, b.pattern, b.where, span=span_over(c))

    def quantifier(self, c: list[Any]) -> n.Expression:
        span = span_over(c)
        kind = c[0].type.lower()
        head = c[2]
        predicate = c[4] if len(c) > 4 else None
        variable, source = _in_head(head, span, kind)
        return n.Quantifier(kind, variable, source, predicate, span=span)

    def reduce(self, c: list[Any]) -> n.Expression:
        span = span_over(c)
        init = c[2]
        if not (
            isinstance(init, n.Comparison) and init.ops == ("=",) and isinstance(init.operands[0], n.Variable)
        ):
            raise syntax_error("reduce() needs `accumulator = initial value` first", span)
        variable, source = _in_head(c[4], span, "reduce")
        return n.Reduce(init.operands[0], init.operands[1], variable, source, c[6], span=span)

    def comprehension(self, c: list[Any]) -> n.Expression:
        # [head WHERE predicate (| projection)?]
        projection = c[5] if len(c) > 5 else None
        return _comprehension(c[1], c[3], projection, span_over(c))

    def comprehension_bar(self, c: list[Any]) -> n.Expression:
        return _comprehension(c[1], None, c[3], span_over(c))

    def paren(self, c: list[Any]) -> n.Expression:
        # Keep the parentheses in the span so `RETURN (a + b) * 2` names its column as written.
        inner: n.Expression = c[1]
        return replace(inner, span=span_over(c))

    def paren_node(self, c: list[Any]) -> n.Expression:
        # `()`, `(:L [props])` or `(n:L props)`: forms that only a node pattern can take.
        span = span_over(c)
        inner = _drop_punct(c)
        variable: n.Variable | None = None
        labels: tuple[tuple[str, ...], ...] = ()
        if inner and isinstance(inner[0], _Labels):
            labels = inner.pop(0).groups
        elif len(inner) == 2:
            head = as_node_pattern(inner.pop(0))
            if head is None or head.properties is not None:
                raise syntax_error("expected a node pattern", span)
            variable, labels = head.variable, head.labels
        props: n.Expression | None = None
        if inner:
            props = self.parameter([inner[0]]) if isinstance(inner[0], Token) else inner[0]
        SUSPECT.set(True)
        return BareNode(n.NodePattern(variable, labels, props, span=span), span=span)

    def paren_node_props(self, c: list[Any]) -> n.Expression:
        item = c[1]
        inner = self.parameter([item]) if isinstance(item, Token) else item
        return replace(inner, span=span_over(c))

    def pattern_expr(self, c: list[Any]) -> n.Expression:
        span = span_over(c)
        return n.PatternExpression(_element(c, span), span=span)

    def shortest_path_expr(self, c: list[Any]) -> n.Expression:
        span = span_over(c)
        kind = "all_shortest" if c[0].type == "ALLSHORTESTPATHS" else "shortest"
        element = replace(_element(c[2:-1], span), shortest=kind)
        return n.PatternExpression(element, span=span)

    def map_projection(self, c: list[Any]) -> n.Expression:
        items = tuple(x for x in c if isinstance(x, n.MapProjectionItem))
        return n.MapProjection(c[0], items, span=span_over(c))

    def proj_property(self, c: list[Any]) -> n.MapProjectionItem:
        return n.MapProjectionItem("property", _name(c[1]), None, span=span_over(c))

    def proj_all(self, c: list[Any]) -> n.MapProjectionItem:
        return n.MapProjectionItem("all", None, None, span=span_over(c))

    def proj_literal(self, c: list[Any]) -> n.MapProjectionItem:
        return n.MapProjectionItem("literal", _name(c[0]), c[2], span=span_over(c))

    def proj_variable(self, c: list[Any]) -> n.MapProjectionItem:
        return n.MapProjectionItem("variable", c[0].name, c[0], span=span_over(c))

    def case_expr(self, c: list[Any]) -> n.Expression:
        whens = [x for x in c if isinstance(x, _When)]
        subject = c[1] if isinstance(c[1], n.Expression) else None
        default = c[-2] if isinstance(c[-2], n.Expression) and isinstance(c[-3], Token) else None
        return n.Case(subject, tuple((w.condition, w.result) for w in whens), default, span=span_over(c))

    def case_alternative(self, c: list[Any]) -> _When:
        return _When(c[1], c[3])

    # ------------------------------------------------------------------ literals and names

    def null(self, c: list[Token]) -> n.Expression:
        return n.Literal_(None, span=span_over(c))

    def true(self, c: list[Token]) -> n.Expression:
        return n.Literal_(True, span=span_over(c))

    def false(self, c: list[Token]) -> n.Expression:
        return n.Literal_(False, span=span_over(c))

    def number(self, c: list[Token]) -> n.Expression:
        return _number(c[0], _span_of(c[0]))

    def string(self, c: list[Token]) -> n.Expression:
        span = span_over(c)
        return n.Literal_(unescape_string(str(c[0]), span), span=span)

    def list_literal(self, c: list[Any]) -> n.Expression:
        items = _exprs(c)
        span = span_over(c)
        head = items[0] if len(items) == 1 else None
        # openCypher's grammar reads `[x IN list]` as a comprehension, not a one-element list.
        if isinstance(head, n.Binary) and head.op == "IN" and isinstance(head.left, n.Variable):
            return n.ListComprehension(head.left, head.right, None, None, span=span)
        return n.ListLiteral(tuple(items), span=span)

    def map_literal(self, c: list[Any]) -> n.Expression:
        inner = _drop_punct(c)
        items = tuple((_name(inner[i]), inner[i + 1]) for i in range(0, len(inner), 2))
        return n.MapLiteral(items, span=span_over(c))

    def variable(self, c: list[Token]) -> n.Variable:
        return n.Variable(_name(c[0]), span=span_over(c))

    def symbolic_name(self, c: list[Token]) -> Token:
        return c[0]

    def schema_name(self, c: list[Token]) -> Token:
        return c[0]

    def reserved_word(self, c: list[Token]) -> Token:
        return c[0]

    # ------------------------------------------------------------------ schema commands

    def create_constraint(self, c: list[Any]) -> n.SchemaCommand:
        name = _optional_name(c[2])
        props: tuple[str, ...] = next(x for x in c if isinstance(x, tuple))
        kind = c[-1].kind
        return n.CreateConstraint(
            name, _label_after(c), props, kind, _has(c, "if_not_exists"), span=span_over(c)
        )

    def create_index(self, c: list[Any]) -> n.SchemaCommand:
        name = _optional_name(c[2])
        props = tuple(x.key for x in c if isinstance(x, _PropertyRef))
        return n.CreateIndex(name, _label_after(c), props, _has(c, "if_not_exists"), span=span_over(c))

    def drop_constraint(self, c: list[Any]) -> n.SchemaCommand:
        return n.DropConstraint(_name(c[2]), _has(c, "if_exists"), span=span_over(c))

    def drop_index(self, c: list[Any]) -> n.SchemaCommand:
        return n.DropIndex(_name(c[2]), _has(c, "if_exists"), span=span_over(c))

    def show_constraints(self, c: list[Any]) -> n.SchemaCommand:
        return n.ShowConstraints(span=span_over(c))

    def show_indexes(self, c: list[Any]) -> n.SchemaCommand:
        return n.ShowIndexes(span=span_over(c))

    def if_not_exists(self, c: list[Any]) -> _Flag:
        return _Flag("if_not_exists")

    def if_exists(self, c: list[Any]) -> _Flag:
        return _Flag("if_exists")

    def constraint_props(self, c: list[Any]) -> tuple[str, ...]:
        return tuple(x.key for x in c if isinstance(x, _PropertyRef))

    def property_ref(self, c: list[Any]) -> _PropertyRef:
        return _PropertyRef(_name(c[2]))

    def unique(self, c: list[Any]) -> _Kind:
        return _Kind("unique", tuple(c))

    def not_null(self, c: list[Any]) -> _Kind:
        return _Kind("not_null", tuple(c))

    def node_key(self, c: list[Any]) -> _Kind:
        return _Kind("node_key", tuple(c))


def _flat_labels(labels: _Labels) -> tuple[str, ...]:
    return tuple(name for group in labels.groups for name in group)


def _optional_name(item: Any) -> str | None:
    # c[2] of CREATE CONSTRAINT/INDEX is the name when present, else `IF NOT EXISTS` or FOR.
    if isinstance(item, Token) and item.type != "FOR":
        return _name(item)
    return None


def _label_after(c: list[Any]) -> str:
    colon = next(i for i, x in enumerate(c) if isinstance(x, Token) and x.type == "COLON")
    return _name(c[colon + 1])


def _has(c: list[Any], flag: str) -> bool:
    return any(isinstance(x, _Flag) and x.name == flag for x in c)


def _is_parenthesized(expr: n.Expression) -> bool:
    src = SOURCE.get()
    return expr.span is not n.NO_SPAN and src[expr.span.start : expr.span.start + 1] == "("


def _literal_is_bare_number(lit: n.Literal_) -> bool:
    # `-(1)` is negation of a parenthesized expression, not a literal; only fold digits written as such.
    src = SOURCE.get()
    return lit.span is not n.NO_SPAN and src[lit.span.start : lit.span.start + 1] not in ("(", "-", "+")


def _in_head(head: n.Expression, span: n.Span, what: str) -> tuple[n.Variable, n.Expression]:
    if isinstance(head, n.Binary) and head.op == "IN" and isinstance(head.left, n.Variable):
        return head.left, head.right
    raise syntax_error(f"{what}(...) needs `variable IN list`", span)


def _element(c: Sequence[Any], span: n.Span) -> n.PatternElement:
    nodes_: list[n.NodePattern] = []
    rels: list[n.RelationshipPattern] = []
    for item in c:
        if isinstance(item, n.RelationshipPattern):
            rels.append(item)
        elif isinstance(item, n.Expression):
            node = as_node_pattern(item)
            if node is None:
                raise syntax_error("expected a node pattern before or after a relationship", item.span)
            nodes_.append(node)
    return n.PatternElement(tuple(nodes_), tuple(rels), span=span)


def _comprehension(
    head: n.Expression, predicate: n.Expression | None, projection: n.Expression | None, span: n.Span
) -> n.Expression:
    if isinstance(head, n.Binary) and head.op == "IN" and isinstance(head.left, n.Variable):
        return n.ListComprehension(head.left, head.right, predicate, projection, span=span)
    path_var: n.Variable | None = None
    if (
        isinstance(head, n.Comparison)
        and head.ops == ("=",)
        and isinstance(head.operands[0], n.Variable)
        and isinstance(head.operands[1], n.PatternExpression)
    ):
        path_var, head = head.operands[0], head.operands[1]
    if isinstance(head, n.PatternExpression) and projection is not None:
        return n.PatternComprehension(path_var, head.element, predicate, projection, span=span)
    raise syntax_error("expected `[x IN list WHERE .. | ..]` or `[(a)-->(b) WHERE .. | ..]`", span)
