"""Randomized cross-checks: the four relations must agree with each other on arbitrary values."""

from __future__ import annotations

import math
import random

import pytest

from namidb_cypher.semantics.compare import compare, equals, equivalent, group_key, order_key
from namidb_cypher.values import Node, Path, Relationship

NODES = [Node(i, ("L",)) for i in range(3)]
RELS = [Relationship(i, "T", 0, 1) for i in range(2)]
PATHS = [Path((NODES[0], NODES[1]), (RELS[0],)), Path((NODES[1],), ())]


def random_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(12 if depth < 2 else 8)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.randint(-3, 3)
    if kind == 3:
        return rng.choice([-1.5, 0.0, -0.0, 1.0, 2.0, 2.5, math.nan, math.inf])
    if kind == 4:
        return rng.choice(["", "a", "b", "ab", "B"])
    if kind == 5:
        return rng.choice(NODES)
    if kind == 6:
        return rng.choice(RELS)
    if kind == 7:
        return rng.choice(PATHS)
    if kind in (8, 9, 10):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {k: random_value(rng, depth + 1) for k in rng.sample("abc", rng.randrange(3))}


def contains_nan_or_null(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, list):
        return any(contains_nan_or_null(v) for v in value)
    if isinstance(value, dict):
        return any(contains_nan_or_null(v) for v in value.values())
    return False


def pairs(seed: int, n: int = 3000):
    rng = random.Random(seed)
    for _ in range(n):
        yield random_value(rng), random_value(rng)


@pytest.mark.parametrize("seed", range(4))
def test_order_agrees_with_comparison_where_defined(seed):
    for a, b in pairs(seed):
        result = compare(a, b)
        if result is None or (isinstance(result, float) and math.isnan(result)):
            continue
        ka, kb = order_key(a), order_key(b)
        assert ((ka > kb) - (ka < kb)) == ((result > 0) - (result < 0)), (a, b)


@pytest.mark.parametrize("seed", range(4))
def test_equality_implies_equivalence_and_back(seed):
    for a, b in pairs(seed):
        equal = equals(a, b)
        same = equivalent(a, b)
        if equal is True:
            assert same, (a, b)
        if same and not contains_nan_or_null(a):
            assert equal is True, (a, b)
        if equal is False and not contains_nan_or_null(a):
            assert not same, (a, b)  # (NaN = NaN is false, yet NaN is equivalent to NaN)


@pytest.mark.parametrize("seed", range(4))
def test_equivalence_agrees_with_hashing_and_order(seed):
    for a, b in pairs(seed):
        if equivalent(a, b):
            assert hash(group_key(a)) == hash(group_key(b))
            assert not order_key(a) < order_key(b), (a, b)  # equivalent values never order apart
            assert not order_key(b) < order_key(a), (a, b)


@pytest.mark.parametrize("seed", range(4))
def test_order_is_total_and_transitive(seed):
    rng = random.Random(seed)
    values = [random_value(rng) for _ in range(400)]
    ordered = sorted(values, key=order_key)
    keys = [order_key(v) for v in ordered]
    assert all(not keys[i + 1] < keys[i] for i in range(len(keys) - 1))


def test_equality_is_symmetric():
    for a, b in pairs(99):
        assert equals(a, b) == equals(b, a), (a, b)
        reverse = compare(b, a)
        forward = compare(a, b)
        if forward is None:
            assert reverse is None
        elif isinstance(forward, float) and math.isnan(forward):
            assert isinstance(reverse, float)
            assert math.isnan(reverse)
        else:
            assert (forward > 0) - (forward < 0) == -((reverse > 0) - (reverse < 0))
