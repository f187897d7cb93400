"""Type names, type tests and float formatting."""

from __future__ import annotations

import math

import numpy as np
import pytest

from namidb_cypher.errors import CypherArithmeticError
from namidb_cypher.semantics.types import (
    INT64_MAX,
    INT64_MIN,
    check_int64,
    format_float,
    is_bool,
    is_float,
    is_int,
    is_list,
    is_map,
    is_number,
    is_string,
    is_temporal,
    type_name,
)
from namidb_cypher.values import Node, Path, Relationship


class FakeTime:
    cypher_type_name = "LOCAL TIME"


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "NULL"),
        (True, "BOOLEAN"),
        (np.bool_(False), "BOOLEAN"),
        (1, "INTEGER"),
        (np.int64(3), "INTEGER"),
        (1.5, "FLOAT"),
        (np.float32(1.5), "FLOAT"),
        ("s", "STRING"),
        ([1], "LIST"),
        ((1,), "LIST"),
        ({}, "MAP"),
        (Node(1, ()), "NODE"),
        (Relationship(1, "T", 1, 2), "RELATIONSHIP"),
        (Path((Node(1, ()),), ()), "PATH"),
        (FakeTime(), "LOCAL TIME"),
    ],
)
def test_type_name(value, name):
    assert type_name(value) == name


def test_unknown_type_name_names_the_python_type():
    assert type_name(object()) == "UNKNOWN(object)"


def test_type_predicates_keep_booleans_apart_from_numbers():
    assert is_bool(True)
    assert not is_int(True)
    assert not is_number(True)
    assert is_int(3)
    assert is_int(np.int32(3))
    assert not is_int(3.0)
    assert is_float(3.0)
    assert is_float(np.float64(1))
    assert not is_float(3)
    assert is_number(3)
    assert is_number(3.0)
    assert is_string("")
    assert not is_string(b"")
    assert is_list([])
    assert is_list(())
    assert not is_list("ab")
    assert is_map({})
    assert not is_map([])
    assert is_temporal(FakeTime())
    assert not is_temporal("12:00")


def test_check_int64():
    assert check_int64(INT64_MAX) == INT64_MAX
    assert check_int64(INT64_MIN) == INT64_MIN
    with pytest.raises(CypherArithmeticError) as info:
        check_int64(INT64_MAX + 1)
    assert info.value.code == "IntegerOverflow"
    assert info.value.tck_name == "ArithmeticError"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2.3, "2.3"),  # TypeConversion4 [5]
        (1.0, "1.0"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (100.0, "100.0"),
        (0.001, "0.001"),
        (0.0001, "1.0E-4"),
        (1.5e-5, "1.5E-5"),
        (9999999.0, "9999999.0"),
        (1e7, "1.0E7"),
        (12345678.9, "1.23456789E7"),
        (1e20, "1.0E20"),
        (-2.5e100, "-2.5E100"),
        (math.nan, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        (3.141592653589793, "3.141592653589793"),
    ],
)
def test_format_float_like_java(value, text):
    assert format_float(value) == text
