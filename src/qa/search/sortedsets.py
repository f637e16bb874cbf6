"""Set operations on arrays already sorted, without ``np.unique``'s sort.

numpy 2.4's ``np.unique`` sorts (or hashes) whatever it is given; the per-group paths and θ
sampling hand it arrays that are sorted already, where one comparison of neighbours does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Sorted = npt.NDArray[np.integer[Any]]


def run_starts(values: Sorted) -> npt.NDArray[np.intp]:
    """Return where each run of equal values starts in a sorted array.

    What ``np.unique(values, return_index=True)[1]`` returns for sorted values.
    """
    starts = np.empty(len(values), dtype=np.bool_)
    starts[:1] = True
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    return np.flatnonzero(starts)


def sorted_union(a: Sorted, b: Sorted) -> Sorted:
    """Return the distinct values of two sorted arrays, ascending: ``np.union1d(a, b)``."""
    both = np.concatenate((a, b))
    both.sort(kind="stable")  # two sorted runs: a merge
    return both[run_starts(both)]
