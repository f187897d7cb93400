"""TCK value literals: parse the text of an expected-result cell and compare it with a client value.

The TCK writes expected values in a small notation of its own (README.adoc, "Format of the expected
results"): ``null``, ``true``, ``1``, ``-0.0``, ``NaN``, ``'text'``, ``[1, 'a']``, ``{k: 1}``, nodes
``(:L:M {k: 1})``, relationships ``[:T {k: 1}]`` and paths ``<(:A)-[:T]->(:B)<-[:S]-()>``. Primitives,
lists and maps parse to plain Python values (the same types ``namidb`` returns); graph elements parse
to the small frozen classes below, because a node literal has no id and must be compared by shape.

Comparison follows the TCK: nodes compare by label set and properties, relationships by type and
properties, paths element by element with each relationship's direction; floats compare with ==
except that NaN equals NaN; an integer never equals a float and a boolean never equals an integer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "TckNode",
    "TckRel",
    "TckPath",
    "LiteralError",
    "parse_value",
    "to_python",
    "values_match",
    "rows_match",
    "node_labels",
]


@dataclass(frozen=True)
class TckNode:
    """An expected node: compared by its set of labels and its properties, never by identity."""

    labels: frozenset[str] = frozenset()
    properties: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TckRel:
    """An expected relationship: compared by its type and its properties."""

    type: str
    properties: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TckPath:
    """An expected path: ``nodes[0] rels[0] nodes[1] ...``; ``forward[i]`` is True for ``-[r]->``."""

    nodes: tuple[TckNode, ...]
    rels: tuple[TckRel, ...] = ()
    forward: tuple[bool, ...] = ()


class LiteralError(ValueError):
    """A cell's text is not a TCK value literal; the message shows where parsing stopped."""

    def __init__(self, text: str, pos: int, expected: str) -> None:
        super().__init__(f"bad TCK literal at column {pos}: expected {expected} in {text!r}")
        self.text = text
        self.pos = pos


