"""Temporal columns round-trip through pyarrow losslessly."""

from __future__ import annotations

import pyarrow as pa
import pytest

from namidb_cypher.errors import CypherArgumentError, CypherTypeError
from namidb_cypher.temporal import FUNCTIONS
from namidb_cypher.temporal.arrow import ARROW_TYPES, from_arrow, to_arrow

F = FUNCTIONS

COLUMNS = {
    "DATE": [F["date"]("2015-07-21"), None, F["date"]("-0044-03-15")],
    "LOCAL TIME": [F["localtime"]("23:59:59.999999999"), None],
    "TIME": [F["time"]("12:00+01:00"), F["time"]("00:00:00.000000001-02:05:07"), None],
    "LOCAL DATETIME": [F["localdatetime"]("0001-01-01T01:01:01.000000001"), None],
    "DATETIME": [
        F["datetime"]("2015-07-21T21:40:32.142+01:00"),
        None,
        F["datetime"]("1818-07-21T21:40:32.142[Europe/Stockholm]"),
    ],
    "DURATION": [F["duration"]("P-1Y2DT-3.5S"), None, F["duration"]("PT17531639991215H59M59S")],
}


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_round_trip(kind: str) -> None:
    values = COLUMNS[kind]
    array = to_arrow(values)
    assert array.type == ARROW_TYPES[kind]
    assert array.null_count == 1
    assert from_arrow(array) == values
    assert from_arrow(pa.chunked_array([array, array])) == values + values


def test_native_arrow_types_where_they_fit() -> None:
    assert to_arrow(COLUMNS["DATE"][:1]).to_pylist()[0].isoformat() == "2015-07-21"
    assert to_arrow(COLUMNS["LOCAL TIME"]).type == pa.time64("ns")


def test_mixed_or_untyped_columns_are_rejected() -> None:
    with pytest.raises(CypherTypeError):
        to_arrow([F["date"]("2015-07-21"), F["localtime"]("12:00")])
    with pytest.raises(CypherArgumentError):
        to_arrow([None, None])
    assert to_arrow([None], "DATE").null_count == 1
    with pytest.raises(CypherTypeError):
        from_arrow(pa.array([1, 2]))


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_records_round_trip(kind: str) -> None:
    from namidb_cypher.temporal.records import from_record, to_record

    for value in COLUMNS[kind]:
        if value is not None:
            name, fields = to_record(value)
            assert name == kind
            assert all(f is None or isinstance(f, (int, str)) for f in fields)
            assert from_record(name, fields) == value


def test_corrupt_records_are_rejected() -> None:
    from namidb_cypher.temporal.records import from_record

    corrupt = [
        ("DATE", ("x",)),
        ("TIME", (0, 19 * 3600)),
        ("DURATION", (0, 0, 0, -1)),
        ("DATETIME", (0, 0, 0, "Nowhere/Here")),
        ("SPACE", (1,)),
        ("DATE", (1, 2)),
    ]
    for kind, fields in corrupt:
        with pytest.raises(CypherArgumentError):
            from_record(kind, fields)
