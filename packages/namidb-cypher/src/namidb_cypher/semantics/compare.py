"""Cypher equality, comparability, orderability and equivalence.

openCypher separates four relations (CIP2016-06-14 "Comparability and
orderability"); the TCK pins each down:

**Equality** (``=``, ``<>``, ``IN``) — :func:`equals` returns ``True``, ``False`` or
``None`` (null). null on either side gives null. Values of different types are
*unequal* (``'1' = 1`` is false, ``NaN = 'a'`` is false), except that INTEGER and
FLOAT compare numerically (``1 = 1.0``). NaN equals nothing, not even NaN. Lists are
equal when they have the same length and pairwise-equal elements; a definite
``false`` at any position wins over a null elsewhere (``[1, 2] = [null, 'foo']`` is
false, ``[1, 2] = [null, 2]`` is null). Maps: different key sets are unequal, then
values as for lists. Nodes and relationships are equal by ``id``; paths by their
node and relationship sequences.

**Comparability** (``<``, ``<=``, ``>``, ``>=``) — :func:`compare` returns a
negative int, zero, a positive int, ``math.nan`` or ``None``. Only numbers with
numbers, strings with strings, booleans with booleans (``false < true``), lists with
lists (lexicographically, a proper prefix first; an element pair that is not
comparable makes the whole comparison null) and temporal values of one kind are
comparable; anything else, and null, gives ``None``. When NaN takes part in a
numeric comparison every operator is *false* (not null): ``compare`` then returns
``math.nan``, for which ``r < 0``, ``r <= 0``, ``r > 0`` and ``r >= 0`` are all false.
Use :func:`lt`, :func:`le`, :func:`gt`, :func:`ge` for the operators themselves.

**Orderability** (``ORDER BY``, ``min``, ``max``) — :func:`order_key` maps every
value to a Python key that realises the global total order (ascending)::

    MAP < NODE < RELATIONSHIP < LIST < PATH < DATETIME < LOCAL DATETIME < DATE
        < TIME < LOCAL TIME < DURATION < STRING < BOOLEAN < NUMBER < NaN < null

Within a type the order agrees with :func:`compare` where that is defined (TCK
WithOrderBy1 [45]); lists order element-wise by this same order, so ``[] < ['a'] <
['a', 1] < [1] < [1, 'a'] < [1, null] < [null, 1]`` (ReturnOrderBy1 [9]); maps order
by their sorted (key, value) pairs, nodes and relationships by id, paths by their
element ids. Sorting descending is ``reverse=True``, which puts null first as the
TCK expects (ReturnOrderBy1 [12]). Strings order by code point.

**Equivalence** (``DISTINCT``, grouping keys, ``count(DISTINCT ...)``) —
:func:`group_key` returns a hashable key such that two values are equivalent iff
their keys are equal: like equality, but null is equivalent to null and NaN to NaN,
and ``1`` is equivalent to ``1.0``; :func:`equivalent` compares two values by it.

Temporal values are handled through hooks on the value (the temporal library
provides them): ``cypher_type_name``; ``__cypher_compare__(other) -> int | None``
for comparability (``None`` for non-comparable pairs such as two durations);
``order_key()`` for the total order within one kind (without it ORDER BY falls
back to ``__cypher_compare__`` and then to the ``str`` form); optionally
``__cypher_equals__(other) -> bool | None`` for equality (otherwise Python ``==``);
Python ``__hash__``/``__eq__`` for equivalence.

The three-valued connectives :func:`and3`, :func:`or3`, :func:`xor3`, :func:`not3`
and the list membership test :func:`in_list` live here too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from namidb_cypher.semantics.types import (
    invalid_argument_type,
    is_bool,
    is_list,
    is_map,
    is_number,
    is_temporal,
    type_name,
)
from namidb_cypher.values import Node, Path, Relationship

__all__ = [
    "ORDER_RANKS",
    "and3",
    "compare",
    "equals",
    "equivalent",
    "ge",
    "group_key",
    "gt",
    "in_list",
    "le",
    "lt",
    "not3",
    "or3",
    "order_key",
    "xor3",
]

Comparison = int | float | None

# ---------------------------------------------------------------------------------------------
# Equality
# ---------------------------------------------------------------------------------------------

_SCALARS: Final = (int, str, float)


def equals(a: Any, b: Any) -> bool | None:
    """Cypher ``a = b``: ``True``, ``False`` or ``None`` (null). See the module docstring."""
    if a is None or b is None:
        return None
    ta = type(a)
    if ta is type(b) and ta in _SCALARS:
        return bool(a == b)
    a_bool, b_bool = is_bool(a), is_bool(b)
    if a_bool or b_bool:
        return bool(a == b) if a_bool and b_bool else False
    if is_number(a):
        return bool(a == b) if is_number(b) else False
    if isinstance(a, str) or isinstance(b, str):
        return a == b if isinstance(a, str) and isinstance(b, str) else False
    if is_list(a):
        return _equal_sequences(a, b) if is_list(b) else False
    if isinstance(a, Node):
        return isinstance(b, Node) and a.id == b.id
    if isinstance(a, Relationship):
        return isinstance(b, Relationship) and a.id == b.id
    if isinstance(a, Path):
        return isinstance(b, Path) and _path_ids(a) == _path_ids(b)
    if is_map(a):
        return _equal_maps(a, b) if is_map(b) and not _is_entity(b) else False
    if is_temporal(a):
        return _equal_temporal(a, b)
    return bool(a == b)


def _is_entity(value: Any) -> bool:
    return isinstance(value, (Node, Relationship, Path))


def _equal_sequences(a: Sequence[Any], b: Sequence[Any]) -> bool | None:
    if len(a) != len(b):
        return False
    return _all_equal(zip(a, b, strict=True))


def _all_equal(pairs: Iterable[tuple[Any, Any]]) -> bool | None:
    # A definite False anywhere wins over a null elsewhere ([1, 2] = [null, 'foo'] is false).
    unknown = False
    for x, y in pairs:
        result = equals(x, y)
        if result is False:
            return False
        if result is None:
            unknown = True
    return None if unknown else True


def _equal_maps(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool | None:
    if a.keys() != b.keys():
        return False
    return _all_equal((a[k], b[k]) for k in a)


def _equal_temporal(a: Any, b: Any) -> bool | None:
    if not is_temporal(b) or a.cypher_type_name != b.cypher_type_name:
        return False
    hook = getattr(a, "__cypher_equals__", None)
    if hook is not None:
        result = hook(b)
        return None if result is None else bool(result)
    return bool(a == b)


def _path_ids(path: Path) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(n.id for n in path.nodes), tuple(r.id for r in path.relationships)


# ---------------------------------------------------------------------------------------------
# Comparability
# ---------------------------------------------------------------------------------------------


def compare(a: Any, b: Any) -> Comparison:
    """Compare for ``<`` and friends: <0, 0, >0, ``math.nan`` (NaN involved) or ``None`` (not comparable)."""
    if a is None or b is None:
        return None
    ta = type(a)
    if ta is type(b) and (ta is int or ta is str):
        return int((a > b) - (a < b))
    if is_bool(a) or is_bool(b):
        if is_bool(a) and is_bool(b):
            return int(bool(a)) - int(bool(b))
        return None
    if is_number(a):
        if not is_number(b):
            return None
        if math.isnan(a) or math.isnan(b):
            return math.nan
        return int((a > b) - (a < b))
    if isinstance(a, str):
        return ((a > b) - (a < b)) if isinstance(b, str) else None
    if is_list(a):
        return _compare_lists(a, b) if is_list(b) else None
    if is_temporal(a):
        return _compare_temporal(a, b)
    return None


def _compare_lists(a: Sequence[Any], b: Sequence[Any]) -> Comparison:
    for x, y in zip(a, b, strict=False):  # unequal lengths: the shorter prefix decides first
        result = compare(x, y)
        if result is None or result != 0:  # None: incomparable pair; nan != 0 too
            return result
    return (len(a) > len(b)) - (len(a) < len(b))


def _compare_temporal(a: Any, b: Any) -> Comparison:
    if not is_temporal(b) or a.cypher_type_name != b.cypher_type_name:
        return None
    hook = getattr(a, "__cypher_compare__", None)
    if hook is None:
        return None
    result = hook(b)
    return None if result is None else int(result)


def lt(a: Any, b: Any) -> bool | None:
    """Cypher ``a < b``."""
    r = compare(a, b)
    return None if r is None else r < 0


def le(a: Any, b: Any) -> bool | None:
    """Cypher ``a <= b``."""
    r = compare(a, b)
    return None if r is None else r <= 0


def gt(a: Any, b: Any) -> bool | None:
    """Cypher ``a > b``."""
    r = compare(a, b)
    return None if r is None else r > 0


def ge(a: Any, b: Any) -> bool | None:
    """Cypher ``a >= b``."""
    r = compare(a, b)
    return None if r is None else r >= 0


# ---------------------------------------------------------------------------------------------
# Orderability
# ---------------------------------------------------------------------------------------------

ORDER_RANKS: Final[dict[str, int]] = {
    "MAP": 0,
    "NODE": 1,
    "RELATIONSHIP": 2,
    "LIST": 3,
    "PATH": 4,
    "DATETIME": 5,
    "LOCAL DATETIME": 6,
    "DATE": 7,
    "TIME": 8,
    "LOCAL TIME": 9,
    "DURATION": 10,
    "POINT": 11,
    "STRING": 12,
    "BOOLEAN": 13,
    "INTEGER": 14,
    "FLOAT": 14,
    "NaN": 15,
    "NULL": 16,
}
_UNKNOWN_RANK: Final = 17
_R_STRING: Final = ORDER_RANKS["STRING"]
_R_NUMBER: Final = ORDER_RANKS["INTEGER"]
_NAN_KEY: Final = (ORDER_RANKS["NaN"], 0)
_NULL_KEY: Final = (ORDER_RANKS["NULL"], 0)


class _TemporalKey:
    """Orders two temporal values of one kind through ``__cypher_compare__``, falling back to ``str``."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def _cmp(self, other: _TemporalKey) -> int:
        result = _compare_temporal(self.value, other.value)
        if result is not None:
            return int(result)
        sa, sb = str(self.value), str(other.value)
        return (sa > sb) - (sa < sb)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _TemporalKey) and self._cmp(other) == 0

    def __lt__(self, other: _TemporalKey) -> bool:
        return self._cmp(other) < 0

    def __hash__(self) -> int:  # pragma: no cover - keys are compared, never hashed
        return hash(str(self.value))


