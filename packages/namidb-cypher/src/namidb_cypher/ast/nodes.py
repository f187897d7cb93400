"""The Cypher syntax tree: frozen, slotted dataclasses, each with the source span it came from.

Nodes compare by value, which keeps tests short (``parse(q).query == ...``); a
planner that needs identity can key on ``id(node)``. Every expression keeps its
span, so ``Statement.text_of(expr)`` returns the expression exactly as written
(``RETURN a.b + 1`` names its column ``a.b + 1``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeAlias

__all__ = [
    "Span",
    "Node",
    # expressions
    "Expression",
    "Literal_",
    "ListLiteral",
    "MapLiteral",
    "Parameter",
    "Variable",
    "Property",
    "Index",
    "Slice",
    "HasLabels",
    "Unary",
    "Binary",
    "Comparison",
    "IsNull",
    "FunctionCall",
    "CountStar",
    "Case",
    "ListComprehension",
    "PatternComprehension",
    "Quantifier",
    "Reduce",
    "PatternExpression",
    "ExistsSubquery",
    "CountSubquery",
    "MapProjection",
    "MapProjectionItem",
    # patterns
    "NodePattern",
    "RelationshipPattern",
    "VarLength",
    "PatternElement",
    "PatternPart",
    "Pattern",
    "Direction",
    # clauses
    "Clause",
    "Match",
    "Unwind",
    "Projection",
    "ProjectionItem",
    "SortItem",
    "With",
    "Return",
    "Create",
    "Merge",
    "SetItem",
    "SetProperty",
    "SetVariable",
    "SetLabels",
    "Set",
    "RemoveItem",
    "RemoveLabels",
    "RemoveProperty",
    "Remove",
    "Delete",
    "YieldItem",
    "CallProcedure",
    "CallSubquery",
    "Foreach",
    "SingleQuery",
    "Query",
    # schema commands
    "SchemaCommand",
    "CreateConstraint",
    "CreateIndex",
    "DropConstraint",
    "DropIndex",
    "ShowConstraints",
    "ShowIndexes",
    "Statement",
    "walk",
]


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node sits in the query text: 1-based line/column, 0-based character offsets [start, end)."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int

    def text(self, source: str) -> str:
        """The slice of ``source`` this span covers."""
        return source[self.start : self.end]


NO_SPAN = Span(0, 0, 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every syntax-tree node."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


# ---------------------------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Expression(Node):
    """Base of every expression."""


@dataclass(frozen=True, slots=True)
class Literal_(Expression):
    """A scalar literal: ``None``, ``bool``, ``int`` (within int64), ``float`` or ``str``."""

    value: Any


@dataclass(frozen=True, slots=True)
class ListLiteral(Expression):
    """``[a, b, ...]``."""

    items: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class MapLiteral(Expression):
    """``{k: v, ...}``; keys in source order."""

    items: tuple[tuple[str, Expression], ...]


@dataclass(frozen=True, slots=True)
class Parameter(Expression):
    """``$name`` or ``$0``."""

    name: str


@dataclass(frozen=True, slots=True)
class Variable(Expression):
    """A variable reference (or, in a pattern/alias position, a variable definition)."""

    name: str


@dataclass(frozen=True, slots=True)
class Property(Expression):
    """``subject.key``."""

    subject: Expression
    key: str


@dataclass(frozen=True, slots=True)
class Index(Expression):
    """``subject[index]`` (list element or dynamic property/map lookup)."""

    subject: Expression
    index: Expression


@dataclass(frozen=True, slots=True)
class Slice(Expression):
    """``subject[start..end]``; either bound may be absent."""

    subject: Expression
    start: Expression | None
    end: Expression | None


@dataclass(frozen=True, slots=True)
class HasLabels(Expression):
    """The label predicate ``subject:A:B``."""

    subject: Expression
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unary(Expression):
    """``NOT x``, ``-x`` or ``+x`` (``op`` is ``"NOT"``, ``"-"`` or ``"+"``)."""

    op: str
    operand: Expression


@dataclass(frozen=True, slots=True)
class Binary(Expression):
    """A binary operator.

    ``op`` is one of ``OR XOR AND + - * / % ^ IN =~ CONTAINS`` and ``STARTS WITH`` / ``ENDS WITH``.
    """

    op: str
    left: Expression
    right: Expression


@dataclass(frozen=True, slots=True)
class Comparison(Expression):
    """A comparison chain ``a < b <= c`` meaning ``a < b AND b <= c``: ``len(ops) == len(operands) - 1``."""

    ops: tuple[str, ...]
    operands: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class IsNull(Expression):
    """``x IS NULL`` (or ``IS NOT NULL`` when ``negated``)."""

    operand: Expression
    negated: bool = False


@dataclass(frozen=True, slots=True)
class FunctionCall(Expression):
    """``name(args)``; ``name`` keeps namespaces (``date.truncate``) and the source's case."""

    name: str
    args: tuple[Expression, ...]
    distinct: bool = False

    @property
    def lower_name(self) -> str:
        """The case-insensitive lookup key of the function."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class CountStar(Expression):
    """``count(*)``."""


@dataclass(frozen=True, slots=True)
class Case(Expression):
    """``CASE [subject] WHEN .. THEN .. [ELSE ..] END`` (simple form when ``subject`` is set)."""

    subject: Expression | None
    alternatives: tuple[tuple[Expression, Expression], ...]
    default: Expression | None


@dataclass(frozen=True, slots=True)
class ListComprehension(Expression):
    """``[variable IN source WHERE predicate | projection]``."""

    variable: Variable
    source: Expression
    predicate: Expression | None
    projection: Expression | None


@dataclass(frozen=True, slots=True)
class Quantifier(Expression):
    """``all|any|none|single(variable IN source WHERE predicate)`` (``kind`` lower-case)."""

    kind: str
    variable: Variable
    source: Expression
    predicate: Expression | None


@dataclass(frozen=True, slots=True)
class Reduce(Expression):
    """``reduce(accumulator = init, variable IN source | expression)``."""

    accumulator: Variable
    init: Expression
    variable: Variable
    source: Expression
    expression: Expression


@dataclass(frozen=True, slots=True)
class MapProjectionItem(Node):
    """One entry of a map projection.

    ``kind`` is ``"property"`` (``.key``), ``"all"`` (``.*``), ``"literal"`` (``key: value``) or
    ``"variable"`` (``var``, meaning ``var: var``).
    """

    kind: Literal["property", "all", "literal", "variable"]
    key: str | None
    value: Expression | None


@dataclass(frozen=True, slots=True)
class MapProjection(Expression):
    """``variable{.a, .*, k: expr, other}``."""

    variable: Variable
    items: tuple[MapProjectionItem, ...]


# ---------------------------------------------------------------------------------------------- patterns

Direction: TypeAlias = Literal["out", "in", "both"]


@dataclass(frozen=True, slots=True)
class NodePattern(Node):
    """``(variable:L1:L2 {props})``.

    ``labels`` is a conjunction of disjunctions: ``(n:A:B)`` is ``(("A",), ("B",))`` and ``(n:A|B)`` is
    ``(("A", "B"),)``. ``properties`` is a ``MapLiteral`` or a ``Parameter``.
    """

    variable: Variable | None
    labels: tuple[tuple[str, ...], ...] = ()
    properties: Expression | None = None

    @property
    def label_names(self) -> tuple[str, ...]:
        """All label names mentioned, in order."""
        return tuple(name for group in self.labels for name in group)


@dataclass(frozen=True, slots=True)
class VarLength(Node):
    """``*``, ``*n``, ``*a..b``, ``*..b``, ``*a..``: bounds are int literals or parameters (None: open)."""

    min: Expression | None
    max: Expression | None


@dataclass(frozen=True, slots=True)
class RelationshipPattern(Node):
    """``-[variable:T1|T2*a..b {props}]->``; ``direction`` is relative to reading left to right."""

    variable: Variable | None
    types: tuple[str, ...]
    direction: Direction
    length: VarLength | None = None
    properties: Expression | None = None


@dataclass(frozen=True, slots=True)
class PatternElement(Node):
    """A path: ``nodes[0] rels[0] nodes[1] ...``; ``shortest`` is ``"shortest"``/``"all_shortest"``/None."""

    nodes: tuple[NodePattern, ...]
    relationships: tuple[RelationshipPattern, ...]
    shortest: str | None = None


@dataclass(frozen=True, slots=True)
class PatternPart(Node):
    """``[path_variable =] element``."""

    variable: Variable | None
    element: PatternElement


@dataclass(frozen=True, slots=True)
class Pattern(Node):
    """Comma-separated pattern parts."""

    parts: tuple[PatternPart, ...]


@dataclass(frozen=True, slots=True)
class PatternExpression(Expression):
    """A relationship pattern used as a predicate (``WHERE (a)-->(b)``)."""

    element: PatternElement


@dataclass(frozen=True, slots=True)
class PatternComprehension(Expression):
    """``[path_variable = (a)-->(b) WHERE predicate | projection]``."""

    variable: Variable | None
    element: PatternElement
    predicate: Expression | None
    projection: Expression


@dataclass(frozen=True, slots=True)
class ExistsSubquery(Expression):
    """``EXISTS { query }`` or ``EXISTS { pattern [WHERE predicate] }`` (exactly one of the two is set)."""

    query: Query | None = None
    pattern: Pattern | None = None
    predicate: Expression | None = None


@dataclass(frozen=True, slots=True)
class CountSubquery(Expression):
    """``COUNT { query }`` or ``COUNT { pattern [WHERE predicate] }``."""

    query: Query | None = None
    pattern: Pattern | None = None
    predicate: Expression | None = None


# ---------------------------------------------------------------------------------------------- clauses


@dataclass(frozen=True, slots=True)
class Clause(Node):
    """Base of every clause."""


@dataclass(frozen=True, slots=True)
class Match(Clause):
    """``[OPTIONAL] MATCH pattern [WHERE predicate]``."""

    pattern: Pattern
    where: Expression | None = None
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Unwind(Clause):
    """``UNWIND expression AS variable``."""

    expression: Expression
    variable: Variable


@dataclass(frozen=True, slots=True)
class ProjectionItem(Node):
    """``expression [AS alias]``; ``text`` is the expression exactly as written in the query."""

    expression: Expression
    alias: Variable | None
    text: str

    @property
    def name(self) -> str:
        """The result column name: the alias, else the variable's name, else the source text."""
        if self.alias is not None:
            return self.alias.name
        if isinstance(self.expression, Variable):
            # `RETURN `a b`` names its column `a b`, without the backquotes.
            return self.expression.name
        return self.text


