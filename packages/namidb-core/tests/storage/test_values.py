import datetime as dt
import math
import uuid

import numpy as np
import pyarrow as pa
import pytest

from namidb_core.errors import InvalidArgumentError
from namidb_core.values import (
    decode_value,
    encode_value,
    format_id,
    format_ids,
    one_chunk,
    parse_id,
    parse_ids,
    validate_value,
)

UTC = dt.timezone.utc

ROUND_TRIP = [
    None,
    True,
    False,
    0,
    -1,
    2**63 - 1,
    -(2**63),
    1.5,
    -0.0,
    float("inf"),
    "",
    "héllo ✓",
    b"",
    b"\x00\xff",
    [],
    [1, "a", None, [2.5, True]],
    [0.25, 1.5, -3.0],
    {},
    {"a": 1, "b": {"c": [1, 2]}, "ü": None},
    dt.date(1970, 1, 1),
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.datetime(2024, 2, 29, 12, 30, 1, 123456, tzinfo=UTC),
    dt.datetime(1900, 1, 1, tzinfo=UTC),
]


@pytest.mark.parametrize("value", ROUND_TRIP, ids=repr)
def test_codec_round_trip(value):
    out = decode_value(encode_value(value))
    assert out == value
    assert type(out) is type(value)


def test_bool_is_never_int():
    assert decode_value(encode_value(True)) is True
    assert decode_value(encode_value(1)) == 1
    assert type(decode_value(encode_value(1))) is int
    assert encode_value(True) != encode_value(1)


def test_nan_round_trips():
    assert math.isnan(decode_value(encode_value(float("nan"))))


def test_aware_datetime_converted_to_utc():
    tz = dt.timezone(dt.timedelta(hours=5))
    value = dt.datetime(2024, 1, 1, 5, 0, tzinfo=tz)
    out = decode_value(encode_value(value))
    assert out == value
    assert out.utcoffset() == dt.timedelta(0)
    assert out.hour == 0


@pytest.mark.parametrize("bad", [2**63, -(2**63) - 1, 10**30])
def test_int_outside_int64_rejected(bad):
    with pytest.raises(InvalidArgumentError, match="64"):
        encode_value(bad)
    with pytest.raises(InvalidArgumentError, match=r"int64|64 bits"):
        validate_value({"x": [bad]}, "row 3")


def test_naive_datetime_rejected_with_hint():
    with pytest.raises(InvalidArgumentError, match="timezone"):
        validate_value(dt.datetime(2024, 1, 1), "row 1, property 'at'")
    with pytest.raises(InvalidArgumentError, match="row 1"):
        validate_value(dt.datetime(2024, 1, 1), "row 1, property 'at'")


@pytest.mark.parametrize("bad", [object(), {1: "a"}, {1, 2}, complex(1, 2)])
def test_unsupported_values_rejected(bad):
    with pytest.raises(InvalidArgumentError):
        validate_value(bad)
    with pytest.raises(InvalidArgumentError):
        encode_value(bad)


def test_tuple_normalised_to_list():
    assert validate_value((1, 2)) == [1, 2]


@pytest.mark.parametrize("junk", [b"", b"\x63", b"\x03\x00", b"\x05\x05ab", b"\x00\x00"])
def test_decode_rejects_junk(junk):
    with pytest.raises(ValueError):  # noqa: PT011
        decode_value(junk)


def test_ids_round_trip_vectorized():
    ids = [str(uuid.uuid4()) for _ in range(1000)] + ["00000000-0000-0000-0000-000000000000"]
    raw = parse_ids(ids)
    assert raw.shape == (1001, 16)
    assert bytes(raw[0]) == uuid.UUID(ids[0]).bytes
    assert format_ids(raw).to_pylist() == ids
    assert format_id(parse_id(ids[5])) == ids[5]


def test_parse_ids_accepts_upper_case():
    u = str(uuid.uuid4())
    assert bytes(parse_ids([u.upper()])[0]) == uuid.UUID(u).bytes


@pytest.mark.parametrize(
    ("values", "row"),
    [
        (["not-a-uuid"], 0),
        ([str(uuid.uuid4()), "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"], 1),
        ([str(uuid.uuid4()), None], 1),
        ([str(uuid.uuid4()), str(uuid.uuid4()), 42], 2),
        ([str(uuid.uuid4()).replace("-", "x")], 0),
        # lengths that cancel out over the joined buffer: 35 + 37 characters
        ([str(uuid.UUID(int=7))[:-1], str(uuid.UUID(int=7)) + "a"], 0),
        # a newline where a hex digit belongs (still 36 characters)
        ([str(uuid.uuid4()), str(uuid.UUID(int=7))[:-1] + "\n"], 1),
        ([str(uuid.uuid4()), "\n" + str(uuid.UUID(int=7))[1:]], 1),
        # a dash where a hex digit belongs
        ([str(uuid.UUID(int=7))[:-1] + "-"], 0),
    ],
)
def test_parse_ids_names_offending_row(values, row):
    with pytest.raises(InvalidArgumentError, match=f"row {row}"):
        parse_ids(values)


