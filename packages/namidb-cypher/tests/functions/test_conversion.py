"""Type conversion functions (TCK TypeConversion1-4)."""

from __future__ import annotations

import math

import pytest

from namidb_cypher.errors import CypherArgumentError, CypherTypeError
from namidb_cypher.functions import lookup
from namidb_cypher.functions.conversion import (
    to_boolean,
    to_boolean_or_null,
    to_float,
    to_float_or_null,
    to_integer,
    to_integer_or_null,
    to_string,
    to_string_or_null,
)
from namidb_cypher.values import Node, Path, Relationship

N = Node(1, ())
R = Relationship(2, "T", 1, 1)
P = Path((N, N), (R,))


def call(name, *args):
    definition = lookup(name)
    assert definition is not None
    return definition.impl(*args)


def same(actual, expected):
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return type(actual) is type(expected) and actual == expected


class FakeDate:
    cypher_type_name = "DATE"

    def __str__(self):
        return "2015-07-21"


# --- toBoolean -----------------------------------------------------------------------------


def test_to_boolean():
    # TypeConversion1 [1]-[3]
    assert to_boolean(True) is True
    assert to_boolean(False) is False
    assert to_boolean("true") is True
    assert to_boolean("false") is False
    assert to_boolean("TRUE") is True
    assert to_boolean(" false ") is False
    assert to_boolean(0) is False
    assert to_boolean(7) is True


@pytest.mark.parametrize("text", [None, "", " tru ", "f alse", "yes"])
def test_to_boolean_invalid_strings(text):
    # TypeConversion1 [4] `toBoolean()` on invalid strings
    assert to_boolean(text) is None


@pytest.mark.parametrize("invalid", [[], {}, 1.0, N, R, P])
def test_to_boolean_invalid_types(invalid):
    # TypeConversion1 [5] Fail `toBoolean()` on invalid types
    with pytest.raises(CypherTypeError) as info:
        to_boolean(invalid)
    assert info.value.code == "InvalidArgumentValue"
    assert info.value.phase == "runtime"
    assert to_boolean_or_null(invalid) is None


# --- toInteger -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (82.9, 82),  # TypeConversion2 [1]
        (2, 2),  # [3]
        (2.9, 2),
        ("1.7", 1),  # [4]
        ("2", 2),  # [5]
        ("2.9", 2),
        ("42", 42),  # [7]
        (-2.9, -2),
        ("-2.9", -2),
        ("+5", 5),
        ("1e3", 1000),
        (".5", 0),
        ("9223372036854775807", 9223372036854775807),
        (True, 1),
        (False, 0),
    ],
)
def test_to_integer(value, expected):
    assert same(to_integer(value), expected)


@pytest.mark.parametrize("text", ["foo", "", " 1 ", "0x1F", "1_000", "1e", "NaN", "--1"])
def test_to_integer_unparsable_strings_are_null(text):
    # TypeConversion2 [2] / [5]
    assert to_integer(text) is None


@pytest.mark.parametrize("value", [1e19, math.inf, math.nan, "9223372036854775808", "1e30", "-1e999999999"])
def test_to_integer_out_of_range(value):
    with pytest.raises(CypherArgumentError) as info:
        to_integer(value)
    assert info.value.code == "NumberOutOfRange"
    assert to_integer_or_null(value) is None


@pytest.mark.parametrize("invalid", [[], {}, N, R, P, FakeDate()])
def test_to_integer_invalid_types(invalid):
    # TypeConversion2 [8] Fail `toInteger()` on invalid types
    with pytest.raises(CypherTypeError) as info:
        to_integer(invalid)
    assert info.value.code == "InvalidArgumentValue"


# --- toFloat -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.4, 3.4),  # TypeConversion3 [1]
        (3, 3.0),
        ("5", 5.0),  # [3]
        ("1", 1.0),  # [4]
        (4, 4.0),  # [5]
        (" 1.5 ", 1.5),
        ("1e3", 1000.0),
        ("-.5", -0.5),
        ("2.5d", 2.5),
        ("NaN", math.nan),
        ("-Infinity", -math.inf),
        ("1e400", math.inf),
    ],
)
def test_to_float(value, expected):
    assert same(to_float(value), expected)


@pytest.mark.parametrize("text", ["foo", "", "nan", "inf", "1_0", "0x10", "1.2.3"])
def test_to_float_unparsable_strings_are_null(text):
    # TypeConversion3 [2] / [4]
    assert to_float(text) is None


@pytest.mark.parametrize("invalid", [True, [], {}, N, R, P])
def test_to_float_invalid_types(invalid):
    # TypeConversion3 [6] Fail `toFloat()` on invalid types
    with pytest.raises(CypherTypeError) as info:
        to_float(invalid)
    assert info.value.code == "InvalidArgumentValue"
    assert to_float_or_null(invalid) is None


# --- toString ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (42, "42"),  # TypeConversion4 [1]
        (True, "true"),  # [2]
        (False, "false"),  # [3]
        (2.3, "2.3"),  # [5]
        ("apa", "apa"),
        (4, "4"),  # [7]
        (1e20, "1.0E20"),
        (math.nan, "NaN"),
        (FakeDate(), "2015-07-21"),
    ],
)
def test_to_string(value, expected):
    assert to_string(value) == expected


def test_to_string_with_coalesce():
    # TypeConversion4 [8] / [9]
    genders = ["male", "female", None]
    assert [call("coalesce", to_string(g), "x") for g in genders] == ["male", "female", "x"]
    assert [to_string(call("coalesce", g, "x")) for g in genders] == ["male", "female", "x"]


@pytest.mark.parametrize("invalid", [[], {}, N, R, P])
def test_to_string_invalid_types(invalid):
    # TypeConversion4 [10] Fail `toString()` on invalid types
    with pytest.raises(CypherTypeError) as info:
        to_string(invalid)
    assert info.value.code == "InvalidArgumentValue"
    assert to_string_or_null(invalid) is None


# --- list forms ----------------------------------------------------------------------------


def test_list_conversions():
    assert call("toIntegerList", [1, 2.9, "3", "x", None, [1], True]) == [1, 2, 3, None, None, None, 1]
    assert call("toFloatList", [1, "2.5", "x", True]) == [1.0, 2.5, None, None]
    assert call("toBooleanList", [True, "false", "x", 0, 1.0]) == [True, False, None, False, None]
    assert call("toStringList", [1, 2.5, True, "s", [1], None]) == ["1", "2.5", "true", "s", None, None]
    assert call("toIntegerList", None) is None
    with pytest.raises(CypherTypeError):
        call("toIntegerList", "123")
