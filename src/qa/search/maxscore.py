"""Exact top-k by MaxScore: only the lists of the terms that can lift a passage to θ are read.

With a θ already reached (k passages score at least θ), sort the query's terms by their largest
contribution (count · weight · largest saturation). The terms with the smallest ones, as long as
those add up to less than θ, are *non-essential*: a passage holding none of the other terms
cannot reach θ. So candidates come only from the *essential* terms' lists (a query's rare
terms, whose lists are short), each bounded by what it gets from them plus the non-essential
terms' largest contributions; the best few are scored exactly to raise θ, the non-essential
terms are looked up while the bounds still reach it (most uncertain first, ``qa.topk``'s
``bounded``), and the survivors are scored exactly, term by term in query order as
``PassageIndex.scores`` adds them. It can serve the queries of many common terms that the
threshold algorithm gives up on: their common lists (most of their postings) are never read
in full. The ranking is unchanged (``tests/search/test_maxscore.py`` and the oracle tests).
With tf tables for the common terms (lookups without binary searches) and a θ seeded near the
final one, it serves the queries whose essential lists are a small share of their postings
(``TopKPolicy.maxscore_share``; docs/benchmarks.md, "Lookups in tables"); the compound words of
a question (理论武装 inside 武装) keep its bounds loose, so the lookups go in the order that
lowers the bounds most (``qa.topk``'s ``bounded``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .bm25 import FloatArray
from .prune import BoolArray, Ints, TermSpan, cutoff, exact_scores
from .topk import Candidates, Rank, bounded, distinct

Saturations = Callable[[int], FloatArray]  # span i -> its whole list's saturations
Heads = Callable[[int], Ints]  # span i -> its passages, largest saturation first (a prefix)


def split_terms(tops: Sequence[float], floor: float) -> tuple[list[int], float]:
    """Return the essential spans (by number) and the non-essential ones' summed largest score.

    ``tops[i]``: the largest score span i adds to a passage (0 when absent). Spans go smallest
    first into the non-essential set while their sum stays below ``floor``.
    """
    spent = 0.0
    essential: list[int] = []
    for i in sorted(range(len(tops)), key=lambda i: tops[i]):
        if not essential and spent + tops[i] < floor:
            spent += tops[i]
        elif tops[i] > 0.0:
            essential.append(i)
    return sorted(essential), spent


def maxscore_reads(spans: Sequence[TermSpan], tops: Sequence[float], theta: float) -> int:
    """Return what MaxScore costs at θ, in postings: each essential posting is read, and its
    passage may be looked up in every non-essential list searched by binary search (one
    with a tf table, ``qa.tftables``, is a read per passage left: not counted); all postings
    without a θ."""
    floor = cutoff(theta)
    if not floor > 0:
        return sum(len(s.docs) for s in spans)
    essential, _ = split_terms(tops, floor)
    searched = sum(1 for i, top in enumerate(tops)
                   if top > 0.0 and i not in essential and spans[i].table is None)
    return sum(len(spans[i].docs) for i in essential) * (1 + searched)


def maxscore_top(
    spans: Sequence[TermSpan], query_order: Sequence[int], norm: FloatArray,
    saturations: Saturations, heads: Heads, tops: Sequence[float],
    keep: Callable[[Ints], BoolArray], rank: Rank, theta: float, batch: int,
) -> tuple[Candidates, float]:
    """Return candidates holding the exact top k, and the θ reached.

    ``theta`` must be reached by k passages already (finite and positive: a positive θ means
    every term's weight counted, as the threshold algorithm requires non-negative weights);
    ``tops[i]`` bounds what span i adds to any passage.
    """
    theta = max(theta, _heads_theta(spans, query_order, norm, heads, tops, keep, rank, theta,
                                    batch))
    floor = cutoff(theta)
    essential, rest = split_terms(tops, floor)
    if not essential:  # only rounding can get here: every term's bound adds up to θ
        essential, rest = [i for i in range(len(spans)) if len(spans[i].docs)], 0.0
    scales = [spans[i].count * spans[i].weight for i in range(len(spans))]
    docs = np.concatenate([spans[i].docs for i in essential])
    gains = np.concatenate([scales[i] * saturations(i) for i in essential])
    union, where = distinct(docs, len(norm), runs=True)
    upper = np.bincount(where, weights=gains, minlength=len(union)).astype(np.float64, copy=False)
    upper += rest  # what the non-essential terms could add at most
    alive = upper >= floor
    union, upper = union[alive], upper[alive]
    ok = keep(union)
    if not ok.all():
        union, upper = union[ok], upper[ok]
    if len(union) > batch:
        # The best bounds are the likely winners: scoring them first raises θ.
        first = np.sort(np.argpartition(-upper, batch)[:batch])
        total, _ = exact_scores(spans, query_order, union[first], norm)
        theta = max(theta, rank(union[first], total))
        others = [(spans[i], scales[i], tops[i]) for i in range(len(spans))
                  if i not in essential and tops[i] > 0.0]
        union = union[bounded(others, norm, union, upper, cutoff(theta))]
    total, found = exact_scores(spans, query_order, union, norm)
    return Candidates(union, total, found), max(theta, rank(union, total))


def _heads_theta(
    spans: Sequence[TermSpan], query_order: Sequence[int], norm: FloatArray, heads: Heads,
    tops: Sequence[float], keep: Callable[[Ints], BoolArray], rank: Rank, theta: float,
    batch: int,
) -> float:
    """Return the θ reached by the passages where the essential terms weigh most (exactly).

    The higher θ, the fewer terms are essential; the winners usually hold a query's rarest
    terms at their best, so these few passages give a θ near the final one.
    """
    essential, _ = split_terms(tops, cutoff(theta))
    if not essential:
        return -np.inf
    docs = np.unique(np.concatenate([heads(i)[:batch] for i in essential]))
    docs = docs[keep(docs)]
    total, _ = exact_scores(spans, query_order, docs, norm)
    return rank(docs, total)