@dataclass(frozen=True, slots=True)
class SortItem(Node):
    """``expression [ASC|DESC]``."""

    expression: Expression
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Projection(Node):
    """The body shared by WITH and RETURN."""

    items: tuple[ProjectionItem, ...]
    star: bool = False
    distinct: bool = False
    order_by: tuple[SortItem, ...] = ()
    skip: Expression | None = None
    limit: Expression | None = None


@dataclass(frozen=True, slots=True)
class With(Clause):
    """``WITH projection [WHERE predicate]``."""

    projection: Projection
    where: Expression | None = None


@dataclass(frozen=True, slots=True)
class Return(Clause):
    """``RETURN projection``."""

    projection: Projection


@dataclass(frozen=True, slots=True)
class Create(Clause):
    """``CREATE pattern``."""

    pattern: Pattern


@dataclass(frozen=True, slots=True)
class SetItem(Node):
    """Base of SET items (also used by MERGE's ON CREATE / ON MATCH)."""


@dataclass(frozen=True, slots=True)
class SetProperty(SetItem):
    """``target.key = value`` (``target`` is a ``Property``)."""

    target: Property
    value: Expression


@dataclass(frozen=True, slots=True)
class SetVariable(SetItem):
    """``n = map`` (replace all properties) or ``n += map`` (``merge``)."""

    variable: Variable
    value: Expression
    merge: bool = False


