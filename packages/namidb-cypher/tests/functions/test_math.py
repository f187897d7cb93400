"""Numeric functions, with Java's special values."""

from __future__ import annotations

import math

import pytest

from namidb_cypher.errors import CypherArgumentError, CypherArithmeticError, CypherTypeError
from namidb_cypher.functions import lookup
from namidb_cypher.functions.math import abs_, ceil, floor, round_, sign
from namidb_cypher.semantics.types import INT64_MIN

INF, NAN = math.inf, math.nan


def call(name, *args):
    definition = lookup(name)
    assert definition is not None
    return definition.impl(*args)


def same(actual, expected):
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return type(actual) is type(expected) and actual == expected


def test_abs():
    # Mathematical11 [1] Absolute function
    assert same(abs_(-1), 1)
    assert same(abs_(-1.5), 1.5)
    with pytest.raises(CypherArithmeticError):
        abs_(INT64_MIN)


def test_sqrt():
    # Mathematical13 [1] `sqrt()` returning float values
    assert call("sqrt", 12.96) == pytest.approx(3.6)
    assert same(call("sqrt", 4), 2.0)
    assert same(call("sqrt", -1), NAN)


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (ceil, 2.1, 3.0),
        (ceil, -2.1, -2.0),
        (ceil, 3, 3.0),
        (floor, 2.9, 2.0),
        (floor, -2.1, -3.0),
        (floor, INF, INF),
        (round_, 2.5, 3.0),
        (round_, -2.5, -2.0),  # Java Math.round: half up
        (round_, 2.4, 2.0),
        (round_, 3, 3.0),
        (round_, NAN, NAN),
        (round_, 2.0**60 + 0.0, 2.0**60),
    ],
)
def test_rounding(function, value, expected):
    assert same(function(value), expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((3.141592, 3), 3.142),
        ((-1.5, 0), -2.0),
        ((2.5, 0, "HALF_EVEN"), 2.0),
        ((2.5, 0, "HALF_DOWN"), 2.0),
        ((2.25, 1, "half_up"), 2.3),
        ((1.01, 1, "UP"), 1.1),
        ((-1.09, 1, "DOWN"), -1.0),
        ((-1.01, 1, "CEILING"), -1.0),
        ((-1.01, 1, "FLOOR"), -1.1),
        ((1234.5, -2), 1200.0),
        ((7, 1), 7.0),
    ],
)
def test_round_with_precision_and_mode(args, expected):
    assert same(round_(*args), expected)


def test_round_argument_errors():
    with pytest.raises(CypherArgumentError):
        round_(1.5, 0, "SIDEWAYS")
    with pytest.raises(CypherTypeError):
        round_(1.5, 0.5)
    with pytest.raises(CypherTypeError):
        round_("1.5")


def test_sign():
    assert same(sign(-17), -1)
    assert same(sign(0.1), 1)
    assert same(sign(0), 0)
    assert same(sign(NAN), 0)


def test_logs_and_exp_follow_java():
    assert same(call("log", 0), -INF)
    assert same(call("log", -1), NAN)
    assert call("log", math.e) == pytest.approx(1.0)
    assert same(call("log10", 1000), 3.0)
    assert same(call("log10", 0.0), -INF)
    assert same(call("exp", 1000), INF)
    assert call("exp", 0) == 1.0


def test_trigonometry():
    assert call("sin", 0) == 0.0
    assert call("cos", 0) == 1.0
    assert call("tan", 0) == 0.0
    assert same(call("cot", 0), INF)
    assert same(call("cot", -0.0), -INF)
    assert call("cot", math.pi / 4) == pytest.approx(1.0)
    assert same(call("asin", 2), NAN)
    assert same(call("acos", -2), NAN)
    assert call("atan", 1) == pytest.approx(math.pi / 4)
    assert call("atan2", 1, 1) == pytest.approx(math.pi / 4)
    assert same(call("sin", INF), NAN)
    assert call("haversin", math.pi) == pytest.approx(1.0)
    assert call("haversin", 0.5) == pytest.approx((1 - math.cos(0.5)) / 2)
    assert call("degrees", math.pi) == pytest.approx(180.0)
    assert call("radians", 180) == pytest.approx(math.pi)


def test_constants_and_random():
    assert call("e") == math.e
    assert call("pi") == math.pi
    samples = [call("rand") for _ in range(100)]
    assert all(0.0 <= x < 1.0 for x in samples)
    assert len(set(samples)) > 90


def test_is_nan():
    assert call("isNaN", NAN) is True
    assert call("isNaN", 1) is False
    assert call("isNaN", 1.0) is False


@pytest.mark.parametrize("name", ["abs", "ceil", "floor", "round", "sign", "sqrt", "sin", "log", "isNaN"])
@pytest.mark.parametrize("bad", ["1", True, [1], {}])
def test_non_numbers_are_type_errors(name, bad):
    with pytest.raises(CypherTypeError) as info:
        call(name, bad)
    assert info.value.code == "InvalidArgumentType"
