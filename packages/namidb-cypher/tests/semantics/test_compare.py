"""Equality, comparability, orderability and equivalence, mostly lifted from the TCK."""

from __future__ import annotations

import functools
import math
import random

import pytest

from namidb_cypher.errors import CypherTypeError
from namidb_cypher.semantics.compare import (
    and3,
    compare,
    equals,
    equivalent,
    ge,
    group_key,
    gt,
    in_list,
    le,
    lt,
    not3,
    or3,
    order_key,
    xor3,
)
from namidb_cypher.values import Node, Path, Relationship

NAN = math.nan


@functools.total_ordering
class FakeDate:
    """Stands in for the temporal library's values: only the documented hooks."""

    cypher_type_name = "DATE"

    def __init__(self, ordinal: int) -> None:
        self.ordinal = ordinal

    def __cypher_compare__(self, other: FakeDate) -> int | None:
        return (self.ordinal > other.ordinal) - (self.ordinal < other.ordinal)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FakeDate) and other.ordinal == self.ordinal

    def __lt__(self, other: FakeDate) -> bool:
        return self.ordinal < other.ordinal

    def __hash__(self) -> int:
        return hash(self.ordinal)

    def __str__(self) -> str:
        return f"D{self.ordinal}"


class FakeDuration:
    cypher_type_name = "DURATION"

    def __init__(self, text: str) -> None:
        self.text = text

    def __cypher_compare__(self, other: object) -> int | None:
        return None  # durations are not comparable

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FakeDuration) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __str__(self) -> str:
        return self.text


def graph():
    n = Node(1, ("N",), {"a": 1})
    m = Node(2, ())
    r = Relationship(7, "REL", 1, 2)
    p = Path((n, m), (r,))
    return n, m, r, p


# --- equality ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lhs", "rhs", "result"),
    [
        # Comparison1 [6] Comparing lists to lists
        ([1, 2], [1], False),
        ([None], [1], None),
        (["a"], [1], False),
        ([[1]], [[1], [None]], False),
        ([[1], [2]], [[1], [None]], None),
        ([[1], [2, 3]], [[1], [None]], False),
        # List3 - List Equality
        ([1, 2], "foo", False),
        ([1], [1, None], False),
        ([1, 2], [None, "foo"], False),
        ([1, 2], [None, 2], None),
        ([[1, 2], [1, 3]], [[1, 2], [None, "foo"]], False),
        ([[1, 2], ["foo", "bar"]], [[1, 2], [None, "bar"]], None),
    ],
)
def test_list_equality(lhs, rhs, result):
    assert equals(lhs, rhs) is result
    assert equals(rhs, lhs) is result


@pytest.mark.parametrize(
    ("lhs", "rhs", "result"),
    [
        # Comparison1 [7] Comparing maps to maps
        ({}, {}, True),
        ({"k": True}, {"k": True}, True),
        ({"k": 1}, {"k": 1}, True),
        ({"k": 1.0}, {"k": 1.0}, True),
        ({"k": "abc"}, {"k": "abc"}, True),
        ({"k": "a", "l": 2}, {"k": "a", "l": 2}, True),
        ({}, {"k": None}, False),
        ({"k": None}, {}, False),
        ({"k": 1}, {"k": 1, "l": None}, False),
        ({"k": None, "l": 1}, {"l": 1}, False),
        ({"k": None}, {"k": None, "l": None}, False),
        ({"k": None}, {"k": None}, None),
        ({"k": 1}, {"k": None}, None),
        ({"k": 1, "l": None}, {"k": None, "l": None}, None),
        ({"k": 1, "l": None}, {"k": None, "l": 1}, None),
        ({"k": 1, "l": None}, {"k": 1, "l": 1}, None),
    ],
)
def test_map_equality(lhs, rhs, result):
    assert equals(lhs, rhs) is result


@pytest.mark.parametrize("rhs", [1, 1.0, NAN, "a"])
def test_nan_is_unequal_to_everything(rhs):
    # Comparison1 [8] Equality and inequality of NaN
    assert equals(NAN, rhs) is False