def order_key(value: Any) -> tuple[Any, ...]:
    """A sort key realising Cypher's global ascending order over all values (see the module docstring)."""
    t = type(value)
    if t is int:
        return (_R_NUMBER, value)
    if t is str:
        return (_R_STRING, value)
    if value is None:
        return _NULL_KEY
    if t is float:
        return _NAN_KEY if value != value else (_R_NUMBER, value)
    name = type_name(value)
    rank = ORDER_RANKS.get(name)
    if rank is None:
        if is_temporal(value):
            return (_UNKNOWN_RANK, value.cypher_type_name, _TemporalKey(value))
        return (_UNKNOWN_RANK + 1, type(value).__name__, repr(value))
    if name == "FLOAT":
        return _NAN_KEY if math.isnan(value) else (rank, float(value))
    if name == "INTEGER":
        return (rank, int(value))
    if name == "BOOLEAN":
        return (rank, bool(value))
    if name == "LIST":
        return (rank, tuple(order_key(x) for x in value))
    if name == "MAP":
        return (rank, tuple((k, order_key(value[k])) for k in sorted(value)))
    if name == "NODE" or name == "RELATIONSHIP":
        return (rank, value.id)
    if name == "PATH":
        return (rank, _path_ids(value))
    own_key = getattr(value, "order_key", None)
    if callable(own_key):  # the temporal library's key: total within one kind, durations included
        return (rank, own_key())
    return (rank, _TemporalKey(value))


