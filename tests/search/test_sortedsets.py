"""Set operations on sorted arrays equal numpy's general ones (which sort again)."""

from __future__ import annotations

import numpy as np
import pytest

from qa.search.sortedsets import run_starts, sorted_union


@pytest.mark.parametrize("seed", range(20))
def test_run_starts_are_np_unique_first_indices_of_sorted_values(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = np.sort(rng.integers(0, rng.integers(1, 50), rng.integers(0, 200))).astype(np.int32)
    _, first = np.unique(values, return_index=True)
    assert np.array_equal(run_starts(values), first)


@pytest.mark.parametrize("seed", range(20))
def test_sorted_union_is_np_union1d_of_two_ascending_sets(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = np.unique(rng.integers(0, 300, rng.integers(0, 100))).astype(np.int32)
    b = np.unique(rng.integers(0, 300, rng.integers(0, 100))).astype(np.int32)[::2]
    union = sorted_union(a, b)
    assert np.array_equal(union, np.union1d(a, b))
    assert union.dtype == np.union1d(a, b).dtype


def test_empty_and_single_arrays() -> None:
    empty = np.empty(0, np.int64)
    assert run_starts(empty).tolist() == []
    assert run_starts(np.array([7])).tolist() == [0]
    assert sorted_union(empty, np.array([3, 5])).tolist() == [3, 5]
    assert run_starts(np.array([1, 1, 2, 2, 2, 9])).tolist() == [0, 2, 5]