_NUMBER = re.compile(
    r"""-?(?:
        0x[0-9a-fA-F]+ | 0o[0-7]+
      | (?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?
    )""",
    re.VERBOSE,
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORD_VALUES: dict[str, Any] = {
    "null": None,
    "true": True,
    "false": False,
    "NaN": math.nan,
    "Inf": math.inf,
    "-Inf": -math.inf,
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "'": "'", '"': '"', "\\": "\\", "/": "/"}


class _Parser:
    """Recursive descent over one literal; positions index into ``text``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, expected: str) -> LiteralError:
        return LiteralError(self.text, self.pos, expected)

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self, token: str) -> bool:
        self.skip_ws()
        return self.text.startswith(token, self.pos)

    def take(self, token: str) -> bool:
        if self.peek(token):
            self.pos += len(token)
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.take(token):
            raise self.fail(repr(token))

    def value(self) -> Any:
        self.skip_ws()
        text, pos = self.text, self.pos
        if pos >= len(text):
            raise self.fail("a value")
        char = text[pos]
        if char == "'":
            return self.string()
        if text.startswith("[:", pos):
            return self.rel()
        if char == "[":
            return self.list()
        if char == "{":
            return self.map()
        if char == "(":
            return self.node()
        if char == "<":
            return self.path()
        for word in ("-Inf", "null", "true", "false", "NaN", "Inf"):
            end = pos + len(word)
            if text.startswith(word, pos) and not (end < len(text) and text[end].isalnum()):
                self.pos = end
                return _WORD_VALUES[word]
        return self.number()

    def number(self) -> int | float:
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            raise self.fail("a value")
        self.pos = match.end()
        token = match.group()
        digits = token.lstrip("-")
        sign = -1 if token.startswith("-") else 1
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        if digits.startswith("0o"):
            return sign * int(digits[2:], 8)
        if any(c in digits for c in ".eE"):
            return float(token)
        return int(token)

    def string(self) -> str:
        text = self.text
        self.pos += 1  # the opening quote
        out: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char == "'":
                self.pos += 1
                return "".join(out)
            if char == "\\" and self.pos + 1 < len(text):
                code = text[self.pos + 1]
                if code == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[self.pos + 2 : self.pos + 6]):
                    out.append(chr(int(text[self.pos + 2 : self.pos + 6], 16)))
                    self.pos += 6
                    continue
                # An unknown escape keeps its backslash, as Cypher string literals do not define it.
                out.append(_ESCAPES.get(code, "\\" + code))
                self.pos += 2
                continue
            out.append(char)
            self.pos += 1
        raise self.fail("a closing quote")

    def list(self) -> list[Any]:
        self.expect("[")
        items: list[Any] = []
        if self.take("]"):
            return items
        while True:
            items.append(self.value())
            if self.take("]"):
                return items
            self.expect(",")

    def key(self) -> str:
        self.skip_ws()
        if self.text.startswith("`", self.pos):
            end = self.text.find("`", self.pos + 1)
            if end < 0:
                raise self.fail("a closing backtick")
            key = self.text[self.pos + 1 : end]
            self.pos = end + 1
            return key
        if self.text.startswith("'", self.pos):
            return self.string()
        match = _IDENT.match(self.text, self.pos)
        if match is None:
            raise self.fail("a key")
        self.pos = match.end()
        return match.group()

    def map(self) -> dict[str, Any]:
        self.expect("{")
        items: dict[str, Any] = {}
        if self.take("}"):
            return items
        while True:
            key = self.key()
            self.expect(":")
            items[key] = self.value()
            if self.take("}"):
                return items
            self.expect(",")

    def node(self) -> TckNode:
        self.expect("(")
        labels: set[str] = set()
        while self.take(":"):
            labels.add(self.key())
        properties = self.map() if self.peek("{") else {}
        self.expect(")")
        return TckNode(frozenset(labels), properties)

    def rel(self) -> TckRel:
        self.expect("[")
        self.expect(":")
        rel_type = self.key()
        properties = self.map() if self.peek("{") else {}
        self.expect("]")
        return TckRel(rel_type, properties)

    def path(self) -> TckPath:
        self.expect("<")
        nodes = [self.node()]
        rels: list[TckRel] = []
        forward: list[bool] = []
        while not self.take(">"):
            if self.take("<-"):
                rels.append(self.rel())
                self.expect("-")
                forward.append(False)
            else:
                self.expect("-")
                rels.append(self.rel())
                self.expect("->")
                forward.append(True)
            nodes.append(self.node())
        return TckPath(tuple(nodes), tuple(rels), tuple(forward))


def parse_value(text: str) -> Any:
    """Parse one TCK value literal (a whole cell) into a Python value or a TckNode/TckRel/TckPath."""
    parser = _Parser(text)
    result = parser.value()
    parser.skip_ws()
    if parser.pos != len(text):
        raise parser.fail("the end of the value")
    return result


def to_python(value: Any) -> Any:
    """Check that a parsed literal holds no graph element, so it can be passed as a query parameter."""
    if isinstance(value, TckNode | TckRel | TckPath):
        raise ValueError(f"a graph element cannot be a parameter value: {value!r}")
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    return value


# --- comparison --------------------------------------------------------------------------------


def _kind(actual: Any) -> str | None:
    if isinstance(actual, Mapping):
        kind = actual.get("_kind")
        return kind if isinstance(kind, str) else None
    return None


def node_labels(actual: Mapping[str, Any]) -> frozenset[str]:
    """A client node's labels: its ``labels`` list, else its single ``label`` (if any)."""
    labels = actual.get("labels")
    if labels is None:  # a client that only reports the primary label
        label = actual.get("label")
        labels = [label] if label else []
    return frozenset(labels)


def _temporal_text(actual: Any) -> str | None:
    """Cypher's string form of a temporal value, which is how the TCK writes expected temporals."""
    if hasattr(actual, "cypher") or isinstance(getattr(actual, "cypher_type_name", None), str):
        return str(actual)  # namidb's temporal values print in Cypher's own form
    if isinstance(actual, dt.datetime):
        text = actual.replace(tzinfo=None).isoformat()
        if actual.microsecond:
            text = text.rstrip("0")
        offset = actual.utcoffset()
        if offset is None:
            return text
        return text + ("Z" if not offset else actual.isoformat()[-6:])
    if isinstance(actual, dt.date):
        return actual.isoformat()
    if isinstance(actual, dt.time):
        text = actual.replace(tzinfo=None).isoformat()
        return text.rstrip("0") if actual.microsecond else text
    return None


def _match_map(expected: Mapping[str, Any], actual: Any, unordered_lists: bool) -> bool:
    if not isinstance(actual, Mapping) or set(expected) != set(actual):
        return False
    return all(values_match(expected[k], actual[k], unordered_lists) for k in expected)


def _match_path(expected: TckPath, actual: Any, unordered_lists: bool) -> bool:
    if not isinstance(actual, Sequence) or isinstance(actual, str):
        return False
    if len(actual) != 2 * len(expected.rels) + 1:
        return False
    nodes, rels = actual[0::2], actual[1::2]
    if not all(values_match(e, a, unordered_lists) for e, a in zip(expected.nodes, nodes, strict=True)):
        return False
    for i, (rel, forward) in enumerate(zip(expected.rels, expected.forward, strict=True)):
        got = rels[i]
        if not values_match(rel, got, unordered_lists):
            return False
        before, after = nodes[i].get("id"), nodes[i + 1].get("id")
        ends = (before, after) if forward else (after, before)
        if (got.get("src"), got.get("dst")) != ends:
            return False
    return True


def values_match(expected: Any, actual: Any, unordered_lists: bool = False) -> bool:
    """True when a client value equals a parsed TCK literal under the TCK's comparison rules."""
    if expected is None:
        return actual is None
    if isinstance(expected, bool):
        return isinstance(actual, bool) and actual is expected
    if isinstance(expected, int):
        return isinstance(actual, int) and not isinstance(actual, bool) and actual == expected
    if isinstance(expected, float):
        if not isinstance(actual, float):
            return False
        return (math.isnan(expected) and math.isnan(actual)) or actual == expected
    if isinstance(expected, str):
        return actual == expected if isinstance(actual, str) else _temporal_text(actual) == expected
    if isinstance(expected, TckNode):
        return (
            _kind(actual) == "node"
            and node_labels(actual) == expected.labels
            and _match_map(expected.properties, actual.get("properties", {}), unordered_lists)
        )
    if isinstance(expected, TckRel):
        return (
            _kind(actual) == "rel"
            and actual.get("edge_type") == expected.type
            and _match_map(expected.properties, actual.get("properties", {}), unordered_lists)
        )
    if isinstance(expected, TckPath):
        return _match_path(expected, actual, unordered_lists)
    if isinstance(expected, dict):
        return _kind(actual) is None and _match_map(expected, actual, unordered_lists)
    if isinstance(expected, list):
        if not isinstance(actual, list | tuple) or len(actual) != len(expected):
            return False
        if unordered_lists:
            return _multiset_match(expected, list(actual), unordered_lists)
        return all(values_match(e, a, unordered_lists) for e, a in zip(expected, actual, strict=True))
    raise TypeError(f"not a parsed TCK literal: {expected!r}")


def _coarse_key(value: Any) -> Hashable:
    """A hashable key equal for any expected/actual pair that can match (it may also be equal for
    pairs that do not): it buckets rows so matching is near-linear instead of quadratic.

    Lists and paths share one key shape because the client returns a path as a plain list; numbers
    key by type so that 1 and 1.0 and True land apart; NaN keys as a string since NaN != NaN.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", "NaN" if math.isnan(value) else value)
    if isinstance(value, TckNode):
        return ("node", value.labels)
    if isinstance(value, TckRel):
        return ("rel", value.type)
    if isinstance(value, TckPath):
        return ("list", 2 * len(value.rels) + 1)
    if isinstance(value, Mapping):
        kind = value.get("_kind")
        if kind == "node":
            return ("node", node_labels(value))
        if kind == "rel":
            return ("rel", value.get("edge_type"))
        return ("map", frozenset(value))
    if isinstance(value, list | tuple):
        return ("list", len(value))
    temporal = _temporal_text(value)
    return temporal if temporal is not None else ("other", type(value).__name__)


def _multiset_match(
    expected: Sequence[Any],
    actual: Sequence[Any],
    unordered_lists: bool,
    key: Callable[[Any], Hashable] = _coarse_key,
    equal: Callable[[Any, Any, bool], bool] = values_match,
) -> bool:
    """Match two sequences as multisets: every expected item consumes one equal actual item."""
    if len(expected) != len(actual):
        return False
    buckets: dict[Hashable, list[Any]] = defaultdict(list)
    for item in actual:
        buckets[key(item)].append(item)
    for want in expected:
        bucket = buckets.get(key(want))
        if not bucket:
            return False
        for i, got in enumerate(bucket):
            if equal(want, got, unordered_lists):
                del bucket[i]
                break
        else:
            return False
    return True


def _row_key(row: Sequence[Any]) -> Hashable:
    return tuple(_coarse_key(cell) for cell in row)


def _row_match(expected: Sequence[Any], actual: Sequence[Any], unordered_lists: bool) -> bool:
    return len(expected) == len(actual) and all(
        values_match(w, g, unordered_lists) for w, g in zip(expected, actual, strict=True)
    )


def rows_match(
    expected: Sequence[Sequence[Any]],
    actual: Sequence[Sequence[Any]],
    *,
    ordered: bool,
    unordered_lists: bool = False,
) -> bool:
    """Compare result rows (each a sequence of cell values in column order).

    ``ordered`` compares row by row; otherwise rows are a multiset. ``unordered_lists`` compares
    every list, at any depth, as a multiset of its elements; cells within a row stay positional.
    """
    if ordered:
        return len(expected) == len(actual) and all(
            _row_match(w, g, unordered_lists) for w, g in zip(expected, actual, strict=True)
        )
    return _multiset_match(expected, actual, unordered_lists, key=_row_key, equal=_row_match)
