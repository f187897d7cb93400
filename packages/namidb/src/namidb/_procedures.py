"""Table-backed procedures: ``CALL name(args) YIELD ...`` answered from a fixed table of rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from namidb_core.errors import InvalidArgumentError
from namidb_cypher.executor.context import Procedure
from namidb_cypher.semantics import equals

__all__ = ["parse_signature", "table_procedure"]

_SIGNATURE = re.compile(r"^\s*([\w.]+)\s*\((.*?)\)\s*::\s*\((.*?)\)\s*:?\s*$")
_FIELD = re.compile(r"^\s*(\w+)\s*::\s*([\w?]+)\s*$")


def _fields(text: str, signature: str) -> tuple[tuple[str, str], ...]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        m = _FIELD.match(part)
        if m is None:
            raise InvalidArgumentError(f"bad field {part!r} in procedure signature {signature!r}")
        out.append((m.group(1), m.group(2)))
    return tuple(out)


def parse_signature(signature: str) -> tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """``name(in :: TYPE?, ...) :: (out :: TYPE?, ...)`` → (name, inputs, outputs)."""
    m = _SIGNATURE.match(signature)
    if m is None:
        raise InvalidArgumentError(
            f"procedure signature {signature!r} must look like 'ns.name(a :: INTEGER?) :: (b :: STRING?)'"
        )
    return m.group(1), _fields(m.group(2), signature), _fields(m.group(3), signature)


def table_procedure(signature: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> Procedure:
    """A procedure whose output rows are the ``rows`` whose input columns equal the call's arguments."""
    name, inputs, outputs = parse_signature(signature)
    names = [n for n, _ in inputs] + [n for n, _ in outputs]
    if sorted(names) != sorted(columns):
        raise InvalidArgumentError(
            f"table columns {list(columns)} do not match the signature's fields {names}"
        )
    table = [dict(r) for r in rows]
    in_names = [n for n, _ in inputs]

    def call(args: Sequence[Any]) -> list[dict[str, Any]]:
        return [
            {k: row[k] for k, _ in outputs}
            for row in table
            if all(
                equals(row[n], a) is True or (row[n] is None and a is None)
                for n, a in zip(in_names, args, strict=True)
            )
        ]

    return Procedure(name, inputs, outputs, call)
