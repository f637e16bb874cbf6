"""Exact top-k by MaxScore pruning: score common terms only for passages that can still win.

Terms are taken in descending order of their score bound (``bound``: the most any passage can
get from the term, from its largest tf and shortest passage). Once the bounds of the terms not
yet taken sum to less than the current k-th best partial score θ, no passage outside the
candidates can reach the top k, so those terms are only looked up for the candidates whose
partial score plus that sum can still reach θ. The survivors are then scored exactly, term by
term in query order, with the same float operations as ``PassageIndex.scores`` — the ranking is
unchanged, only the work is (``tests/test_segindex_oracle.py`` guards it against rank-bm25).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .index import FloatArray, tf_saturation

BoolArray = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.integer[Any]]  # passage numbers, whatever their width
# Bounds and partial sums are added in a different order than the exact scores; a relative
# slack far above float rounding keeps a passage that ties θ exactly.
SLACK = 1e-9
# A group threshold looks for k distinct groups among this many times k best partial scores.
GROUP_LOOKAHEAD = 4
# Looking survivors up costs a binary search each; when pruning kept many of them, scoring
# every posting at once (as PassageIndex does) is cheaper.
DENSE_FACTOR = 8


@dataclass(frozen=True, slots=True)
class TermSpan:
    """One query term's postings in one segment, with its weight and score bound."""

    docs: Ints
    tfs: npt.NDArray[np.float32]
    weight: float  # scale · idf for one occurrence of the term in the query
    count: int  # occurrences of the term in the query
    bound: float  # ≥ count · weight · saturation of every posting


def term_bound(weight: float, count: int, max_tf: float, min_norm: float) -> float:
    """Return the most one term can add to a passage's score (tf saturation grows with tf)."""
    top = tf_saturation(np.array([max_tf], np.float64), np.array([min_norm], np.float64))
    return count * weight * float(top[0])


def cutoff(theta: float) -> float:
    """Return the score a bound must reach to keep a passage, slack included."""
    return theta - SLACK * abs(theta) if math.isfinite(theta) else theta


def kth_best(values: FloatArray, k: int) -> float:
    """Return the k-th largest value, or -inf when there are fewer than k."""
    if len(values) < k or k <= 0:
        return -math.inf
    return float(np.partition(values, len(values) - k)[len(values) - k])


def group_kth_best(values: FloatArray, groups: Ints, k: int) -> float:
    """Return a score that k distinct groups reach, or -inf if the best few do not show k."""
    if len(values) < k or k <= 0:
        return -math.inf
    look = min(len(values), GROUP_LOOKAHEAD * k)
    top = np.argpartition(-values, look - 1)[:look]
    top = top[np.argsort(-values[top], kind="stable")]
    seen: set[int] = set()
    for group, value in zip(groups[top].tolist(), values[top].tolist(), strict=True):
        seen.add(group)
        if len(seen) == k:
            return float(value)
    return -math.inf


def survivors(
    spans: Sequence[TermSpan],
    norm: FloatArray,
    k: int,
    allowed: BoolArray | None,
    groups: Ints | None,
    theta: float,
) -> Ints:
    """Return (ascending) the passages that may still be in the top k; ``theta`` is a known floor.

    With ``groups``, the top k are groups ranked by their best passage.
    """
    prune = all(s.weight >= 0 for s in spans)
    order = sorted(spans, key=lambda s: -s.bound)
    rest = np.cumsum([0.0, *(s.bound for s in reversed(order))])[::-1].tolist()
    acc = np.zeros(len(norm), dtype=np.float64)
    hit = np.zeros(len(norm), dtype=np.bool_)
    taken = 0
    for step, span in enumerate(order):
        if prune and step:
            theta = max(theta, _threshold(hit, acc, groups, k))
        if prune and rest[step] < cutoff(theta):
            break
        docs, tfs = span.docs, span.tfs
        if allowed is not None:
            keep = allowed[docs]
            docs, tfs = docs[keep], tfs[keep]
        acc[docs] += (span.count * span.weight) * tf_saturation(tfs.astype(np.float64), norm[docs])
        hit[docs] = True
        taken = step + 1
    found = np.flatnonzero(hit)
    if not prune:
        return found
    theta = max(theta, _threshold(hit, acc, groups, k))
    kept: Ints = found[acc[found] + rest[taken] >= cutoff(theta)]
    return kept


def _threshold(hit: BoolArray, acc: FloatArray, groups: Ints | None, k: int) -> float:
    """Return the k-th best partial score so far: the true k-th best is at least this."""
    found = np.flatnonzero(hit)
    if groups is None:
        return kth_best(acc[found], k)
    return group_kth_best(acc[found], groups[found], k)


def exact_scores(
    spans: Sequence[TermSpan], query_order: Sequence[int], docs: Ints, norm: FloatArray
) -> tuple[FloatArray, list[BoolArray]]:
    """Score passages exactly: terms added in query order, as ``PassageIndex.scores`` does.

    Returns the scores and, per span, which of the passages hold the term.
    """
    postings = sum(len(s.docs) for s in spans)
    if len(docs) * max(1, len(spans)) * DENSE_FACTOR > postings:
        return _dense_scores(spans, query_order, docs, norm)
    at_norm = norm[docs]
    found: list[BoolArray] = []
    parts: list[FloatArray | None] = []
    for span in spans:
        if not len(span.docs) or not len(docs):
            found.append(np.zeros(len(docs), dtype=np.bool_))
            parts.append(None)
            continue
        at = np.searchsorted(span.docs, docs)
        np.minimum(at, len(span.docs) - 1, out=at)
        holds: BoolArray = span.docs[at] == docs
        # Scored at every passage, then zeroed where the term is absent: adding 0.0 leaves a
        # score unchanged, and no boolean selections are needed.
        part = span.weight * tf_saturation(span.tfs[at].astype(np.float64), at_norm)
        part *= holds
        found.append(holds)
        parts.append(part)
    total = np.zeros(len(docs), dtype=np.float64)
    for i in query_order:
        add = parts[i]
        if add is not None:
            total += add
    return total, found


def _dense_scores(
    spans: Sequence[TermSpan], query_order: Sequence[int], docs: Ints, norm: FloatArray
) -> tuple[FloatArray, list[BoolArray]]:
    """Score every posting into a dense array in query order, then read the passages off it."""
    dense = np.zeros(len(norm), dtype=np.float64)
    parts = [span.weight * tf_saturation(span.tfs.astype(np.float64), norm[span.docs])
             for span in spans]
    for i in query_order:
        dense[spans[i].docs] += parts[i]
    found = []
    for span in spans:
        holds = np.zeros(len(norm), dtype=np.bool_)
        holds[span.docs] = True
        found.append(holds[docs])
    return dense[docs], found
