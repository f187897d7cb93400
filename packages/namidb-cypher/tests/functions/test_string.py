"""String functions and string predicate operators."""

from __future__ import annotations

import pytest

from namidb_cypher.errors import CypherArgumentError, CypherTypeError
from namidb_cypher.functions import lookup
from namidb_cypher.functions.string import (
    btrim,
    contains,
    ends_with,
    left,
    ltrim,
    regex_match,
    replace,
    right,
    rtrim,
    split,
    starts_with,
    substring,
    to_lower,
    to_upper,
    trim,
)


def call(name, *args):
    definition = lookup(name)
    assert definition is not None
    return definition.impl(*args)


def test_substring():
    # String1 [1] `substring()` with default second argument
    assert substring("0123456789", 1) == "123456789"
    assert substring("0123456789", 1, 3) == "123"
    assert substring("abc", 5) == ""
    assert substring("abc", 1, 10) == "bc"
    assert substring("abc", 0, 0) == ""
    assert substring("abc", 1, None) is None


@pytest.mark.parametrize(
    ("args", "code"), [(("abc", -1), "NegativeIntegerArgument"), (("abc", 0, -2), "NegativeIntegerArgument")]
)
def test_substring_negative_arguments(args, code):
    with pytest.raises(CypherArgumentError) as info:
        substring(*args)
    assert info.value.code == code


def test_substring_type_errors():
    with pytest.raises(CypherTypeError):
        substring(1, 0)
    with pytest.raises(CypherTypeError):
        substring("abc", 1.0)
    with pytest.raises(CypherTypeError):
        substring("abc", True)


def test_reverse_and_split():
    # String3 [1] `reverse()`
    assert call("reverse", "raksO") == "Oskar"
    # String4 [1] `split()`
    assert split("one1two", "1") == ["one", "two"]
    assert split("a,b,", ",") == ["a", "b", ""]
    assert split("abc", "") == ["a", "b", "c"]
    assert split("a-b_c", ["-", "_"]) == ["a", "b", "c"]
    assert split("a--b", ["-", "--"]) == ["a", "b"]
    assert split("", ",") == [""]


def test_case():
    assert to_upper("abc Ä") == "ABC Ä"
    assert to_lower("ABC") == "abc"
    assert call("upper", "a") == "A"
    assert call("LOWER", "B") == "b"
    with pytest.raises(CypherTypeError):
        to_upper(1)


def test_trims():
    assert trim("  a b  ") == "a b"
    assert ltrim("  a  ") == "a  "
    assert rtrim("  a  ") == "  a"
    assert trim("\t\na\n") == "a"
    assert btrim("xxaxx", "x") == "a"
    assert ltrim("xxaxx", "x") == "axx"
    assert rtrim("xxaxx", "x") == "xxa"
    assert trim("a", None) is None
    with pytest.raises(CypherTypeError):
        trim(["a"])


def test_replace_left_right():
    assert replace("hello", "l", "w") == "hewwo"
    assert replace("abc", "", "-") == "-a-b-c-"
    assert left("hello", 3) == "hel"
    assert left("hello", 10) == "hello"
    assert right("hello", 3) == "llo"
    assert right("hello", 0) == ""
    assert right("hello", 10) == "hello"
    with pytest.raises(CypherArgumentError):
        left("hello", -1)
    with pytest.raises(CypherArgumentError):
        right("hello", -1)


def test_size_counts_code_points():
    assert call("size", "héllo") == 5
    assert call("size", "") == 0


NAMES = ["ABCDEF", "AB", "abcdef", "ab", "", None]


def test_starts_with():
    # String8 [1]-[3], [6]
    assert [n for n in NAMES if starts_with(n, "ABCDEF")] == ["ABCDEF"]
    assert [n for n in NAMES if starts_with(n, "ABC")] == ["ABCDEF"]
    assert [n for n in NAMES if starts_with(n, "")] == ["ABCDEF", "AB", "abcdef", "ab", ""]
    assert all(starts_with(n, None) is None for n in NAMES)
    # String8 [9] NOT with STARTS WITH
    assert [n for n in NAMES if starts_with(n, "ab") is False] == ["ABCDEF", "AB", ""]


def test_ends_with_and_contains():
    # String9 [1]-[3]
    assert [n for n in NAMES if ends_with(n, "AB")] == ["AB"]
    assert [n for n in NAMES if ends_with(n, "DEF")] == ["ABCDEF"]
    assert [n for n in NAMES if ends_with(n, "")] == ["ABCDEF", "AB", "abcdef", "ab", ""]
    # String10 [1]-[3], [9]
    assert [n for n in NAMES if contains(n, "CD")] == ["ABCDEF"]
    assert [n for n in NAMES if contains(n, "")] == ["ABCDEF", "AB", "abcdef", "ab", ""]
    assert [n for n in NAMES if contains(n, "b") is False] == ["ABCDEF", "AB", ""]
    # String10 [5] newline
    assert contains("Foo\nFoo", "\n")
    assert not contains("Foo Foo", "\n")


@pytest.mark.parametrize("operator", [starts_with, ends_with, contains])
def test_string_predicates_on_non_strings_are_null(operator):
    # String8-10 [8]: every combination of [1, 3.14, true, [], {}, null] gives null (36 rows)
    operands = [1, 3.14, True, [], {}, None]
    assert {operator(a, b) for a in operands for b in operands} == {None}


def test_regex_match():
    assert regex_match("abc", "a.c") is True
    assert regex_match("abcd", "a.c") is False  # the whole string must match
    assert regex_match("ABC", "(?i)abc") is True
    assert regex_match(1, "1") is None
    assert regex_match("a", None) is None
    with pytest.raises(CypherArgumentError):
        regex_match("a", "(")


def test_normalize_and_char_length():
    decomposed = "e\u0301"
    assert call("normalize", decomposed) == "\u00e9"
    assert call("normalize", "\u00e9", "NFD") == decomposed
    assert call("normalize", "\ufb01", "nfkc") == "fi"
    assert call("normalize", "a", None) is None
    with pytest.raises(CypherArgumentError):
        call("normalize", "a", "NFX")
    assert call("char_length", "héllo") == 5
    assert call("character_length", "") == 0
    with pytest.raises(CypherTypeError):
        call("char_length", [1])
