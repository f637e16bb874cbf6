"""Exact scoring helpers shared by the top-k paths: term spans, θ thresholds, exact scores.

``exact_scores`` scores chosen passages term by term in query order, with the same float
operations as ``PassageIndex.scores``, so any pruning built on these keeps the ranking
(``tests/test_segindex_oracle.py`` and ``tests/test_topk_oracle.py`` guard it against
rank-bm25). θ helpers read the k-th best score (or group score) off scored passages; ``cutoff``
adds the slack that keeps a passage tying θ (it could still win on position).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .bm25 import FloatArray, locate, tf_saturation
from .tftables import TfTable, table_tfs

BoolArray = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.integer[Any]]  # passage numbers, whatever their width
# Bounds and partial sums are added in a different order than the exact scores; a relative
# slack far above float rounding keeps a passage that ties θ exactly.
SLACK = 1e-9
# A group threshold looks for k distinct groups among this many times k best partial scores.
GROUP_LOOKAHEAD = 4
# Looking passages up costs a binary search each; when there are many of them, scoring every
# posting at once (as PassageIndex does) is cheaper.
DENSE_FACTOR = 8


@dataclass(frozen=True, slots=True)
class TermSpan:
    """One query term's postings in one segment, with its weight."""

    docs: Ints
    tfs: npt.NDArray[np.float32]
    weight: float  # scale · idf for one occurrence of the term in the query
    count: int  # occurrences of the term in the query
    # The term's tf at every passage of the segment, for common terms (``qa.tftables``):
    # lookups read it instead of searching ``docs``. None: search.
    table: TfTable | None = None


def span_tfs(span: TermSpan, docs: Ints) -> tuple[FloatArray, BoolArray]:
    """Return each passage's tf of the span's term (any value where absent) and which hold it.

    ``docs`` ascending, the span not empty. A table answers with one read per passage, the
    postings with a binary search.
    """
    if span.table is not None:
        return table_tfs(span.table, docs)
    at = locate(span.docs, docs)
    holds: BoolArray = span.docs[at] == docs
    return span.tfs[at].astype(np.float64), holds


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
        tf, holds = span_tfs(span, docs)
        # Scored at every passage, then zeroed where the term is absent: adding 0.0 leaves a
        # score unchanged, and no boolean selections are needed.
        part = span.weight * tf_saturation(tf, at_norm)
        part *= holds
        found.append(holds)
        parts.append(part)
    total = np.zeros(len(docs), dtype=np.float64)
    for i in query_order:
        add = parts[i]
        if add is not None:
            total += add
    return total, found


def holding(spans: Sequence[TermSpan], docs: Ints) -> list[BoolArray]:
    """Return, per span, which of the passages (ascending) hold its term."""
    if spans and len(docs):
        # Cast once to the postings' width, not once per span (``locate`` casts otherwise).
        docs = docs.astype(spans[0].docs.dtype, copy=False)
    return [span_tfs(span, docs)[1] if len(span.docs) and len(docs)
            else np.zeros(len(docs), dtype=np.bool_) for span in spans]


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
