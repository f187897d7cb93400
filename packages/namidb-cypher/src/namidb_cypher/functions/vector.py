"""Vector similarity over lists of numbers.

Plain helpers :func:`dot_product`, :func:`cosine_similarity` (in [-1, 1]) and
:func:`euclidean_distance`, plus numpy batch kernels for scoring many stored vectors
against one query (:func:`cosine_similarity_many`, :func:`euclidean_distance_many`).

Registered under Neo4j's names and with Neo4j's normalised scores in [0, 1]:
``vector.similarity.cosine(a, b) = (1 + cos) / 2`` and
``vector.similarity.euclidean(a, b) = 1 / (1 + d²)``.

Vectors must be non-empty lists of numbers of equal length (else ``ArgumentError:
InvalidArgumentValue``); a null vector gives null, and so does the cosine of a zero
vector, whose direction is undefined.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from namidb_cypher.errors import RUNTIME, CypherArgumentError
from namidb_cypher.functions.registry import FunctionDef
from namidb_cypher.semantics.types import is_list, is_number, type_name

__all__ = [
    "FUNCTIONS",
    "cosine_similarity",
    "cosine_similarity_many",
    "dot_product",
    "euclidean_distance",
    "euclidean_distance_many",
    "similarity_cosine",
    "similarity_euclidean",
]


def _bad_vector(message: str) -> CypherArgumentError:
    return CypherArgumentError(message, code="InvalidArgumentValue", phase=RUNTIME)


def _vectors(a: Any, b: Any, function: str) -> tuple[list[float], list[float]]:
    result = []
    for vector in (a, b):
        if not is_list(vector) or not vector:
            raise _bad_vector(f"{function}() expects a non-empty LIST of numbers, got {type_name(vector)}")
        if not all(is_number(x) for x in vector):
            raise _bad_vector(f"{function}() expects a LIST of numbers")
        result.append([float(x) for x in vector])
    if len(result[0]) != len(result[1]):
        raise _bad_vector(f"{function}() expects vectors of equal dimension, got {len(a)} and {len(b)}")
    return result[0], result[1]


def dot_product(a: Any, b: Any) -> float | None:
    """The dot product of two vectors."""
    if a is None or b is None:
        return None
    x, y = _vectors(a, b, "dot_product")
    return math.fsum(p * q for p, q in zip(x, y, strict=True))


def cosine_similarity(a: Any, b: Any) -> float | None:
    """The cosine of the angle between two vectors, in [-1, 1]; null if either is the zero vector."""
    if a is None or b is None:
        return None
    x, y = _vectors(a, b, "cosine_similarity")
    norm = math.sqrt(math.fsum(p * p for p in x)) * math.sqrt(math.fsum(q * q for q in y))
    if norm == 0.0:
        return None
    return max(-1.0, min(1.0, math.fsum(p * q for p, q in zip(x, y, strict=True)) / norm))


def euclidean_distance(a: Any, b: Any) -> float | None:
    """The Euclidean (L2) distance between two vectors."""
    if a is None or b is None:
        return None
    x, y = _vectors(a, b, "euclidean_distance")
    return math.sqrt(math.fsum((p - q) ** 2 for p, q in zip(x, y, strict=True)))


def similarity_cosine(a: Any, b: Any) -> float | None:
    """``vector.similarity.cosine(a, b)``: ``(1 + cosine) / 2``, in [0, 1]."""
    cosine = cosine_similarity(a, b)
    return None if cosine is None else (1.0 + cosine) / 2.0


def similarity_euclidean(a: Any, b: Any) -> float | None:
    """``vector.similarity.euclidean(a, b)``: ``1 / (1 + distance²)``, in (0, 1]."""
    distance = euclidean_distance(a, b)
    return None if distance is None else 1.0 / (1.0 + distance * distance)


def cosine_similarity_many(vectors: npt.ArrayLike, query: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Cosine similarity of each row of ``vectors`` (n by d) with ``query`` (d); NaN for zero rows."""
    matrix = np.asarray(vectors, dtype=np.float64)
    q = np.asarray(query, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(q)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = (matrix @ q) / norms
    scores[norms == 0.0] = np.nan
    return np.asarray(np.clip(scores, -1.0, 1.0), dtype=np.float64)


def euclidean_distance_many(vectors: npt.ArrayLike, query: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Euclidean distance of each row of ``vectors`` (n by d) from ``query`` (d)."""
    matrix = np.asarray(vectors, dtype=np.float64)
    q = np.asarray(query, dtype=np.float64)
    return np.asarray(np.linalg.norm(matrix - q, axis=1), dtype=np.float64)


FUNCTIONS: tuple[FunctionDef, ...] = (
    FunctionDef("vector.similarity.cosine", 2, 2, similarity_cosine),
    FunctionDef("vector.similarity.euclidean", 2, 2, similarity_euclidean),
)
