"""Arithmetic operators: integer exactness, Java division semantics, concatenation, temporal hooks."""

from __future__ import annotations

import math

import pytest

from namidb_cypher.errors import CypherArithmeticError, CypherTypeError
from namidb_cypher.semantics.arithmetic import add, div, mod, mul, neg, pos, pow, sub
from namidb_cypher.semantics.types import INT64_MAX, INT64_MIN
from namidb_cypher.values import Node

INF = math.inf


class FakeDuration:
    """Days only; implements the documented hooks."""

    cypher_type_name = "DURATION"

    def __init__(self, days: int) -> None:
        self.days = days

    def __cypher_add__(self, other):
        if isinstance(other, FakeDuration):
            return FakeDuration(self.days + other.days)
        if isinstance(other, FakeDate):
            return FakeDate(other.ordinal + self.days)
        return NotImplemented

    def __cypher_sub__(self, other):
        return FakeDuration(self.days - other.days) if isinstance(other, FakeDuration) else NotImplemented

    def __cypher_mul__(self, other):
        return FakeDuration(self.days * other) if isinstance(other, int) else NotImplemented

    def __cypher_div__(self, other):
        return FakeDuration(self.days // other) if isinstance(other, int) else NotImplemented

    def __eq__(self, other):
        return isinstance(other, FakeDuration) and other.days == self.days

    def __hash__(self):
        return self.days

    def __str__(self):
        return f"P{self.days}D"


class FakeDate:
    cypher_type_name = "DATE"

    def __init__(self, ordinal: int) -> None:
        self.ordinal = ordinal

    def __cypher_add__(self, other):
        return FakeDate(self.ordinal + other.days) if isinstance(other, FakeDuration) else NotImplemented

    def __cypher_sub__(self, other):
        return FakeDate(self.ordinal - other.days) if isinstance(other, FakeDuration) else NotImplemented

    def __eq__(self, other):
        return isinstance(other, FakeDate) and other.ordinal == self.ordinal

    def __hash__(self):
        return self.ordinal

    def __str__(self):
        return f"D{self.ordinal}"


def same(actual, expected):
    """Exact equality including the Python type (1 vs 1.0) and NaN."""
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return type(actual) is type(expected) and actual == expected


@pytest.mark.parametrize(
    ("mult1", "add_op", "mult2", "right"),
    [
        # Precedence2 [1]: 4 <mult1> 2 <add> 3 <mult2> 2
        (mul, add, mul, 14),
        (mul, add, div, 9),
        (mul, add, mod, 9),
        (mul, sub, mul, 2),
        (mul, sub, div, 7),
        (mul, sub, mod, 7),
        (div, add, mul, 8),
        (div, add, div, 3),
        (div, add, mod, 3),
        (div, sub, mul, -4),
        (div, sub, div, 1),
        (div, sub, mod, 1),
        (mod, add, mul, 6),
        (mod, add, div, 1),
        (mod, add, mod, 1),
        (mod, sub, mul, -6),
        (mod, sub, div, -1),
        (mod, sub, mod, -1),
    ],
)
def test_integer_precedence_table(mult1, add_op, mult2, right):
    assert same(add_op(mult1(4, 2), mult2(3, 2)), right)


def test_arithmetic_precedence_examples():
    # Mathematical8 [1] 12 / 4 * 3 - 2 * 4 = 1 ; [2] 12 / 4 * (3 - 2 * 4) = -15
    assert sub(mul(div(12, 4), 3), mul(2, 4)) == 1
    assert mul(div(12, 4), sub(3, mul(2, 4))) == -15
    # Mathematical2 [1]
    assert add(99, 5) == 104


def test_power_is_always_float():
    # Precedence2 [2]-[4]
    assert same(mul(pow(4, 3), pow(2, 3)), 512.0)
    assert same(div(pow(4, 3), pow(2, 3)), 8.0)
    assert same(mod(pow(4, 3), pow(2, 3)), 0.0)
    assert same(add(pow(4, 3), pow(2, 3)), 72.0)
    assert same(pow(neg(3), 2), 9.0)
    assert same(neg(pow(3, 2)), -9.0)
    # Precedence2 [2], column c: 4 ^ (3 * 2) ^ 3 is left-associative
    assert same(pow(pow(4, mul(3, 2)), 3), 68719476736.0)


def test_power_edge_cases_follow_java():
    assert pow(10, 400) == INF
    assert pow(-10, 401) == -INF
    assert math.isnan(pow(-8, 1 / 3))
    assert pow(0, -1) == INF
    assert pow(-0.0, -1) == -INF
    assert pow(2, 0.5) == math.sqrt(2)


def test_integer_division_truncates_toward_zero():
    assert div(7, 2) == 3
    assert div(-7, 2) == -3
    assert div(7, -2) == -3
    assert div(-7, -2) == 3
    assert mod(-7, 2) == -1
    assert mod(7, -2) == 1
    assert same(div(7, 2.0), 3.5)
    assert same(mod(7.5, 2), 1.5)
    assert same(mod(-7.5, 2), -1.5)


def test_integer_division_by_zero_raises():
    for op in (div, mod):
        with pytest.raises(CypherArithmeticError) as info:
            op(1, 0)
        assert info.value.code == "DivisionByZero"
        assert info.value.phase == "runtime"


def test_float_division_by_zero_is_ieee():
    assert div(1.0, 0) == INF
    assert div(-1, 0.0) == -INF
    assert div(1, -0.0) == -INF
    assert math.isnan(div(0.0, 0))
    assert math.isnan(div(0, 0.0))
    assert math.isnan(mod(1.0, 0))
    assert math.isnan(mod(INF, 2))


@pytest.mark.parametrize(
    ("op", "a", "b"),
    [
        (add, INT64_MAX, 1),
        (sub, INT64_MIN, 1),
        (mul, 2**62, 2),
        (mul, INT64_MIN, -1),
        (div, INT64_MIN, -1),
    ],
)
def test_integer_overflow_raises(op, a, b):
    with pytest.raises(CypherArithmeticError) as info:
        op(a, b)
    assert info.value.code == "IntegerOverflow"


def test_negation():
    assert neg(5) == -5
    assert same(neg(1.5), -1.5)
    assert neg(INT64_MAX) == -INT64_MAX
    with pytest.raises(CypherArithmeticError):
        neg(INT64_MIN)
    with pytest.raises(CypherTypeError):
        neg("a")
    assert pos(3) == 3
    with pytest.raises(CypherTypeError):
        pos([1])


def test_mixed_numbers_become_float():
    assert same(add(1, 2.0), 3.0)
    assert same(sub(1.5, 1), 0.5)
    assert same(mul(2, 1.5), 3.0)


def test_null_propagates():
    for op in (add, sub, mul, div, mod, pow):
        assert op(None, 1) is None
        assert op(1, None) is None
    assert add([1], None) is None
    assert add(None, "a") is None
    assert neg(None) is None


def test_list_concatenation():
    # List4 [1] / [2]
    assert add([1, 10, 100], [4, 5]) == [1, 10, 100, 4, 5]
    assert add([False, True], False) == [False, True, False]
    # Precedence3 [1]-[4]
    assert add([[1], [2, 3], [4, 5]], 10) == [[1], [2, 3], [4, 5], 10]
    assert add([[1], [2, 3], [4, 5]], [8, 9]) == [[1], [2, 3], [4, 5], 8, 9]
    assert add([1], 2) == [1, 2]
    assert add(3, [4]) == [3, 4]
    # list rules come before string rules
    assert add("a", [1]) == ["a", 1]
    original = [1]
    add(original, 2)
    assert original == [1]


def test_string_concatenation():
    assert add("nam", "e") == "name"
    # the keys(r) scenarios: key + '->' + r[key]
    assert add(add("year", "->"), 1988) == "year->1988"
    assert add("a", 1.5) == "a1.5"
    assert add(1, "a") == "1a"
    assert add("a", True) == "atrue"
    assert add("x", 1e20) == "x1.0E20"
    assert add("d: ", FakeDate(3)) == "d: D3"
    with pytest.raises(CypherTypeError):
        add("a", {"k": 1})
    with pytest.raises(CypherTypeError):
        add("a", Node(1, ()))


@pytest.mark.parametrize(
    ("op", "a", "b"),
    [
        (add, True, 1),
        (add, {}, 1),
        (sub, "a", "b"),
        (sub, [1], [1]),
        (mul, "a", 2),
        (div, True, 2),
        (mod, "7", 2),
        (pow, [2], 2),
        (add, Node(1, ()), Node(2, ())),
    ],
)
def test_type_errors(op, a, b):
    with pytest.raises(CypherTypeError) as info:
        op(a, b)
    assert info.value.code == "InvalidArgumentType"
    assert info.value.phase == "runtime"


def test_temporal_hooks():
    assert add(FakeDate(10), FakeDuration(2)) == FakeDate(12)
    assert add(FakeDuration(2), FakeDate(10)) == FakeDate(12)
    assert add(FakeDuration(2), FakeDuration(3)) == FakeDuration(5)
    assert sub(FakeDate(10), FakeDuration(2)) == FakeDate(8)
    assert mul(FakeDuration(2), 3) == FakeDuration(6)
    assert mul(3, FakeDuration(2)) == FakeDuration(6)
    assert div(FakeDuration(6), 3) == FakeDuration(2)
    assert neg(FakeDuration(2)) == FakeDuration(-2)
    with pytest.raises(CypherTypeError):
        sub(FakeDuration(2), FakeDate(10))
    with pytest.raises(CypherTypeError):
        add(FakeDate(1), FakeDate(2))
    with pytest.raises(CypherTypeError):
        mul(FakeDate(1), 2)
