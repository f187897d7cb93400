"""Run the TCK's temporal scenarios against the temporal library alone (no parser, no executor).

A small Gherkin reader expands every scenario of
``features/expressions/temporal`` (outlines row by row), and a tiny evaluator
understands the literal query shapes these scenarios use::

    RETURN <expr> AS a, <expr> AS b
    WITH <expr> AS x, <expr> AS y RETURN <expr> [AS name], ...
    CREATE (:Label {key: <expr>}) ...            (setup / statement under test)
    MATCH (v:Label)[, (w:Other)] [WITH ...] RETURN ...
    MATCH (n) RETURN n.prop                      (control query after a CREATE)

Expressions: literals, lists, maps, variables, ``a.b`` property access,
function calls (``date``, ``datetime.truncate``, ``toString`` ...), ``+ - * /``
and comparisons, all evaluated with :mod:`namidb_cypher.temporal`. Each
scenario's expected table (one row here) is compared cell by cell: temporal
values by their string form, numbers, booleans and null by value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from namidb_cypher.temporal import FUNCTIONS, Duration, Temporal, pinned_clock, temporal_property

FEATURES = Path(__file__).resolve().parents[5] / "shared" / "tck" / "features" / "expressions" / "temporal"
if not FEATURES.is_dir():
    FEATURES = Path("/work/shared/tck/features/expressions/temporal")


# ------------------------------------------------------------------ Gherkin


@dataclass
class Scenario:
    """One expanded scenario: statements in order and the expected result of the last RETURN."""

    id: str
    setup: list[str] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    expected: list[list[str]] | None = None  # header + rows of the last result table
    expects_error: bool = False


def _table(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    rows = []
    while i < len(lines) and lines[i].strip().startswith("|"):
        rows.append([c.strip() for c in lines[i].strip()[1:-1].split("|")])
        i += 1
    return rows, i


def _docstring(lines: list[str], i: int) -> tuple[str, int]:
    i += 1
    body = []
    while lines[i].strip() != '"""':
        body.append(lines[i].strip())
        i += 1
    return "\n".join(body), i + 1


def _read(path: Path) -> list[tuple[str, list[tuple[str, Any]], list[list[list[str]]]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[tuple[str, list[tuple[str, Any]], list[list[list[str]]]]] = []
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if s.startswith(("Scenario:", "Scenario Outline:")):
            out.append((s.split(":", 1)[1].strip(), [], []))
        elif s.startswith("Examples:") and out:
            rows, i = _table(lines, i + 1)
            out[-1][2].append(rows)
            continue
        elif out and s.split(" ", 1)[0] in ("Given", "And", "When", "Then", "But"):
            step = s.split(" ", 1)[1]
            i += 1
            arg: Any = None
            if i < len(lines) and lines[i].strip() == '"""':
                arg, i = _docstring(lines, i)
            elif i < len(lines) and lines[i].strip().startswith("|"):
                arg, i = _table(lines, i)
            out[-1][1].append((step, arg))
            continue
        i += 1
    return out


def _sub(value: Any, row: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, cell in row.items():
            value = value.replace(f"<{key}>", cell)
        return value
    if isinstance(value, list):
        return [_sub(v, row) for v in value]
    return value


def load_scenarios() -> list[Scenario]:
    """Every temporal scenario, outlines expanded (ids like ``Temporal2/5/3``)."""
    result: list[Scenario] = []
    for path in sorted(FEATURES.glob("*.feature"), key=lambda p: int(re.sub(r"\D", "", p.stem))):
        for name, steps, examples in _read(path):
            number = re.match(r"\[(\d+)\]", name)
            base = f"{path.stem}/{number[1] if number else name}"
            rows: list[dict[str, str]] = []
            for table in examples:
                rows.extend(dict(zip(table[0], r, strict=True)) for r in table[1:])
            for n, row in enumerate(rows or [{}], start=1):
                sc = Scenario(f"{base}/{n}" if rows else base)
                for step, arg in steps:
                    step, arg = _sub(step, row), _sub(arg, row)
                    if step.startswith("having executed:"):
                        sc.setup.append(arg)
                    elif step.startswith(("executing query:", "executing control query:")):
                        sc.queries.append(arg)
                    elif step.startswith("the result should be") and "empty" not in step:
                        sc.expected = arg
                    elif "should be raised" in step:
                        sc.expects_error = True
                result.append(sc)
    return result


# ------------------------------------------------------------------ expressions

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+\.\d+|\d+)|(?P<str>'(?:[^'\\]|\\.)*')|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op><=|>=|<>|[-+*/=<>(){}\[\],.:]))"
)