def test_parse_ids_from_arrow():
    ids = [str(uuid.uuid4()) for _ in range(10)]
    raw = parse_ids(pa.chunked_array([pa.array(ids[:5]), pa.array(ids[5:])]))
    assert np.array_equal(raw, parse_ids(ids))
    sliced = pa.array(ids).slice(3, 4)
    assert format_ids(parse_ids(sliced)).to_pylist() == ids[3:7]


@pytest.mark.parametrize("bad", ["x", 5, None, str(uuid.uuid4())[:-1] + "g"])
def test_parse_id_rejects(bad):
    with pytest.raises(InvalidArgumentError):
        parse_id(bad)


class _Money:
    def __init__(self, cents):
        self.cents = cents

    def __eq__(self, other):
        return isinstance(other, _Money) and other.cents == self.cents

    __hash__ = None


def test_registered_extension_type_round_trips():
    from namidb_core.values import register_value_type

    register_value_type(
        "test.Money", _Money, lambda m: encode_value(m.cents), lambda b: _Money(decode_value(b))
    )
    register_value_type(
        "test.Money", _Money, lambda m: encode_value(m.cents), lambda b: _Money(decode_value(b))
    )
    value = {"price": _Money(1250), "list": [_Money(1)]}
    assert validate_value(value) == value
    assert decode_value(encode_value(value)) == value
    with pytest.raises(InvalidArgumentError, match="already registered"):
        register_value_type("test.Money", dict, encode_value, decode_value)
    with pytest.raises(ValueError, match="unregistered"):
        decode_value(b"\x0c\x03abc\x00")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"id": str(uuid.UUID(int=1))}, {"other": 1}], "row 1: id is missing"),
        ([{"id": str(uuid.UUID(int=1))}, {"id": 5}], "row 1: id must be a UUID string"),
        ([{"id": str(uuid.UUID(int=1))}, {"id": "x"}], "row 1: id 'x' is not a UUID string"),
    ],
)
def test_id_column_falls_back_to_name_the_row(rows, message):
    from namidb_core.storage.columns import id_column

    with pytest.raises(InvalidArgumentError, match=message):
        id_column(rows, "id")
    ids = [str(uuid.uuid4()) for _ in range(50)]
    assert np.array_equal(id_column([{"id": i} for i in ids], "id"), parse_ids(ids))


@pytest.mark.parametrize("bad_at", [None, 5, 13])
def test_id_columns_hand_every_slice_over_once(monkeypatch, bad_at):
    """Slices reach ``on_slice`` in order, each row once; a bad id stops it and names its row."""
    from namidb_core.storage import columns

    monkeypatch.setattr(columns, "ID_SLICE_ROWS", 4)
    ids = [str(uuid.uuid4()) for _ in range(18)]
    rows = [{"src": i, "dst": ids[-1 - n]} for n, i in enumerate(ids)]
    seen: list[int] = []
    got: list[tuple[np.ndarray, ...]] = []

    def on_slice(start: int, parts: tuple[np.ndarray, ...]) -> None:
        seen.append(start)
        got.append(parts)

    if bad_at is not None:
        rows[bad_at]["dst"] = "x"
        with pytest.raises(InvalidArgumentError, match=f"row {bad_at}: dst 'x'"):
            columns.id_columns(rows, ("src", "dst"), on_slice)
        assert seen == list(range(0, bad_at // 4 * 4, 4))  # the slices before the bad one
        return
    src, dst = columns.id_columns(rows, ("src", "dst"), on_slice)
    assert np.array_equal(src, parse_ids(ids))
    assert np.array_equal(dst, parse_ids(ids[::-1]))
    assert seen == [0, 4, 8, 12, 16]
    assert np.array_equal(np.concatenate([p[0] for p in got]), src)
    assert np.array_equal(np.concatenate([p[1] for p in got]), dst)


def test_one_chunk_takes_a_single_chunk_as_is():
    """No copy for one chunk (``ChunkedArray.combine_chunks`` copies even then); several are joined."""
    arr = pa.array(np.arange(1000, dtype=np.int64))
    single = one_chunk(pa.chunked_array([arr]))
    assert single.buffers()[1].address == arr.buffers()[1].address
    assert one_chunk(arr) is arr
    joined = one_chunk(pa.chunked_array([arr.slice(0, 10), arr.slice(10, 5)]))
    assert joined.to_pylist() == list(range(15))
    assert one_chunk(pa.chunked_array([], type=pa.int64())).to_pylist() == []
