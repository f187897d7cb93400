"""Cypher value semantics over Python values: types, equality/ordering, arithmetic.

The vectorized executor calls these per value in its compiled fallback and uses
them as the reference its vectorized kernels are tested against. The value model
(None, bool, int, float, str, list, dict, the graph values of
:mod:`namidb_cypher.values`, temporal values with ``cypher_type_name``) is described
in :mod:`namidb_cypher.semantics.types`; the four relations — equality,
comparability, orderability, equivalence — in :mod:`namidb_cypher.semantics.compare`;
the operators in :mod:`namidb_cypher.semantics.arithmetic`.
"""

from namidb_cypher.semantics.arithmetic import add, div, mod, mul, neg, pos, pow, sub
from namidb_cypher.semantics.compare import (
    and3,
    compare,
    equals,
    equivalent,
    ge,
    group_key,
    gt,
    in_list,
    le,
    lt,
    not3,
    or3,
    order_key,
    xor3,
)
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

__all__ = [
    # types
    "INT64_MAX",
    "INT64_MIN",
    "check_int64",
    "format_float",
    "is_bool",
    "is_float",
    "is_int",
    "is_list",
    "is_map",
    "is_number",
    "is_string",
    "is_temporal",
    "type_name",
    # equality, comparability, orderability, equivalence, logic
    "equals",
    "compare",
    "lt",
    "le",
    "gt",
    "ge",
    "order_key",
    "group_key",
    "equivalent",
    "in_list",
    "and3",
    "or3",
    "xor3",
    "not3",
    # arithmetic
    "add",
    "sub",
    "mul",
    "div",
    "mod",
    "pow",
    "neg",
    "pos",
]
