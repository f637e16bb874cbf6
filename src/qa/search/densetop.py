"""Exact top-k by scoring every posting at once, from cached whole-list saturations.

Two uses: queries whose postings are few next to the segment (one scatter-add costs less than
the rounds of ``qa.topk``), and the fallback of queries of many common terms whose prefix bounds
never fall below θ. ``np.bincount`` adds the weights in array order, so with the postings laid
out term after term in query order every passage's score is the same sum of the same float
terms, from 0.0, as ``PassageIndex.scores`` computes: the ranking is exact
(``tests/test_topk_oracle.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .bm25 import FloatArray
from .prune import BoolArray, Ints, TermSpan, cutoff, holding
from .sortedsets import sorted_union
from .topk import Candidates, Rank

# θ is read off about this many passages of the rarest term (evenly spread), at most.
RAREST_SAMPLE = 2048


class Scratch(threading.local):
    """Per-thread buffers that ``scatter_scores`` fills, reused from one query to the next.

    A query of many common terms lays out millions of postings: fresh arrays of that size are
    new pages for the kernel to fault in and zero (at 10⁶, 1.5 M postings: ≈ 6 ms of the
    scatter's 13 ms), reused ones are not. Each thread keeps its own (the bot may query from
    several); they hold the longest query's postings so far, 16 bytes each.
    """

    def __init__(self) -> None:
        self.postings: npt.NDArray[np.intp] = np.empty(0, dtype=np.intp)
        self.gains: FloatArray = np.empty(0, dtype=np.float64)

    def take(self, count: int) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """Return buffers of ``count`` entries (contents undefined)."""
        if len(self.postings) < count:
            self.postings = np.empty(count, dtype=np.intp)
            self.gains = np.empty(count, dtype=np.float64)
        return self.postings[:count], self.gains[:count]


def scatter_scores(spans: Sequence[TermSpan], tokens: Sequence[int],
                   saturations: Sequence[FloatArray | None], size: int,
                   scratch: Scratch | None = None) -> FloatArray:
    """Return every passage's score: each query token's weighted saturations added in order.

    ``tokens`` lists, per query token, its span; ``saturations[i]`` are span i's whole list's;
    ``scratch``: buffers to lay the postings out in (fresh ones if None).
    """
    count = sum(len(spans[i].docs) for i in tokens)
    # Filled in place, one pass each; intp passages spare bincount a cast of its own.
    postings, gains = (scratch or Scratch()).take(count)
    at = 0
    for i in tokens:
        sats = saturations[i]
        assert sats is not None, "a query token without saturations"
        end = at + len(sats)
        postings[at:end] = spans[i].docs
        np.multiply(spans[i].weight, sats, out=gains[at:end])
        at = end
    dense = np.bincount(postings, weights=gains, minlength=size)
    return dense.astype(np.float64, copy=False)  # already float64 (weights); typed so


def dense_top(
    spans: Sequence[TermSpan], tokens: Sequence[int], saturations: Sequence[FloatArray | None],
    size: int, mask: BoolArray | None, rank: Rank, theta: float,
    scores: FloatArray | None = None,
) -> Candidates:
    """Return the passages that may be in the top k, scored exactly, from scores of all.

    ``rank`` reads θ off scored passages (k-th best score or group score); ``theta`` is one
    already reached (-inf if none). ``scores``: what ``scatter_scores`` returns for these
    arguments, when the caller already has it (read, never written).
    """
    dense = scatter_scores(spans, tokens, saturations, size) if scores is None else scores
    positive = all(spans[i].weight > 0 for i in tokens)
    if positive and not cutoff(theta) > 0:
        theta = max(theta, _rarest_theta(spans, tokens, dense, mask, rank))
    docs: Ints
    if not positive:  # a score of 0 or below may still hold a term (and rank)
        held = np.zeros(size, dtype=np.bool_)
        for i in tokens:
            held[spans[i].docs] = True
        docs = np.flatnonzero(held if mask is None else held & mask)
    elif cutoff(theta) > 0:
        # Only passages at or above a k-th best score already reached can rank.
        docs = np.flatnonzero(dense >= cutoff(theta))
        docs = docs if mask is None else docs[mask[docs]]
    else:  # fewer than k passages hold the query's terms
        docs = np.flatnonzero(dense > 0 if mask is None else (dense > 0) & mask)
    theta = max(theta, rank(docs, dense[docs]))
    docs = docs[dense[docs] >= cutoff(theta)]
    # The scores are already exact; what is left to find is which terms each passage holds.
    return Candidates(docs, dense[docs], holding(spans, docs))


def _rarest_theta(spans: Sequence[TermSpan], tokens: Sequence[int], dense: FloatArray,
                  mask: BoolArray | None, rank: Rank) -> float:
    """Return the θ that the passages holding the rarest query term reach (a lower bound).

    The top k usually hold the rarest term, so its few passages give a θ near the final one
    for the price of reading them, not a partition of the whole segment.
    """
    by_df = sorted({i for i in tokens if len(spans[i].docs)}, key=lambda i: len(spans[i].docs))
    docs: Ints = np.empty(0, np.int32)
    for i in by_df:  # the next rarest too while fewer than k passages show
        more = spans[i].docs if mask is None else spans[i].docs[mask[spans[i].docs]]
        # Every few of a long list are enough for a θ; the scan of all scores does the rest.
        more = more[:: max(1, len(more) // RAREST_SAMPLE)]
        docs = sorted_union(docs, more) if len(docs) else more  # both ascending
        theta = rank(docs, dense[docs])
        if theta > -np.inf:
            return theta
    return -np.inf
