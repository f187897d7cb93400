"""The errors temporal functions raise, as the TCK's ArgumentError / TypeError.

The Cypher error classes live in :mod:`namidb_cypher.errors`; they are imported
when an error is raised so this package stays importable on its own.
"""

from __future__ import annotations

from typing import Any

__all__ = ["argument_error", "type_error", "INVALID_ARGUMENT_VALUE", "INVALID_ARGUMENT_TYPE"]

INVALID_ARGUMENT_VALUE = "InvalidArgumentValue"
INVALID_ARGUMENT_TYPE = "InvalidArgumentType"


def argument_error(message: str, code: str = INVALID_ARGUMENT_VALUE) -> Exception:
    """A runtime ``CypherArgumentError`` (an invalid value: bad string, out-of-range field ...)."""
    from namidb_cypher.errors import CypherArgumentError

    return CypherArgumentError(message, code=code, phase="runtime")


def type_error(message: str, value: Any = None, code: str = INVALID_ARGUMENT_TYPE) -> Exception:
    """A runtime ``CypherTypeError`` (an argument of the wrong type)."""
    from namidb_cypher.errors import CypherTypeError

    return CypherTypeError(message, code=code, phase="runtime")
