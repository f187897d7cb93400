"""The semantics with the real temporal library's values (its hooks, not stand-ins)."""

from __future__ import annotations

import pytest

from namidb_cypher.errors import CypherTypeError
from namidb_cypher.functions import lookup, make_accumulator
from namidb_cypher.semantics import add, compare, div, equals, group_key, lt, mul, neg, order_key, sub
from namidb_cypher.temporal import FUNCTIONS as TEMPORAL


def date(text):
    return TEMPORAL["date"](text)


def duration(text):
    return TEMPORAL["duration"](text)


def test_arithmetic_goes_through_the_hooks():
    day = duration("P1D")
    assert str(add(date("2015-07-21"), day)) == "2015-07-22"
    assert str(add(day, date("2015-07-21"))) == "2015-07-22"
    assert str(sub(date("2015-07-21"), day)) == "2015-07-20"
    assert str(mul(day, 2)) == "P2D"
    assert str(mul(2, day)) == "P2D"
    assert str(div(day, 2)) == "PT12H"
    assert str(neg(day)) == "P-1D"
    assert add("on ", date("2015-07-21")) == "on 2015-07-21"
    with pytest.raises(CypherTypeError):
        add(date("2015-07-21"), date("2015-07-22"))
    with pytest.raises(CypherTypeError):
        mul(date("2015-07-21"), 2)


def test_comparison_equality_and_order():
    early, late = date("1910-05-06"), date("1984-10-11")
    assert lt(early, late) is True
    assert compare(late, date("1984-10-11")) == 0
    assert equals(early, date("1910-05-06")) is True
    assert equals(early, "1910-05-06") is False
    # durations: equal or not, but never ordered
    assert equals(duration("P1D"), duration("PT24H")) is False
    assert compare(duration("P1D"), duration("PT24H")) is None
    # different temporal kinds do not compare
    assert compare(early, TEMPORAL["localdatetime"]("1984-10-11T12:00")) is None
    assert group_key(early) == group_key(date("1910-05-06"))


def test_global_order_places_temporal_kinds_between_path_and_string():
    # WithOrderBy1 [11] (dates ascending) and the kinds' global order
    values = [
        "x",
        duration("P1D"),
        TEMPORAL["localtime"]("12:00"),
        TEMPORAL["time"]("12:00+01:00"),
        date("1985-05-06"),
        date("1910-05-06"),
        TEMPORAL["localdatetime"]("1984-10-11T12:00"),
        TEMPORAL["datetime"]("1984-10-11T12:00Z"),
        [1],
    ]
    ordered = sorted(values, key=order_key)
    names = [getattr(v, "cypher_type_name", type(v).__name__) for v in ordered]
    assert names == [
        "list", "DATETIME", "LOCAL DATETIME", "DATE", "DATE", "TIME", "LOCAL TIME", "DURATION", "str",
    ]  # fmt: skip
    assert [str(v) for v in ordered if getattr(v, "cypher_type_name", "") == "DATE"] == [
        "1910-05-06",
        "1985-05-06",
    ]


def test_aggregates_and_conversion():
    total = make_accumulator("sum")
    for value in (duration("P1D"), None, duration("PT12H")):
        total.update(value)
    assert str(total.result()) == "P1DT12H"
    latest = make_accumulator("max")
    for value in (date("1980-12-24"), date("1984-10-12"), None, date("1910-05-06")):
        latest.update(value)
    assert str(latest.result()) == "1984-10-12"
    assert lookup("toString").impl(duration("PT36H")) == "PT36H"
    assert lookup("date") is not None  # the registry picks up the temporal library's functions
    assert lookup("DateTime.Truncate") is not None