@dataclass(frozen=True, slots=True)
class SetLabels(SetItem):
    """``n:A:B``."""

    variable: Variable
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Merge(Clause):
    """``MERGE part [ON CREATE SET ...] [ON MATCH SET ...]``."""

    part: PatternPart
    on_create: tuple[SetItem, ...] = ()
    on_match: tuple[SetItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Set(Clause):
    """``SET item, ...``."""

    items: tuple[SetItem, ...]


@dataclass(frozen=True, slots=True)
class RemoveItem(Node):
    """Base of REMOVE items."""


@dataclass(frozen=True, slots=True)
class RemoveLabels(RemoveItem):
    """``REMOVE n:A:B``."""

    variable: Variable
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RemoveProperty(RemoveItem):
    """``REMOVE n.key``."""

    target: Property


@dataclass(frozen=True, slots=True)
class Remove(Clause):
    """``REMOVE item, ...``."""

    items: tuple[RemoveItem, ...]


@dataclass(frozen=True, slots=True)
class Delete(Clause):
    """``[DETACH] DELETE expression, ...``."""

    expressions: tuple[Expression, ...]
    detach: bool = False


@dataclass(frozen=True, slots=True)
class YieldItem(Node):
    """``field [AS alias]`` in ``CALL ... YIELD``."""

    field: str
    alias: Variable


@dataclass(frozen=True, slots=True)
class CallProcedure(Clause):
    """``CALL name(args) [YIELD items|* [WHERE predicate]]``.

    ``args`` is None for the implicit form ``CALL name`` (arguments taken from parameters).
    ``yield_items`` is None when there is no YIELD; ``yield_star`` for ``YIELD *``.
    """

    name: str
    args: tuple[Expression, ...] | None
    yield_items: tuple[YieldItem, ...] | None = None
    yield_star: bool = False
    where: Expression | None = None


@dataclass(frozen=True, slots=True)
class CallSubquery(Clause):
    """``CALL { query }``."""

    query: Query


@dataclass(frozen=True, slots=True)
class Foreach(Clause):
    """``FOREACH (variable IN source | clauses)``."""

    variable: Variable
    source: Expression
    clauses: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class SingleQuery(Node):
    """A sequence of clauses (one side of a UNION)."""

    clauses: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class Query(Node):
    """``part (UNION [ALL] part)*``; ``union_all[i]`` tells how ``parts[i+1]`` joins the rest."""

    parts: tuple[SingleQuery, ...]
    union_all: tuple[bool, ...] = ()


# ---------------------------------------------------------------------------------------------- schema


@dataclass(frozen=True, slots=True)
class SchemaCommand(Node):
    """Base of the DDL commands."""


@dataclass(frozen=True, slots=True)
class CreateConstraint(SchemaCommand):
    """``CREATE CONSTRAINT [name] [IF NOT EXISTS] FOR (v:Label) REQUIRE props IS UNIQUE|NOT NULL``.

    ``kind`` is ``"unique"``, ``"not_null"`` or ``"node_key"``.
    """

    name: str | None
    label: str
    properties: tuple[str, ...]
    kind: str
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class CreateIndex(SchemaCommand):
    """``CREATE INDEX [name] [IF NOT EXISTS] FOR (v:Label) ON (v.p, ...)``."""

    name: str | None
    label: str
    properties: tuple[str, ...]
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropConstraint(SchemaCommand):
    """``DROP CONSTRAINT name [IF EXISTS]``."""

    name: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropIndex(SchemaCommand):
    """``DROP INDEX name [IF EXISTS]``."""

    name: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class ShowConstraints(SchemaCommand):
    """``SHOW CONSTRAINTS``."""


@dataclass(frozen=True, slots=True)
class ShowIndexes(SchemaCommand):
    """``SHOW INDEXES``."""


@dataclass(frozen=True, slots=True)
class Statement(Node):
    """A whole parsed statement: a query or a schema command, with its EXPLAIN/PROFILE mode and text."""

    body: Query | SchemaCommand
    source: str = field(compare=False, repr=False)
    mode: Literal["run", "explain", "profile"] = "run"

    @property
    def query(self) -> Query:
        """The query body (raises ``TypeError`` for schema commands)."""
        if not isinstance(self.body, Query):
            raise TypeError("statement is a schema command, not a query")
        return self.body

    def text_of(self, node: Node) -> str:
        """The source text of ``node`` exactly as written in this statement."""
        return node.span.text(self.source)


def walk(node: object) -> list[Node]:
    """Every ``Node`` reachable from ``node`` (itself included), parents before children, pre-order."""
    out: list[Node] = []
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Node):
            out.append(item)
            children = [getattr(item, name) for name in _fields(type(item))]
            stack.extend(reversed(children))
        elif isinstance(item, tuple):
            stack.extend(reversed(item))
    return out


_FIELD_CACHE: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELD_CACHE.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.name not in ("span", "source"))
        _FIELD_CACHE[cls] = names
    return names