# ---------------------------------------------------------------------------------------------
# Equivalence
# ---------------------------------------------------------------------------------------------

_NAN_GROUP: Final = ("NaN",)


def group_key(value: Any) -> Any:
    """A hashable key: equal keys iff the values are equivalent (DISTINCT / grouping semantics).

    Strings, integers, non-NaN floats and null are their own key (so ``1`` and ``1.0`` share
    one); everything else becomes a tagged tuple so it never collides with those (``True``
    would otherwise equal ``1``).
    """
    t = type(value)
    if t is str or t is int or value is None:
        return value
    if t is float:
        return _NAN_GROUP if value != value else value
    name = type_name(value)
    if name == "BOOLEAN":
        return ("B", bool(value))
    if name == "INTEGER":
        return int(value)
    if name == "FLOAT":
        return _NAN_GROUP if math.isnan(value) else float(value)
    if name == "LIST":
        return ("L", tuple(group_key(x) for x in value))
    if name == "MAP":
        return ("M", tuple(sorted((k, group_key(v)) for k, v in value.items())))
    if name == "NODE":
        return ("N", value.id)
    if name == "RELATIONSHIP":
        return ("R", value.id)
    if name == "PATH":
        return ("P", _path_ids(value))
    if is_temporal(value):
        return ("T", value.cypher_type_name, value)
    return ("?", type(value).__name__, value)