class Unsupported(Exception):
    """The query uses a shape this little evaluator does not know."""


def tokenize(text: str, spans: list[tuple[int, int]] | None = None) -> list[tuple[str, str]]:
    """``(kind, text)`` tokens; their ``(start, end)`` offsets are appended to ``spans`` when given."""
    pos, out = 0, []
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise Unsupported(f"cannot tokenize {text[pos:]!r}")
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m[kind]))
        if spans is not None:
            spans.append(m.span(kind))
        pos = m.end()
    return out


_BINARY = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "+": 2, "-": 2, "*": 3, "/": 3}


class Parser:
    """Recursive descent over the tokens; expressions evaluate immediately in ``env``."""

    def __init__(self, tokens: list[tuple[str, str]], env: dict[str, Any], source: str = "") -> None:
        self.t = tokens
        self.source = source
        self.spans: list[tuple[int, int]] = []
        self.i = 0
        self.env = env

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        j = self.i + offset
        return self.t[j] if j < len(self.t) else None

    def take(self, text: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (text is not None and tok[1].lower() != text.lower()):
            raise Unsupported(f"expected {text!r}, got {tok!r}")
        self.i += 1
        return tok

    def at(self, text: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[1].lower() == text.lower() and tok[0] in ("op", "name")

    def expr(self, min_prec: int = 1) -> Any:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok is None or tok[0] != "op" or tok[1] not in _BINARY or _BINARY[tok[1]] < min_prec:
                return left
            self.i += 1
            right = self.expr(_BINARY[tok[1]] + 1)
            left = binary(tok[1], left, right)

    def unary(self) -> Any:
        if self.at("-"):
            self.take()
            value = self.unary()
            return -value
        return self.postfix(self.primary())

    def postfix(self, value: Any) -> Any:
        while self.at("."):
            self.take(".")
            name = self.take()[1]
            value = prop(value, name)
        return value

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "str":
            return text[1:-1]
        if text == "(":
            value = self.expr()
            self.take(")")
            return value
        if text == "[":
            items = []
            while not self.at("]"):
                items.append(self.expr())
                if self.at(","):
                    self.take(",")
            self.take("]")
            return items
        if text == "{":
            mapping = {}
            while not self.at("}"):
                key = self.take()[1]
                self.take(":")
                mapping[key] = self.expr()
                if self.at(","):
                    self.take(",")
            self.take("}")
            return mapping
        if kind != "name":
            raise Unsupported(f"unexpected {text!r}")
        low = text.lower()
        if low in ("true", "false"):
            return low == "true"
        if low == "null":
            return None
        # A dotted name followed by "(" is a namespaced function (datetime.truncate, duration.between).
        j, parts = self.i, [text]
        while j + 1 < len(self.t) and self.t[j][1] == "." and self.t[j + 1][0] == "name":
            parts.append(self.t[j + 1][1])
            j += 2
        if j < len(self.t) and self.t[j][1] == "(":
            self.i = j + 1
            args = []
            while not self.at(")"):
                args.append(self.expr())
                if self.at(","):
                    self.take(",")
            self.take(")")
            return call(".".join(parts), args)
        if text not in self.env:
            raise Unsupported(f"unknown variable {text}")
        return self.env[text]


def call(name: str, args: list[Any]) -> Any:
    """A function call: the temporal library, plus ``toString``."""
    low = name.lower()
    if low == "tostring":
        return None if args[0] is None else str(args[0])
    if low not in FUNCTIONS:
        raise Unsupported(f"unknown function {name}")
    return FUNCTIONS[low](*args)


def prop(value: Any, name: str) -> Any:
    """``value.name`` for a node (a dict of properties) or a temporal value."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(name)
    if isinstance(value, Temporal):
        return temporal_property(value, name)
    raise Unsupported(f"property of {value!r}")


def _equal(a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    if isinstance(a, Temporal) or isinstance(b, Temporal):
        return type(a) is type(b) and a == b
    return bool(a == b)


def binary(op: str, a: Any, b: Any) -> Any:
    """A binary operator through the temporal hooks."""
    if a is None or b is None:
        return None
    if op == "=":
        return _equal(a, b)
    if op == "<>":
        eq = _equal(a, b)
        return None if eq is None else not eq
    if op in ("<", ">", "<=", ">="):
        cmp = (a > b) - (a < b) if not isinstance(a, Temporal) else a.__cypher_compare__(b)
        if cmp is None:
            return None
        return {"<": cmp < 0, ">": cmp > 0, "<=": cmp <= 0, ">=": cmp >= 0}[op]
    if not isinstance(a, Temporal) and not isinstance(b, Temporal):
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[op]
    hooks = {"+": "__cypher_add__", "-": "__cypher_sub__", "*": "__cypher_mul__", "/": "__cypher_div__"}
    if isinstance(a, Temporal):
        result = getattr(a, hooks[op])(b)
    elif op == "*" and isinstance(b, Duration):
        result = b.__cypher_mul__(a)
    else:
        result = NotImplemented
    if result is NotImplemented:
        raise TypeError(f"{a!r} {op} {b!r}")
    return result


# ------------------------------------------------------------------ statements


def _projections(p: Parser) -> list[tuple[str, Any]]:
    """``expr [AS name], ...`` until a clause keyword; names default to the expression text."""
    out = []
    while True:
        start = p.i
        value = p.expr()
        if p.at("AS"):
            p.take("AS")
            name = p.take()[1]
        else:
            name = " ".join(p.source[p.spans[start][0] : p.spans[p.i - 1][1]].split())
        out.append((name, value))
        if p.at(","):
            p.take(",")
            continue
        return out


def run(query: str, graph: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, Any]] | None:
    """Run one statement: the RETURN columns, or ``None`` for a CREATE (``graph`` gets its nodes)."""
    text = query.replace("\n", " ")
    spans: list[tuple[int, int]] = []
    p = Parser(tokenize(text, spans), {}, text)
    p.spans = spans
    result = None
    while p.peek() is not None:
        keyword = p.take()[1].upper()
        if keyword == "CREATE":
            while True:
                p.take("(")
                p.take(":") if p.at(":") else None
                label = p.take()[1] if p.peek() and p.peek()[0] == "name" else ""  # type: ignore[index]
                props = p.expr() if p.at("{") else {}
                p.take(")")
                graph.append((label, props))
                if not p.at(","):
                    break
                p.take(",")
        elif keyword == "MATCH":
            while True:
                p.take("(")
                var = p.take()[1]
                label = None
                if p.at(":"):
                    p.take(":")
                    label = p.take()[1]
                p.take(")")
                nodes = [props for lab, props in graph if label is None or lab == label]
                if len(nodes) != 1:
                    raise Unsupported("MATCH must find exactly one node")
                p.env[var] = nodes[0]
                if not p.at(","):
                    break
                p.take(",")
        elif keyword == "WITH":
            p.env = dict(p.env) | dict(_projections(p))
        elif keyword == "UNWIND":
            raise Unsupported("UNWIND")
        elif keyword == "RETURN":
            result = _projections(p)
        else:
            raise Unsupported(f"clause {keyword}")
    return result


def literal(cell: str) -> Any:
    """An expected-table cell as a Python value (strings stay quoted-free)."""
    return Parser(tokenize(cell), {}).expr()


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(
            _same(a, e) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(actual, Temporal):
        return isinstance(expected, str) and str(actual) == expected
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    return bool(actual == expected) and type(actual) is type(expected)


def check(sc: Scenario) -> tuple[bool, str]:
    """Run ``sc``; ``(passed, detail)``. Raises :class:`Unsupported` for shapes outside this evaluator."""
    if sc.expects_error:
        raise Unsupported("error scenario")
    if sc.expected is None:
        raise Unsupported("no expected table")
    graph: list[tuple[str, dict[str, Any]]] = []
    result = None
    for statement in sc.setup + sc.queries:
        with pinned_clock():  # one "now" per statement, as the executor will pin it
            result = run(statement, graph)
    if result is None:
        raise Unsupported("no RETURN")
    header, rows = sc.expected[0], sc.expected[1:]
    if len(rows) != 1:
        raise Unsupported("expects several rows")
    got = dict(result)
    problems = []
    for column, cell in zip(header, rows[0], strict=True):
        if column not in got:
            raise Unsupported(f"column {column} not produced")
        value, want = got[column], literal(cell)
        if not _same(value, want):
            problems.append(f"{column}: got {value!s} want {cell}")
    return not problems, "; ".join(problems)