@pytest.mark.parametrize(
    ("lhs", "rhs", "result"),
    [
        # Comparison1 [9] Equality between strings and numbers
        (1.0, 1.0, True),
        (1, 1.0, True),
        ("1.0", 1.0, False),
        ("1", 1, False),
        # Comparison1 [1]-[3]
        (0, 0.0, True),
        (0, 0.5, False),
        (0, "0", False),
        # booleans are not numbers
        (True, 1, False),
        (False, 0.0, False),
        (True, True, True),
        # Comparison1 [10]-[13] large integers stay exact
        (4611686018427387905, 4611686018427387905, True),
        (4611686018427387905, 4611686018427387900, False),
    ],
)
def test_scalar_equality(lhs, rhs, result):
    assert equals(lhs, rhs) is result
    assert equals(rhs, lhs) is result


def test_null_equality_is_null():
    # Comparison1 [15]/[16], Null3 [2]/[3]
    assert equals(None, None) is None
    assert equals(None, 1) is None
    assert equals([], None) is None


def test_graph_entity_equality_by_id():
    n, m, r, _p = graph()
    # Comparison1 [4] / [5]
    assert equals(n, Node(1, ("Other",))) is True
    assert equals(n, m) is False
    assert equals(r, Relationship(7, "X", 5, 6)) is True
    assert equals(n, r) is False
    assert equals(n, {"a": 1}) is False


def test_path_equality_ignores_traversal_direction():
    # Comparison1 [14]: a self loop matched forwards and backwards is the same path
    a = Node(1, ("A",))
    loop = Relationship(3, "LOOP", 1, 1)
    assert equals(Path((a, a), (loop,)), Path((Node(1, ("A",)), a), (loop,))) is True
    _, m, _r, p = graph()
    assert equals(p, Path((m,), ())) is False


def test_temporal_equality_through_hooks():
    assert equals(FakeDate(1), FakeDate(1)) is True
    assert equals(FakeDate(1), FakeDate(2)) is False
    assert equals(FakeDate(1), "D1") is False
    assert equals(FakeDuration("P1D"), FakeDuration("P1D")) is True
    assert equals(FakeDuration("P1D"), FakeDate(1)) is False


# --- comparability -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lhs", "rhs", "result"),
    [
        # Comparison2 [4] Comparing lists (lhs >= rhs)
        ([1, 0], [1], True),
        ([1, None], [1], True),
        ([1, 2], [1, None], None),
        ([1, "a"], [1, None], None),
        ([1, 2], [3, None], False),
    ],
)
def test_list_comparison(lhs, rhs, result):
    assert ge(lhs, rhs) is result


@pytest.mark.parametrize(("lhs", "rhs", "result"), [(NAN, 1, False), (NAN, 1.0, False), (NAN, NAN, False)])
def test_nan_comparisons_are_false(lhs, rhs, result):
    # Comparison2 [5] Comparing NaN
    for op in (gt, ge, lt, le):
        assert op(lhs, rhs) is result
        assert op(rhs, lhs) is result


def test_nan_against_string_is_null():
    # Comparison2 [5], last example
    for op in (gt, ge, lt, le):
        assert op(NAN, "a") is None


@pytest.mark.parametrize(
    ("lhs", "rhs", "result"),
    [
        # Comparison2 [6] Comparability between numbers and strings (lhs < rhs)
        (1.0, 1.0, False),
        (1, 1.0, False),
        ("1.0", 1.0, None),
        ("1", 1, None),
    ],
)
def test_numbers_and_strings(lhs, rhs, result):
    assert lt(lhs, rhs) is result


def test_comparing_across_types_yields_null_except_numbers():
    # Comparison2 [3]: only (1, 3.14) is comparable among [n, r, p, '', 1, 3.14, true, null, [], {}]
    n, _, r, p = graph()
    values = [n, r, p, "", 1, 3.14, True, None, [], {}]
    comparable = set()
    for i, lhs in enumerate(values):
        for j, rhs in enumerate(values):
            if i != j and lt(lhs, rhs):
                comparable.add((i, j))
    assert comparable == {(4, 5)}


