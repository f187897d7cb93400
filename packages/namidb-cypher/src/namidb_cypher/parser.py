"""Parse Cypher text into a :class:`~namidb_cypher.ast.nodes.Statement`.

The LALR parser is compiled once, on first use, and shared (lark's analysis is
also cached on disk by ``cache=True``, which cuts a cold start from ~0.6 s to a
few tens of milliseconds). The AST builder runs inside the parser, so there is
no intermediate tree; spans come from the tokens themselves (every token is
kept), which is what ``propagate_positions`` would otherwise provide.
"""

from __future__ import annotations

import threading
from importlib import resources

from lark import Lark, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from namidb_cypher.ast import nodes as n
from namidb_cypher.ast.build import (
    INT64_MAX,
    INT64_MIN,
    SOURCE,
    SUSPECT,
    AstBuilder,
    BareNode,
    syntax_error,
)
from namidb_cypher.errors import CypherError, CypherSyntaxError

__all__ = ["parse", "get_parser"]

_LOCK = threading.Lock()
_PARSER: Lark | None = None

# Characters that look like ASCII operators but are not (the TCK's InvalidUnicodeCharacter case).
_LOOKALIKES = frozenset(
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u27e8\u3008\ufe64\uff1c"
)


def get_parser() -> Lark:
    """The shared LALR parser, built on first call (thread-safe)."""
    global _PARSER
    parser = _PARSER
    if parser is None:
        with _LOCK:
            if _PARSER is None:
                grammar = resources.files("namidb_cypher").joinpath("grammar.lark").read_text("utf-8")
                _PARSER = Lark(
                    grammar,
                    parser="lalr",
                    lexer="contextual",
                    transformer=AstBuilder(),
                    keep_all_tokens=True,
                    maybe_placeholders=False,
                    cache=True,
                )
            parser = _PARSER
    return parser


def parse(text: str) -> n.Statement:
    """Parse one Cypher statement.

    Raises:
        CypherSyntaxError: with ``code`` ``"UnexpectedSyntax"`` (message names line and column and shows
            the query around the fault), or a literal code such as ``"IntegerOverflow"``,
            ``"InvalidNumberLiteral"``, ``"InvalidUnicodeLiteral"``, ``"FloatingPointOverflow"``.
    """
    token = SOURCE.set(text)
    suspect = SUSPECT.set(False)
    try:
        statement = get_parser().parse(text)
        needs_check = SUSPECT.get()
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    except CypherError:
        raise
    finally:
        SOURCE.reset(token)
        SUSPECT.reset(suspect)
    if not isinstance(statement, n.Statement):  # pragma: no cover - the grammar's start rule
        raise CypherSyntaxError("not a statement", code="UnexpectedSyntax")
    if needs_check:
        _validate(statement)
    return statement


def _syntax_error(text: str, exc: UnexpectedInput) -> CypherSyntaxError:
    line = getattr(exc, "line", 0) or 0
    column = getattr(exc, "column", 0) or 0
    pos = exc.pos_in_stream if exc.pos_in_stream is not None else len(text)
    context = exc.get_context(text, span=40) if exc.pos_in_stream is not None else ""
    span = n.Span(line, column, line, column + 1, pos, min(pos + 1, len(text)))
    code = "UnexpectedSyntax"
    if isinstance(exc, UnexpectedCharacters):
        found = text[pos : pos + 1]
        what = f"unexpected character {found!r}"
        if found in _LOOKALIKES:
            code = "InvalidUnicodeCharacter"
    elif (isinstance(exc, UnexpectedToken) and exc.token.type == "$END") or isinstance(exc, UnexpectedEOF):
        what = "unexpected end of query"
    elif isinstance(exc, UnexpectedToken):
        what = f"unexpected {str(exc.token)!r}"
    else:  # pragma: no cover - lark has no other UnexpectedInput kinds today
        what = "invalid input"
    message = f"{what} at line {line}, column {column}"
    if isinstance(exc, UnexpectedToken) and exc.expected:
        message += f"; expected {_describe_expected(exc.expected)}"
    if context:
        message += "\n" + context.rstrip("\n")
    return CypherSyntaxError(message, code=code, span=span)


_FRIENDLY = {
    "NAME": "an identifier",
    "ESCAPED_NAME": "an identifier",
    "STRING": "a string",
    "DEC_INT": "a number",
    "PARAM": "a parameter",
}


def _describe_expected(names: set[str], limit: int = 8) -> str:
    """Turn lark's expected terminal names into what a user would type (`)`, `RETURN`, an identifier)."""
    literals = {t.name: t.pattern.value for t in get_parser().terminals if t.pattern.type == "str"}
    shown: set[str] = set()
    for name in names:
        if name in _FRIENDLY:
            shown.add(_FRIENDLY[name])
        elif name in literals:
            shown.add(f"'{literals[name]}'")
    ordered = sorted(shown, key=lambda s: (not s.startswith("'"), s))
    if len(ordered) > limit:
        return ", ".join(ordered[:limit]) + ", ..."
    return " or ".join(ordered) if len(ordered) <= 2 else ", ".join(ordered)


def _validate(statement: n.Statement) -> None:
    """Checks the builder cannot make bottom-up: node-only forms used as values, int64 overflow."""
    for node in n.walk(statement):
        if isinstance(node, BareNode):
            raise syntax_error("a node pattern is not a value; use it inside a pattern", node.span)
        if (
            isinstance(node, n.Literal_)
            and type(node.value) is int
            and not INT64_MIN <= node.value <= INT64_MAX
        ):
            raise syntax_error(f"integer literal {node.value} is out of range", node.span, "IntegerOverflow")
