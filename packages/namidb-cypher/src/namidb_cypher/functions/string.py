"""String functions and the string predicate operators.

Registered functions: ``toUpper``/``upper``, ``toLower``/``lower``, ``trim``, ``lTrim``,
``rTrim``, ``btrim`` (the trims take an optional string of characters to strip),
``replace``, ``substring``, ``left``, ``right``, ``split``, ``normalize`` (Unicode
normal form, ``NFC`` by default), ``char_length``/``character_length`` (code points).
(``reverse`` and ``size`` accept lists too and live in :mod:`~namidb_cypher.functions.scalar`;
``toString`` in :mod:`~namidb_cypher.functions.conversion`.)

Operators (not functions, so not registered): :func:`starts_with`, :func:`ends_with`,
:func:`contains`, :func:`regex_match`. Any non-string operand gives null rather than an
error (TCK String8-10 [8]: ``1 STARTS WITH []`` is null).

Any null argument gives null. A non-string where a string is required raises
``TypeError: InvalidArgumentType``; a negative length or start raises
``ArgumentError: NegativeIntegerArgument``. Lengths and offsets count code points.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from namidb_cypher.errors import RUNTIME, CypherArgumentError
from namidb_cypher.functions.registry import FunctionDef
from namidb_cypher.semantics.types import invalid_argument_type, is_int, is_list, type_name

__all__ = [
    "FUNCTIONS",
    "btrim",
    "contains",
    "ends_with",
    "left",
    "ltrim",
    "normalize",
    "char_length",
    "regex_match",
    "replace",
    "right",
    "rtrim",
    "split",
    "starts_with",
    "substring",
    "to_lower",
    "to_upper",
    "trim",
]


def _string(value: Any, function: str, position: str = "argument") -> str:
    if not isinstance(value, str):
        raise invalid_argument_type(f"{function}() expects a STRING {position}, got {type_name(value)}")
    return value


def _non_negative_int(value: Any, function: str, what: str) -> int:
    if not is_int(value):
        raise invalid_argument_type(f"{function}() expects an INTEGER {what}, got {type_name(value)}")
    number = int(value)
    if number < 0:
        raise CypherArgumentError(
            f"{function}() expects a non-negative {what}, got {number}",
            code="NegativeIntegerArgument",
            phase=RUNTIME,
        )
    return number


def to_upper(value: Any) -> str | None:
    """``toUpper(s)``."""
    return None if value is None else _string(value, "toUpper").upper()


def to_lower(value: Any) -> str | None:
    """``toLower(s)``."""
    return None if value is None else _string(value, "toLower").lower()


# Distinguishes an omitted optional argument from an explicit null (which makes the result null).
_MISSING: Any = object()


def _trim_chars(chars: Any, function: str) -> str | None:
    return None if chars is _MISSING else _string(chars, function, "trim character string")


def trim(value: Any, chars: Any = _MISSING) -> str | None:
    """``trim(s)``: strip leading and trailing whitespace (or the given characters)."""
    if value is None or chars is None:
        return None
    return _string(value, "trim").strip(_trim_chars(chars, "trim"))


def btrim(value: Any, chars: Any = _MISSING) -> str | None:
    """``btrim(s[, chars])``: like ``trim`` (Neo4j 5 name)."""
    if value is None or chars is None:
        return None
    return _string(value, "btrim").strip(_trim_chars(chars, "btrim"))


def ltrim(value: Any, chars: Any = _MISSING) -> str | None:
    """``lTrim(s[, chars])``: strip leading whitespace (or the given characters)."""
    if value is None or chars is None:
        return None
    return _string(value, "lTrim").lstrip(_trim_chars(chars, "lTrim"))


def rtrim(value: Any, chars: Any = _MISSING) -> str | None:
    """``rTrim(s[, chars])``: strip trailing whitespace (or the given characters)."""
    if value is None or chars is None:
        return None
    return _string(value, "rTrim").rstrip(_trim_chars(chars, "rTrim"))


def replace(value: Any, search: Any, replacement: Any) -> str | None:
    """``replace(s, search, replacement)``: every occurrence of ``search`` replaced."""
    if value is None or search is None or replacement is None:
        return None
    return _string(value, "replace").replace(
        _string(search, "replace", "search"), _string(replacement, "replace", "replacement")
    )


def substring(value: Any, start: Any, length: Any = _MISSING) -> str | None:
    """``substring(s, start[, length])``: 0-based; a start past the end gives ``''``."""
    if value is None or start is None or length is None:
        return None
    text = _string(value, "substring")
    begin = _non_negative_int(start, "substring", "start")
    if length is _MISSING:
        return text[begin:]
    return text[begin : begin + _non_negative_int(length, "substring", "length")]


def left(value: Any, length: Any) -> str | None:
    """``left(s, n)``: the first ``n`` characters."""
    if value is None or length is None:
        return None
    return _string(value, "left")[: _non_negative_int(length, "left", "length")]


def right(value: Any, length: Any) -> str | None:
    """``right(s, n)``: the last ``n`` characters."""
    if value is None or length is None:
        return None
    text = _string(value, "right")
    n = _non_negative_int(length, "right", "length")
    return text[len(text) - n :] if n else ""


def split(value: Any, delimiter: Any) -> list[str] | None:
    """``split(s, delimiter)``: split on a string (or on any of a list of them); ``''`` splits characters."""
    if value is None or delimiter is None:
        return None
    text = _string(value, "split")
    if is_list(delimiter):
        delimiters = [_string(d, "split", "delimiter") for d in delimiter if d is not None]
        if not delimiters:
            return None
        if any(d == "" for d in delimiters):
            return list(text)
        return re.split("|".join(re.escape(d) for d in sorted(delimiters, key=len, reverse=True)), text)
    sep = _string(delimiter, "split", "delimiter")
    return list(text) if sep == "" else text.split(sep)


_NORMAL_FORMS = frozenset({"NFC", "NFD", "NFKC", "NFKD"})


def normalize(value: Any, form: Any = _MISSING) -> str | None:
    """``normalize(s[, form])``: the Unicode normal form (``NFC``, ``NFD``, ``NFKC`` or ``NFKD``) of ``s``."""
    if value is None or form is None:
        return None
    text = _string(value, "normalize")
    name = "NFC" if form is _MISSING else _string(form, "normalize", "normal form").upper()
    if name not in _NORMAL_FORMS:
        raise CypherArgumentError(
            f"normalize() expects NFC, NFD, NFKC or NFKD, got {form!r}",
            code="InvalidArgumentValue",
            phase=RUNTIME,
        )
    return unicodedata.normalize(name, text)  # type: ignore[arg-type]


def char_length(value: Any) -> int | None:
    """``char_length(s)``: the number of characters (code points) of a string."""
    return None if value is None else len(_string(value, "char_length"))


# ---------------------------------------------------------------------------------------------
# String predicate operators
# ---------------------------------------------------------------------------------------------


def starts_with(value: Any, prefix: Any) -> bool | None:
    """``value STARTS WITH prefix``; null unless both are strings."""
    if isinstance(value, str) and isinstance(prefix, str):
        return value.startswith(prefix)
    return None


def ends_with(value: Any, suffix: Any) -> bool | None:
    """``value ENDS WITH suffix``; null unless both are strings."""
    if isinstance(value, str) and isinstance(suffix, str):
        return value.endswith(suffix)
    return None


def contains(value: Any, part: Any) -> bool | None:
    """``value CONTAINS part``; null unless both are strings."""
    if isinstance(value, str) and isinstance(part, str):
        return part in value
    return None


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise CypherArgumentError(
            f"invalid regular expression {pattern!r}: {exc}", code="InvalidArgumentValue", phase=RUNTIME
        ) from exc


def regex_match(value: Any, pattern: Any) -> bool | None:
    """``value =~ pattern``: the whole string must match (Java ``matches``); null unless both are strings."""
    if isinstance(value, str) and isinstance(pattern, str):
        return _compile(pattern).fullmatch(value) is not None
    return None


FUNCTIONS: tuple[FunctionDef, ...] = (
    FunctionDef("toUpper", 1, 1, to_upper),
    FunctionDef("upper", 1, 1, to_upper),
    FunctionDef("toLower", 1, 1, to_lower),
    FunctionDef("lower", 1, 1, to_lower),
    FunctionDef("trim", 1, 2, trim),
    FunctionDef("btrim", 1, 2, btrim),
    FunctionDef("lTrim", 1, 2, ltrim),
    FunctionDef("rTrim", 1, 2, rtrim),
    FunctionDef("replace", 3, 3, replace),
    FunctionDef("substring", 2, 3, substring),
    FunctionDef("left", 2, 2, left),
    FunctionDef("right", 2, 2, right),
    FunctionDef("split", 2, 2, split),
    FunctionDef("normalize", 1, 2, normalize),
    FunctionDef("char_length", 1, 1, char_length),
    FunctionDef("character_length", 1, 1, char_length),
)
