"""Type conversion functions (TCK ``expressions/typeConversion``).

``toBoolean``, ``toInteger``, ``toFloat``, ``toString``; their ``...OrNull`` forms
(null instead of an error for any input); the list forms ``toBooleanList``,
``toIntegerList``, ``toFloatList``, ``toStringList`` (element-wise ``...OrNull``).

Accepted inputs (anything else raises ``TypeError: InvalidArgumentValue``, TCK
TypeConversion1-4):

- ``toBoolean``: BOOLEAN; STRING ``'true'``/``'false'`` ignoring case and surrounding
  whitespace (other strings give null); INTEGER (0 is false). Not FLOAT.
- ``toInteger``: INTEGER; FLOAT truncated toward zero; BOOLEAN (1/0); STRING in
  Java ``Long.parseLong`` form (``'42'``, ``'-7'``) or decimal form (``'1.7'`` → 1,
  ``'1e3'`` → 1000) — no surrounding whitespace, no hex, unparsable strings give null.
  A value outside the 64-bit range (or NaN/Infinity) raises ``ArgumentError:
  NumberOutOfRange``.
- ``toFloat``: FLOAT; INTEGER; STRING in Java ``Double.parseDouble`` form
  (surrounding whitespace allowed, ``'NaN'``, ``'Infinity'``, exponent, ``d``/``f``
  suffix); unparsable strings give null. Not BOOLEAN.
- ``toString``: STRING; INTEGER; FLOAT (Java formatting, ``1.0E20``); BOOLEAN
  (``'true'``); temporal values (``str(value)``, the ISO form). Not lists, maps or
  graph entities.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Callable
from typing import Any, Final

from namidb_cypher.errors import RUNTIME, CypherArgumentError, CypherError
from namidb_cypher.functions.registry import FunctionDef
from namidb_cypher.semantics.arithmetic import to_concat_string
from namidb_cypher.semantics.types import (
    INT64_MAX,
    INT64_MIN,
    invalid_argument_value,
    is_bool,
    is_float,
    is_int,
    is_list,
    type_name,
)

__all__ = [
    "FUNCTIONS",
    "to_boolean",
    "to_boolean_or_null",
    "to_float",
    "to_float_or_null",
    "to_integer",
    "to_integer_or_null",
    "to_string",
    "to_string_or_null",
]

_JAVA_BIG_DECIMAL: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_JAVA_DOUBLE: Final = re.compile(
    r"(?P<sign>[+-]?)(?:(?P<special>NaN|Infinity)|"
    r"(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[fFdD]?)"
)
# Java's String.trim() strips every character up to and including the space.
_JAVA_WHITESPACE: Final = "".join(chr(i) for i in range(33))


def _out_of_range(value: Any) -> CypherArgumentError:
    return CypherArgumentError(
        f"toInteger(): {value!r} is outside the 64-bit integer range",
        code="NumberOutOfRange",
        phase=RUNTIME,
    )


def _float_to_int(value: float) -> int:
    if not math.isfinite(value):
        raise _out_of_range(value)
    result = int(value)  # truncates toward zero
    if not INT64_MIN <= result <= INT64_MAX:
        raise _out_of_range(value)
    return result


def _parse_integer(text: str) -> int | None:
    # Long.parseLong's form is a subset of BigDecimal's; Decimal parses both exactly.
    if not _JAVA_BIG_DECIMAL.fullmatch(text):
        return None
    number = decimal.Decimal(text)
    if number != 0 and number.adjusted() > 18:  # >= 1e19: out of range; also spares int() a huge exponent
        raise _out_of_range(text)
    result = int(number)  # truncates toward zero, exactly
    if not INT64_MIN <= result <= INT64_MAX:
        raise _out_of_range(text)
    return result


def _parse_float(text: str) -> float | None:
    match = _JAVA_DOUBLE.fullmatch(text.strip(_JAVA_WHITESPACE))
    if match is None:
        return None
    special = match.group("special")
    if special == "NaN":
        return math.nan
    magnitude = math.inf if special else float(match.group("number"))
    return -magnitude if match.group("sign") == "-" else magnitude


def to_boolean(value: Any) -> bool | None:
    """``toBoolean(x)`` (see the module docstring)."""
    if value is None:
        return None
    if is_bool(value):
        return bool(value)
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    if is_int(value):
        return int(value) != 0
    raise invalid_argument_value(f"toBoolean() cannot convert {type_name(value)}")


def to_integer(value: Any) -> int | None:
    """``toInteger(x)`` (see the module docstring)."""
    if value is None:
        return None
    if is_bool(value):
        return int(bool(value))
    if is_int(value):
        return int(value)
    if is_float(value):
        return _float_to_int(float(value))
    if isinstance(value, str):
        return _parse_integer(value)
    raise invalid_argument_value(f"toInteger() cannot convert {type_name(value)}")


def to_float(value: Any) -> float | None:
    """``toFloat(x)`` (see the module docstring)."""
    if value is None:
        return None
    if is_float(value):
        return float(value)
    if is_int(value):
        return float(int(value))
    if isinstance(value, str):
        return _parse_float(value)
    raise invalid_argument_value(f"toFloat() cannot convert {type_name(value)}")


def to_string(value: Any) -> str | None:
    """``toString(x)`` (see the module docstring)."""
    if value is None:
        return None
    text = to_concat_string(value)  # the same text `'' + x` gives
    if text is None:
        raise invalid_argument_value(f"toString() cannot convert {type_name(value)}")
    return text


def _or_null(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def impl(value: Any) -> Any:
        try:
            return convert(value)
        except CypherError:
            return None

    impl.__name__ = f"{convert.__name__}_or_null"
    impl.__doc__ = f"Like ``{convert.__name__}`` but null instead of an error for any input."
    return impl


to_boolean_or_null = _or_null(to_boolean)
to_integer_or_null = _or_null(to_integer)
to_float_or_null = _or_null(to_float)
to_string_or_null = _or_null(to_string)


def _list_form(name: str, convert: Callable[[Any], Any]) -> Callable[[Any], list[Any] | None]:
    def impl(value: Any) -> list[Any] | None:
        if value is None:
            return None
        if not is_list(value):
            raise invalid_argument_value(f"{name}() expects a LIST, got {type_name(value)}")
        return [convert(item) for item in value]

    impl.__name__ = name
    impl.__doc__ = f"``{name}(list)``: each element converted, null where it cannot be."
    return impl


FUNCTIONS: tuple[FunctionDef, ...] = (
    FunctionDef("toBoolean", 1, 1, to_boolean),
    FunctionDef("toInteger", 1, 1, to_integer),
    FunctionDef("toFloat", 1, 1, to_float),
    FunctionDef("toString", 1, 1, to_string),
    FunctionDef("toBooleanOrNull", 1, 1, to_boolean_or_null),
    FunctionDef("toIntegerOrNull", 1, 1, to_integer_or_null),
    FunctionDef("toFloatOrNull", 1, 1, to_float_or_null),
    FunctionDef("toStringOrNull", 1, 1, to_string_or_null),
    FunctionDef("toBooleanList", 1, 1, _list_form("toBooleanList", to_boolean_or_null)),
    FunctionDef("toIntegerList", 1, 1, _list_form("toIntegerList", to_integer_or_null)),
    FunctionDef("toFloatList", 1, 1, _list_form("toFloatList", to_float_or_null)),
    FunctionDef("toStringList", 1, 1, _list_form("toStringList", to_string_or_null)),
)
