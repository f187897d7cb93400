"""Id-set helpers of the graph layer."""

from __future__ import annotations

import numpy as np
import pytest

from namidb_cypher.graph.base import in_sorted


@pytest.mark.parametrize("seed", range(5))
def test_in_sorted_is_isin_for_sorted_unique_sets(seed):
    rng = np.random.default_rng(seed)
    members = np.unique(rng.integers(0, 500, size=rng.integers(0, 60))).astype(np.int64)
    for n in (0, 1, 7, 300):
        ids = rng.integers(-5, 520, size=n).astype(np.int64)  # below, inside and past the set
        assert np.array_equal(in_sorted(ids, members), np.isin(ids, members))


def test_in_sorted_edges():
    members = np.array([2, 5, 9], dtype=np.int64)
    assert in_sorted(np.array([9, 10, 2, 0], dtype=np.int64), members).tolist() == [True, False, True, False]
    assert in_sorted(np.array([1], dtype=np.int64), np.empty(0, dtype=np.int64)).tolist() == [False]