def equivalent(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` are the same for DISTINCT / grouping (null ≡ null, NaN ≡ NaN, 1 ≡ 1.0)."""
    return bool(group_key(a) == group_key(b))


# ---------------------------------------------------------------------------------------------
# Three-valued logic and IN
# ---------------------------------------------------------------------------------------------


def _check_logical(value: Any, operator: str) -> None:
    if value is not None and not is_bool(value):
        raise invalid_argument_type(f"{operator} expects BOOLEAN operands, got {type_name(value)}")


def and3(a: Any, b: Any) -> bool | None:
    """Cypher ``a AND b``: false wins over null, null over true."""
    _check_logical(a, "AND")
    _check_logical(b, "AND")
    if (a is not None and not a) or (b is not None and not b):
        return False
    if a is None or b is None:
        return None
    return True


def or3(a: Any, b: Any) -> bool | None:
    """Cypher ``a OR b``: true wins over null, null over false."""
    _check_logical(a, "OR")
    _check_logical(b, "OR")
    if (a is not None and a) or (b is not None and b):
        return True
    if a is None or b is None:
        return None
    return False


def xor3(a: Any, b: Any) -> bool | None:
    """Cypher ``a XOR b``: null if either side is null."""
    _check_logical(a, "XOR")
    _check_logical(b, "XOR")
    if a is None or b is None:
        return None
    return bool(a) != bool(b)


def not3(a: Any) -> bool | None:
    """Cypher ``NOT a``."""
    _check_logical(a, "NOT")
    return None if a is None else not a


def in_list(element: Any, container: Any) -> bool | None:
    """Cypher ``element IN container``: true if some item equals, else null if some item compared null.

    ``null IN []`` is false; ``null IN [1]`` is null; a non-list container raises
    ``TypeError: InvalidArgumentType``.
    """
    if container is None:
        return None
    if not is_list(container):
        raise invalid_argument_type(f"IN expects a LIST on its right, got {type_name(container)}")
    unknown = False
    for item in container:
        result = equals(element, item)
        if result is True:
            return True
        if result is None:
            unknown = True
    return None if unknown else False
