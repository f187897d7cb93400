"""Cypher type names and type tests over the Python value representation.

The executor hands functions plain Python values:

=================  ==========================================================
Cypher             Python
=================  ==========================================================
null               ``None``
BOOLEAN            ``bool`` (tested *before* INTEGER: ``bool`` subclasses ``int``)
INTEGER            ``int`` within the signed 64-bit range
FLOAT              ``float``
STRING             ``str``
LIST               ``list`` (a ``tuple`` is accepted as a list too)
MAP                ``dict`` with ``str`` keys (any ``Mapping``)
NODE, ...          :class:`~namidb_cypher.values.Node`, ``Relationship``, ``Path``
temporal           any object with a ``cypher_type_name`` attribute (``"DATE"``,
                   ``"LOCAL TIME"``, ``"TIME"``, ``"LOCAL DATETIME"``, ``"DATETIME"``,
                   ``"DURATION"``); see :mod:`namidb_cypher.semantics` for the hooks
=================  ==========================================================

numpy scalars are accepted where a number is expected (``np.int64`` counts as an
INTEGER, ``np.float64`` as a FLOAT) so a value taken straight out of an array
works, but results are always Python natives.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping
from typing import Any, Final

import numpy as np

from namidb_cypher.errors import RUNTIME, CypherArithmeticError, CypherTypeError
from namidb_cypher.values import Node, Path, Relationship

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "TEMPORAL_TYPE_NAMES",
    "check_int64",
    "format_float",
    "invalid_argument_type",
    "invalid_argument_value",
    "is_bool",
    "is_float",
    "is_int",
    "is_list",
    "is_map",
    "is_number",
    "is_string",
    "is_temporal",
    "type_name",
]

INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1

TEMPORAL_TYPE_NAMES: Final = frozenset(
    {"DATE", "LOCAL TIME", "TIME", "LOCAL DATETIME", "DATETIME", "DURATION"}
)

# Exact-type dispatch first (one dict lookup), subclass/numpy checks only on a miss.
_EXACT_NAMES: Final[dict[type, str]] = {
    type(None): "NULL",
    bool: "BOOLEAN",
    int: "INTEGER",
    float: "FLOAT",
    str: "STRING",
    list: "LIST",
    tuple: "LIST",
    dict: "MAP",
    Node: "NODE",
    Relationship: "RELATIONSHIP",
    Path: "PATH",
}


def type_name(value: Any) -> str:
    """The Cypher type name of ``value`` (``"INTEGER"``, ``"LIST"``, ``"DATE"`` ...)."""
    name = _EXACT_NAMES.get(type(value))
    if name is not None:
        return name
    temporal = getattr(value, "cypher_type_name", None)
    if isinstance(temporal, str):
        return temporal
    if isinstance(value, (bool, np.bool_)):
        return "BOOLEAN"
    if isinstance(value, (int, np.integer)):
        return "INTEGER"
    if isinstance(value, (float, np.floating)):
        return "FLOAT"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, (list, tuple)):
        return "LIST"
    if isinstance(value, Mapping):
        return "MAP"
    return f"UNKNOWN({type(value).__name__})"


def is_bool(value: Any) -> bool:
    """True for a Cypher BOOLEAN."""
    return isinstance(value, (bool, np.bool_))


def is_int(value: Any) -> bool:
    """True for a Cypher INTEGER (a Python ``int`` that is not a ``bool``, or a numpy integer)."""
    return (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, np.integer)


def is_float(value: Any) -> bool:
    """True for a Cypher FLOAT."""
    return isinstance(value, (float, np.floating))


def is_number(value: Any) -> bool:
    """True for INTEGER or FLOAT (never for BOOLEAN)."""
    return is_int(value) or is_float(value)


def is_string(value: Any) -> bool:
    """True for a Cypher STRING."""
    return isinstance(value, str)


def is_list(value: Any) -> bool:
    """True for a Cypher LIST (``list`` or ``tuple``)."""
    return isinstance(value, (list, tuple))


def is_map(value: Any) -> bool:
    """True for a Cypher MAP (a mapping that is not a graph entity)."""
    return isinstance(value, Mapping)


def is_temporal(value: Any) -> bool:
    """True for a value of one of the temporal types (it exposes ``cypher_type_name``)."""
    return isinstance(getattr(value, "cypher_type_name", None), str)


def check_int64(value: int, what: str = "integer arithmetic") -> int:
    """Return ``value`` if it fits a signed 64-bit integer, else raise ``ArithmeticError: IntegerOverflow``.

    Cypher integers never wrap and never silently turn into floats.
    """
    if INT64_MIN <= value <= INT64_MAX:
        return value
    raise CypherArithmeticError(
        f"integer overflow in {what}: {value} is outside the 64-bit range",
        code="IntegerOverflow",
        phase=RUNTIME,
    )


def invalid_argument_type(message: str) -> CypherTypeError:
    """A runtime ``TypeError: InvalidArgumentType`` (an operand or argument of the wrong type)."""
    return CypherTypeError(message, code="InvalidArgumentType", phase=RUNTIME)


def invalid_argument_value(message: str) -> CypherTypeError:
    """A runtime ``TypeError: InvalidArgumentValue`` (what the TCK raises for e.g. ``toInteger([])``)."""
    return CypherTypeError(message, code="InvalidArgumentValue", phase=RUNTIME)


def format_float(value: float) -> str:
    """Format a float the way Cypher prints it (Java's ``Double.toString``).

    Plain decimal notation for magnitudes in [1e-3, 1e7) and for zero, otherwise
    scientific ``d.dddE<n>``; always at least one fractional digit; the digits are the
    shortest that round-trip. ``NaN``, ``Infinity`` and ``-Infinity`` are spelled out.
    """
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    magnitude = abs(value)
    if value == 0.0 or 1e-3 <= magnitude < 1e7:
        text = repr(value)
        if "e" not in text:
            return text
        # repr uses scientific notation only outside [1e-4, 1e16), so this is unreachable in
        # practice; keep a safe fallback through Decimal.
        return _plain_decimal(text)
    sign, digits, exponent = decimal.Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)
    digit_text = "".join(map(str, digits)).rstrip("0") or "0"
    # repr's digits may carry trailing zeros the exponent compensates for; recompute from the left.
    sci_exponent = len(digits) + exponent - 1
    mantissa = digit_text[0] + "." + (digit_text[1:] or "0")
    return f"{'-' if sign else ''}{mantissa}E{sci_exponent}"


def _plain_decimal(text: str) -> str:
    plain = format(decimal.Decimal(text), "f")
    return plain if "." in plain else plain + ".0"
