"""The function registry: what the binder resolves a call against.

Names are case-insensitive (``toUpper`` = ``TOUPPER``) and may be dotted
(``vector.similarity.cosine``). The binder raises ``UnknownFunction`` when
:func:`lookup` returns None and ``InvalidNumberOfArguments`` when the argument count
falls outside ``[min_args, max_args]``.

Calling conventions:

- scalar: ``impl(*args) -> value``; ``impl`` handles nulls itself, and when
  ``null_in_null_out`` is true the executor may skip the call and produce null for any
  row where some argument is null (the result is the same).
- aggregate: ``impl()`` returns a fresh accumulator with ``update(*args)`` and
  ``result()`` (see :mod:`namidb_cypher.functions.aggregate`); ``vectorized``, when
  set, computes the same result from one pyarrow array of plain numbers (or returns
  ``NotImplemented`` for arrays it does not cover).
- ``needs_node_lookup`` (``startNode``, ``endNode``): a relationship carries only the
  dense ids of its end nodes, so the executor passes a resolver first:
  ``impl(resolve_node, *args)`` with ``resolve_node(id: int) -> Node``.

The registry fills itself on first use, from this package's modules plus — if it is
importable — the temporal library's ``namidb_cypher.temporal.FUNCTIONS`` (registered
with open arity; the temporal functions check their own arguments).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["FunctionDef", "all_functions", "lookup", "register"]


@dataclass(frozen=True, slots=True)
class FunctionDef:
    """One Cypher function.

    Attributes:
        name: canonical spelling (``"toUpper"``); lookups ignore case.
        min_args: fewest arguments accepted.
        max_args: most arguments accepted; ``None`` means no upper bound (``coalesce``).
        impl: the implementation (see the module docstring for the calling conventions).
        aggregate: an aggregating function (``count``, ``collect`` ...).
        deterministic: the same arguments always give the same result (false for
            ``rand``, ``randomUUID``, ``timestamp``); the optimizer may fold only these.
        null_in_null_out: a null argument always yields null, so the call can be skipped.
        vectorized: aggregates only, optional fast path over a pyarrow array.
        needs_node_lookup: ``impl`` takes a node resolver as its first argument.
    """

    name: str
    min_args: int
    max_args: int | None
    impl: Callable[..., Any]
    aggregate: bool = False
    deterministic: bool = True
    null_in_null_out: bool = True
    vectorized: Callable[[Any], Any] | None = None
    needs_node_lookup: bool = False

    def accepts(self, n_args: int) -> bool:
        """True when a call with ``n_args`` arguments has a valid arity."""
        return n_args >= self.min_args and (self.max_args is None or n_args <= self.max_args)


_REGISTRY: dict[str, FunctionDef] = {}
_LOADED = threading.Event()
_LOCK = threading.Lock()

# Modules whose ``FUNCTIONS: tuple[FunctionDef, ...]`` make up the built-in library.
_BUILTIN_MODULES = (
    "namidb_cypher.functions.scalar",
    "namidb_cypher.functions.string",
    "namidb_cypher.functions.math",
    "namidb_cypher.functions.list",
    "namidb_cypher.functions.conversion",
    "namidb_cypher.functions.predicates",
    "namidb_cypher.functions.vector",
    "namidb_cypher.functions.aggregate",
)


def register(definition: FunctionDef, *, replace: bool = False) -> None:
    """Add a function; a second definition under one name is an error unless ``replace``."""
    key = definition.name.lower()
    existing = _REGISTRY.get(key)
    if existing is not None and not replace and existing is not definition:
        raise ValueError(f"function {definition.name!r} is already registered")
    _REGISTRY[key] = definition


def _register_all(definitions: Iterable[FunctionDef]) -> None:
    for definition in definitions:
        register(definition)


def _load_temporal() -> None:
    try:
        temporal = importlib.import_module("namidb_cypher.temporal")
    except ImportError:
        return
    functions = getattr(temporal, "FUNCTIONS", None)
    if not isinstance(functions, dict):
        return
    for name, impl in functions.items():
        if isinstance(name, str) and callable(impl) and name.lower() not in _REGISTRY:
            # Open arity: the temporal functions validate their own arguments. Not deterministic,
            # because the zero-argument forms read the clock.
            register(FunctionDef(name, 0, None, impl, deterministic=False, null_in_null_out=False))


def _ensure_loaded() -> None:
    if _LOADED.is_set():
        return
    with _LOCK:
        if _LOADED.is_set():
            return
        for module_name in _BUILTIN_MODULES:
            module = importlib.import_module(module_name)
            _register_all(module.FUNCTIONS)
        _load_temporal()
        _LOADED.set()


def lookup(name: str) -> FunctionDef | None:
    """The function called ``name`` (case-insensitive, dotted names allowed), or None if unknown."""
    _ensure_loaded()
    return _REGISTRY.get(name.lower())


def all_functions() -> Iterator[FunctionDef]:
    """Every registered function, in name order."""
    _ensure_loaded()
    for key in sorted(_REGISTRY):
        yield _REGISTRY[key]
