"""The binder's static types: just enough to reject what the TCK rejects at compile time.

A type is either known (``INTEGER``, ``NODE``, ``LIST<STRING>``...) or ``ANY``;
checks only fire when every type involved is known, so an expression the
binder cannot type is never rejected here (the executor checks it at runtime).
Also holds the signature table of the built-in functions (name -> arity,
result type, aggregate or not).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CypherType",
    "ANY",
    "NULL",
    "BOOLEAN",
    "INTEGER",
    "FLOAT",
    "NUMBER",
    "STRING",
    "MAP",
    "NODE",
    "RELATIONSHIP",
    "PATH",
    "TEMPORAL",
    "list_of",
    "FunctionSignature",
    "FUNCTIONS",
    "AGGREGATES",
    "NON_DETERMINISTIC",
    "lookup_function",
    "parse_type_name",
]


@dataclass(frozen=True, slots=True)
class CypherType:
    """A static type; ``element`` is set for lists (``LIST<element>``)."""

    name: str
    element: CypherType | None = None

    def __str__(self) -> str:
        return f"LIST<{self.element}>" if self.element is not None else self.name

    @property
    def is_any(self) -> bool:
        """Unknown statically (anything may come at runtime)."""
        return self.name == "ANY"

    @property
    def is_list(self) -> bool:
        """A list type (of any element type)."""
        return self.name == "LIST"

    @property
    def is_entity(self) -> bool:
        """A node or a relationship (has properties, an id)."""
        return self.name in ("NODE", "RELATIONSHIP")

    def accepts(self, other: CypherType) -> bool:
        """Whether a value of static type ``other`` may be used where ``self`` is expected."""
        if self.is_any or other.is_any or other.name == "NULL":
            return True
        if self.name == "NUMBER":
            return other.name in ("INTEGER", "FLOAT", "NUMBER")
        if self.name == "FLOAT":
            return other.name in ("INTEGER", "FLOAT", "NUMBER")
        if self.name == "INTEGER":
            return other.name in ("INTEGER", "NUMBER")
        if self.name == "LIST" and other.name == "LIST":
            if self.element is None or other.element is None:
                return True
            return self.element.accepts(other.element)
        return self.name == other.name


ANY = CypherType("ANY")
NULL = CypherType("NULL")
BOOLEAN = CypherType("BOOLEAN")
INTEGER = CypherType("INTEGER")
FLOAT = CypherType("FLOAT")
NUMBER = CypherType("NUMBER")
STRING = CypherType("STRING")
MAP = CypherType("MAP")
NODE = CypherType("NODE")
RELATIONSHIP = CypherType("RELATIONSHIP")
PATH = CypherType("PATH")
TEMPORAL = CypherType("TEMPORAL")


def list_of(element: CypherType = ANY) -> CypherType:
    """``LIST<element>``."""
    return CypherType("LIST", element)


_TYPE_NAMES = {
    "ANY": ANY,
    "BOOLEAN": BOOLEAN,
    "BOOL": BOOLEAN,
    "INTEGER": INTEGER,
    "INT": INTEGER,
    "FLOAT": FLOAT,
    "NUMBER": NUMBER,
    "STRING": STRING,
    "MAP": MAP,
    "NODE": NODE,
    "RELATIONSHIP": RELATIONSHIP,
    "PATH": PATH,
}


def parse_type_name(text: str) -> CypherType:
    """Read a procedure-signature type such as ``INTEGER?`` or ``LIST? OF STRING?`` (unknown: ANY)."""
    name = text.strip().rstrip("?").strip().upper()
    if name.startswith("LIST"):
        _, _, rest = name.partition(" OF ")
        return list_of(parse_type_name(rest) if rest else ANY)
    return _TYPE_NAMES.get(name, ANY)


@dataclass(frozen=True, slots=True)
class FunctionSignature:
    """Arity bounds (``max_args`` None: variadic), static result type, whether it aggregates.

    ``arg_types`` (when set) are the accepted static types of the leading arguments; an argument whose
    static type is known and not accepted by any of them is an ``InvalidArgumentType``.
    """

    min_args: int
    max_args: int | None
    result: CypherType = ANY
    aggregate: bool = False
    arg_types: tuple[tuple[CypherType, ...], ...] = ()


def _f(
    lo: int,
    hi: int | None,
    result: CypherType = ANY,
    *,
    aggregate: bool = False,
    args: tuple[tuple[CypherType, ...], ...] = (),
) -> FunctionSignature:
    return FunctionSignature(lo, hi, result, aggregate, args)


_ENTITY_OR_MAP = (NODE, RELATIONSHIP, MAP)
_LIST_OR_STRING = (list_of(), STRING)

FUNCTIONS: dict[str, FunctionSignature] = {
    # aggregates
    "count": _f(1, 1, INTEGER, aggregate=True),
    "sum": _f(1, 1, NUMBER, aggregate=True),
    "avg": _f(1, 1, ANY, aggregate=True),
    "min": _f(1, 1, ANY, aggregate=True),
    "max": _f(1, 1, ANY, aggregate=True),
    "collect": _f(1, 1, list_of(), aggregate=True),
    "stdev": _f(1, 1, FLOAT, aggregate=True),
    "stdevp": _f(1, 1, FLOAT, aggregate=True),
    "percentilecont": _f(2, 2, FLOAT, aggregate=True),
    "percentiledisc": _f(2, 2, ANY, aggregate=True),
    # scalar
    "coalesce": _f(1, None),
    "exists": _f(1, 1, BOOLEAN),
    "id": _f(1, 1, INTEGER, args=((NODE, RELATIONSHIP),)),
    "elementid": _f(1, 1, STRING, args=((NODE, RELATIONSHIP),)),
    "labels": _f(1, 1, list_of(STRING), args=((NODE,),)),
    "type": _f(1, 1, STRING, args=((RELATIONSHIP,),)),
    "properties": _f(1, 1, MAP, args=(_ENTITY_OR_MAP,)),
    "keys": _f(1, 1, list_of(STRING), args=(_ENTITY_OR_MAP,)),
    "startnode": _f(1, 1, NODE, args=((RELATIONSHIP,),)),
    "endnode": _f(1, 1, NODE, args=((RELATIONSHIP,),)),
    "nodes": _f(1, 1, list_of(NODE), args=((PATH,),)),
    "relationships": _f(1, 1, list_of(RELATIONSHIP), args=((PATH,),)),
    "length": _f(1, 1, INTEGER, args=((PATH, STRING),)),
    "size": _f(1, 1, INTEGER, args=(_LIST_OR_STRING,)),
    "head": _f(1, 1, ANY, args=((list_of(),),)),
    "last": _f(1, 1, ANY, args=((list_of(),),)),
    "tail": _f(1, 1, list_of(), args=((list_of(),),)),
    "reverse": _f(1, 1, ANY, args=(_LIST_OR_STRING,)),
    "range": _f(2, 3, list_of(INTEGER)),
    "timestamp": _f(0, 0, INTEGER),
    "rand": _f(0, 0, FLOAT),
    "randomuuid": _f(0, 0, STRING),
    "tointeger": _f(1, 1, INTEGER),
    "tofloat": _f(1, 1, FLOAT),
    "toboolean": _f(1, 1, BOOLEAN),
    "tostring": _f(1, 1, STRING),
    "tointegerornull": _f(1, 1, INTEGER),
    "tofloatornull": _f(1, 1, FLOAT),
    "tobooleanornull": _f(1, 1, BOOLEAN),
    "tostringornull": _f(1, 1, STRING),
    "tointegerlist": _f(1, 1, list_of(INTEGER)),
    "tofloatlist": _f(1, 1, list_of(FLOAT)),
    "tobooleanlist": _f(1, 1, list_of(BOOLEAN)),
    "tostringlist": _f(1, 1, list_of(STRING)),
    "isempty": _f(1, 1, BOOLEAN),
    "isnan": _f(1, 1, BOOLEAN),
    "nullif": _f(2, 2),
    "valuetype": _f(1, 1, STRING),
    # math
    "abs": _f(1, 1, NUMBER),
    "ceil": _f(1, 1, FLOAT),
    "floor": _f(1, 1, FLOAT),
    "round": _f(1, 3, FLOAT),
    "sign": _f(1, 1, INTEGER),
    "sqrt": _f(1, 1, FLOAT),
    "exp": _f(1, 1, FLOAT),
    "log": _f(1, 1, FLOAT),
    "log10": _f(1, 1, FLOAT),
    "e": _f(0, 0, FLOAT),
    "pi": _f(0, 0, FLOAT),
    "sin": _f(1, 1, FLOAT),
    "cos": _f(1, 1, FLOAT),
    "tan": _f(1, 1, FLOAT),
    "cot": _f(1, 1, FLOAT),
    "asin": _f(1, 1, FLOAT),
    "acos": _f(1, 1, FLOAT),
    "atan": _f(1, 1, FLOAT),
    "atan2": _f(2, 2, FLOAT),
    "degrees": _f(1, 1, FLOAT),
    "radians": _f(1, 1, FLOAT),
    "haversin": _f(1, 1, FLOAT),
    # strings
    "split": _f(2, 2, list_of(STRING)),
    "substring": _f(2, 3, STRING),
    "left": _f(2, 2, STRING),
    "right": _f(2, 2, STRING),
    "trim": _f(1, 1, STRING),
    "ltrim": _f(1, 2, STRING),
    "rtrim": _f(1, 2, STRING),
    "btrim": _f(1, 2, STRING),
    "replace": _f(3, 3, STRING),
    "toupper": _f(1, 1, STRING),
    "tolower": _f(1, 1, STRING),
    "upper": _f(1, 1, STRING),
    "lower": _f(1, 1, STRING),
    "char_length": _f(1, 1, INTEGER),
    "character_length": _f(1, 1, INTEGER),
    # spatial
    "point": _f(1, 1),
    "distance": _f(2, 2, FLOAT),
    "point.distance": _f(2, 2, FLOAT),
    # temporal constructors and helpers
    "date": _f(0, 1, TEMPORAL),
    "datetime": _f(0, 1, TEMPORAL),
    "localdatetime": _f(0, 1, TEMPORAL),
    "localtime": _f(0, 1, TEMPORAL),
    "time": _f(0, 1, TEMPORAL),
    "duration": _f(1, 1, TEMPORAL),
    "datetime.fromepoch": _f(2, 2, TEMPORAL),
    "datetime.fromepochmillis": _f(1, 1, TEMPORAL),
    "duration.between": _f(2, 2, TEMPORAL),
    "duration.inmonths": _f(2, 2, TEMPORAL),
    "duration.indays": _f(2, 2, TEMPORAL),
    "duration.inseconds": _f(2, 2, TEMPORAL),
}
for _kind in ("date", "datetime", "localdatetime", "localtime", "time"):
    FUNCTIONS[f"{_kind}.truncate"] = _f(2, 3, TEMPORAL)
    for _clock in ("transaction", "statement", "realtime"):
        FUNCTIONS[f"{_kind}.{_clock}"] = _f(0, 1, TEMPORAL)

AGGREGATES = frozenset(name for name, sig in FUNCTIONS.items() if sig.aggregate)
NON_DETERMINISTIC = frozenset({"rand", "randomuuid", "timestamp"})


def lookup_function(name: str) -> FunctionSignature | None:
    """The signature of the built-in function ``name`` (case-insensitive), or None if unknown."""
    return FUNCTIONS.get(name.lower())