def test_booleans_strings_and_ranges():
    assert lt(False, True) is True
    # Precedence1 [6]: NOT false >= false
    assert ge(False, False) is True
    # Comparison3 string ranges
    assert lt("a", "b") is True
    assert le("c", "c") is True
    assert gt("a", "c") is False
    # Comparison4 [1]: n.prop1 < m.prop1 = n.prop2 <> m.prop2 evaluates pairwise
    assert lt(3, 4) is True
    # Precedence3 [6]: [1, 2] < true is null
    assert lt([1, 2], True) is None
    assert compare(None, 1) is None
    assert compare({}, {}) is None
    n, m, _, _ = graph()
    assert compare(n, m) is None


def test_temporal_comparison_through_hooks():
    assert lt(FakeDate(1), FakeDate(2)) is True
    assert compare(FakeDate(3), FakeDate(3)) == 0
    assert compare(FakeDate(1), 1) is None
    assert compare(FakeDuration("P1D"), FakeDuration("P2D")) is None


# --- orderability --------------------------------------------------------------------------


def sort(values, *, reverse=False):
    shuffled = list(values)
    random.Random(7).shuffle(shuffled)
    return sorted(shuffled, key=order_key, reverse=reverse)


def test_order_lists():
    # ReturnOrderBy1 [9] / [10]
    expected = [[], ["a"], ["a", 1], [1], [1, "a"], [1, None], [None, 1], [None, 2]]
    assert sort(expected) == expected
    assert sort(expected, reverse=True) == expected[::-1]


def test_order_distinct_types():
    # ReturnOrderBy1 [11] / [12], WithOrderBy1 [21] / [22]
    n, _, r, p = graph()
    expected = [{"a": "map"}, n, r, ["list"], p, "text", False, 1.5, NAN, None]
    ordered = sort(expected)
    assert [type(v) for v in ordered] == [type(v) for v in expected]
    assert ordered[:7] == expected[:7]
    assert ordered[7] == 1.5
    assert math.isnan(ordered[8])
    assert ordered[9] is None
    descending = sort(expected, reverse=True)
    assert descending[0] is None
    assert math.isnan(descending[1])
    assert descending[2] == 1.5


def test_order_scalars():
    # ReturnOrderBy1 [1]-[8]
    assert sort([True, False]) == [False, True]
    assert sort([".*", "", " ", "one"]) == ["", " ", ".*", "one"]
    assert sort([1, 3, 2]) == [1, 2, 3]
    assert sort([1.5, 1.3, 999.99]) == [1.3, 1.5, 999.99]
    assert sort([2, 1.5, -1, 0.0]) == [-1, 0.0, 1.5, 2]


def test_temporal_kinds_order_between_path_and_string():
    _, _, _, p = graph()
    values = ["s", FakeDuration("P1D"), FakeDate(2), FakeDate(1), p]
    ordered = sort(values)
    assert ordered[0] is p
    assert [str(v) for v in ordered[1:]] == ["D1", "D2", "P1D", "s"]


@pytest.mark.parametrize(
    "values",
    [
        [True, False],
        [351, -3974856, 93, -3, 123, 0, 3, -2, 20934587, 1, 20934585, 20934586, -10],
        [351.5, -3974856.01, -3.203957, 123.0002, 123.0001, 123.00013, 123.00011, 0.01, 0.0999999, 1e-8, 3.0],
        ["Sort", "order", " ", "should", "be", "", "consistent", "with", "comparisons", ", ", "!"],
        [[2, 2], [2, -2], [1, 2], [], [1], [300, 0], [1, -20], [2, -2, 100]],
    ],
)
def test_sort_order_consistent_with_comparisons(values):
    # WithOrderBy1 [45]: the i-th value in sort order has exactly i values below it
    ordered = sort(values)
    below = [sum(1 for x in values if lt(x, value)) for value in ordered]
    assert below == list(range(len(values)))


def test_order_maps_and_entities_deterministically():
    assert sort([{"b": 1}, {"a": 2}, {"a": 1}]) == [{"a": 1}, {"a": 2}, {"b": 1}]
    n, m, _, _ = graph()
    assert sort([m, n]) == [n, m]


# --- equivalence ---------------------------------------------------------------------------


