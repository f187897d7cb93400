"""Vector similarity helpers and their numpy batch kernels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from namidb_cypher.errors import CypherArgumentError
from namidb_cypher.functions import lookup
from namidb_cypher.functions.vector import (
    cosine_similarity,
    cosine_similarity_many,
    dot_product,
    euclidean_distance,
    euclidean_distance_many,
)


def test_scalar_helpers():
    assert dot_product([1, 2, 3], [4, 5, 6]) == 32.0
    assert cosine_similarity([1, 0], [0, 1]) == 0.0
    assert cosine_similarity([1, 1], [2, 2]) == pytest.approx(1.0)
    assert cosine_similarity([1, 0], [-3, 0]) == pytest.approx(-1.0)
    assert euclidean_distance([0, 0], [3, 4]) == 5.0
    assert cosine_similarity([0, 0], [1, 1]) is None
    assert dot_product(None, [1]) is None


def test_neo4j_normalised_scores():
    assert lookup("vector.similarity.cosine").impl([1, 0], [-1, 0]) == pytest.approx(0.0)
    assert lookup("vector.similarity.cosine").impl([1, 2], [2, 4]) == pytest.approx(1.0)
    assert lookup("vector.similarity.euclidean").impl([0, 0], [3, 4]) == pytest.approx(1 / 26)
    assert lookup("vector.similarity.euclidean").impl([1.5], [1.5]) == 1.0


@pytest.mark.parametrize(
    ("a", "b"), [([1, 2], [1]), ([], []), ([1, "a"], [1, 2]), ("ab", [1, 2]), ([True], [1])]
)
def test_invalid_vectors(a, b):
    with pytest.raises(CypherArgumentError) as info:
        cosine_similarity(a, b)
    assert info.value.code == "InvalidArgumentValue"


def test_batch_kernels_match_the_scalar_helpers():
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(50, 8))
    matrix[7] = 0.0
    query = rng.normal(size=8)
    cosines = cosine_similarity_many(matrix, query)
    distances = euclidean_distance_many(matrix, query)
    for i, row in enumerate(matrix):
        expected = cosine_similarity(row.tolist(), query.tolist())
        if expected is None:
            assert math.isnan(cosines[i])
        else:
            assert cosines[i] == pytest.approx(expected)
        assert distances[i] == pytest.approx(euclidean_distance(row.tolist(), query.tolist()))