def test_group_key_equivalence():
    assert equivalent(None, None)
    assert equivalent(1, 1.0)
    assert equivalent(NAN, float("nan"))
    assert not equivalent(True, 1)
    assert not equivalent(False, 0)
    assert not equivalent("1", 1)
    assert equivalent([1, None, [NAN]], [1.0, None, [NAN]])
    assert equivalent({"a": 1, "b": [2]}, {"b": [2.0], "a": 1})
    assert not equivalent({"a": 1}, {"a": 1, "b": None})
    assert not equivalent([1], (1, 2))
    n, _m, r, _p = graph()
    assert equivalent(n, Node(1, ()))
    assert not equivalent(n, r)
    assert equivalent(FakeDate(1), FakeDate(1))
    assert not equivalent(FakeDate(1), FakeDuration("D1"))


def test_group_keys_are_hashable_and_dedupe():
    n, _m, r, p = graph()
    values = [1, 1.0, None, None, NAN, NAN, True, "x", [1, 2], [1.0, 2], {"k": [1]}, n, n, r, p, FakeDate(1)]
    distinct = {group_key(v) for v in values}
    assert len(distinct) == 11  # 1~1.0, null, NaN, true, "x", [1, 2], map, n, r, p, date


# --- three-valued logic and IN -------------------------------------------------------------

T, F, N = True, False, None


def test_and_truth_table():
    # Boolean1 [1]
    row = [and3(a, b) for a, b in [(T, T), (T, F), (T, N), (F, T), (F, F), (F, N), (N, T), (N, F), (N, N)]]
    assert row == [T, F, N, F, F, F, N, F, N]


def test_or_truth_table():
    # Boolean2 [1]
    row = [or3(a, b) for a, b in [(T, T), (T, F), (T, N), (F, T), (F, F), (F, N), (N, T), (N, F), (N, N)]]
    assert row == [T, T, T, T, F, N, T, N, N]


def test_xor_truth_table():
    # Boolean3 [1]
    row = [xor3(a, b) for a, b in [(T, T), (T, F), (T, N), (F, T), (F, F), (F, N), (N, T), (N, F), (N, N)]]
    assert row == [F, T, N, T, F, N, N, N, N]


def test_not():
    # Boolean4 [1], Null3 [1]
    assert not3(True) is False
    assert not3(False) is True
    assert not3(None) is None


@pytest.mark.parametrize("bad", [123, 123.4, "foo", [], [True], {}, {"x": []}])
def test_logical_operators_reject_non_booleans(bad):
    # Boolean1-3 [8] (compile time there; the same check at runtime here)
    for op in (and3, or3, xor3):
        with pytest.raises(CypherTypeError) as info:
            op(True, bad)
        assert info.value.code == "InvalidArgumentType"
    with pytest.raises(CypherTypeError):
        not3(bad)


@pytest.mark.parametrize(
    ("element", "container", "result"),
    [
        # Null3 [4] Using null in IN
        (None, None, None),
        (None, [1, 2, 3], None),
        (None, [1, 2, 3, None], None),
        (None, [], False),
        (1, [1, 2, 3, None], True),
        (1, [None, 1], True),
        (5, [1, 2, 3, None], None),
        # List5
        (1, ["1", 2], False),
        ([1, 2], [1, [1, "2"]], False),
        ([1], [1, 2], False),
        ([1], [1, 2, [1]], True),
        ([1, 2], [1, [2, 1]], False),
        ([[1, 2], [3, 4]], [5, [[1, 2], [3, 4]]], True),
        ([None], [[None]], None),
        ([None], [None], None),
        ([1], [[1, None]], False),
        (3, [1, None, 3], True),
        (4, [1, None, 3], None),
        ([1, 2], [[None, "foo"], [1, 2]], True),
        ([1, 2], [[None, "foo"]], False),
        ([1, 2], [[None, 2]], None),
        ([1, 2, None], [1, [1, 2, None]], None),
        ([1, 2], [[None, 2], [1, 3]], None),
        ([], [[]], True),
        ([], [], False),
        ([], [1, 2, None], None),
        ([[], []], [1, [[], []]], True),
    ],
)
def test_in_list(element, container, result):
    assert in_list(element, container) is result


def test_in_requires_a_list():
    # List5 [42]
    with pytest.raises(CypherTypeError):
        in_list(1, 123)
