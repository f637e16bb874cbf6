"""BM25Okapi over several segments, combined at open: a drop-in for ``PassageIndex``.

Each segment keeps local postings; this class adds up the corpus-wide statistics (N, each
term's document frequency, the average passage length) over the *live* passages — those of
the reports the engine serves, in the engine's order — and maps local passage numbers to the
engine's positions. Adding or removing a report therefore means another segment or a dead
range plus new statistics, never re-sorting what is already written. Queries use MaxScore
pruning (``qa.prune``); scores and order equal ``PassageIndex`` (and rank-bm25) exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .index import FloatArray, IntArray, Ranked, idf_okapi, length_norm, top_k_order
from .prune import BoolArray, Ints, TermSpan, exact_scores, group_kth_best, kth_best, survivors
from .prune import term_bound as bound_of
from .segments import Segment, SegmentError

PosArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class LiveSegment:
    """A segment as one index sees it: where its passages sit and which are alive."""

    segment: Segment
    dead: frozenset[str]  # report ids whose passages here are no longer served
    positions: PosArray | None  # engine position of each local passage (-1: dead); None: base+i
    base: int
    local_of: IntArray | None  # global term id -> local id (-1 absent); None: the same ids
    norm: FloatArray  # k1·(1 − b + b·|d|/avgdl) with the corpus avgdl

    def local_term(self, term_id: int) -> int:
        """Return the segment's id for a global term id, -1 if absent here."""
        if self.local_of is None:  # the first segment's ids are the global ids
            return term_id if term_id < len(self.segment.terms) else -1
        return int(self.local_of[term_id])

    def local_mask(self, mask: BoolArray | None) -> BoolArray | None:
        """Return a per-position mask as a per-local-passage mask (dead passages excluded)."""
        if self.positions is None:
            return None if mask is None else mask[self.base : self.base + self.segment.size]
        alive = self.positions >= 0
        return alive if mask is None else alive & mask[np.maximum(self.positions, 0)]

    def local_groups(self, groups: IntArray) -> IntArray:
        """Return each local passage's group."""
        if self.positions is None:
            return groups[self.base : self.base + self.segment.size]
        return groups[np.maximum(self.positions, 0)]

    def engine_positions(self, docs: Ints) -> PosArray:
        """Return the engine positions of local passages."""
        if self.positions is None:
            return docs.astype(np.int64) + self.base
        return self.positions[docs]


class SegmentIndex:
    """The ``PassageIndex`` interface (search, search_per_group, doc_freq, size, vocabulary)."""

    def __init__(self, live: Sequence[LiveSegment], vocabulary: dict[str, int], df: Ints,
                 idf: FloatArray, size: int, avgdl: float, order: tuple[str, ...],
                 folder: Path | None = None) -> None:
        self.folder = folder  # where the segments are stored; None: in memory only
        self.live = tuple(live)
        self.vocabulary = vocabulary
        self.df = df
        self.idf = idf
        self._size = size
        self.avgdl = avgdl
        self.order = order  # report ids in engine order

    @classmethod
    def assemble(
        cls, segments: Sequence[tuple[Segment, frozenset[str]]], order: Sequence[str],
        folder: Path | None = None,
    ) -> SegmentIndex:
        """Combine segments (each with its dead report ids) to serve ``order``'s reports."""
        positions, size = _place(segments, order)
        vocab, local_ofs, df = _union_vocabulary(segments, positions)
        idf = np.zeros(len(df), dtype=np.float64)
        present = df > 0
        idf[present] = idf_okapi(df[present].astype(np.float64), size)
        total = sum(int(seg.lens[p >= 0].sum()) for (seg, _), p in zip(segments, positions,
                                                                       strict=True))
        avgdl = total / size if size else 1.0
        live = []
        for (segment, dead), pos, local_of in zip(segments, positions, local_ofs, strict=True):
            norm = length_norm(segment.lens.astype(np.float64), avgdl=avgdl)
            base = int(pos[0]) if len(pos) else 0
            identity = len(pos) and np.array_equal(pos, np.arange(base, base + len(pos)))
            live.append(LiveSegment(segment, dead, None if identity else pos,
                                    base, local_of, norm))
        vocabulary = {t: i for t, i in vocab.items() if present[i]}
        return cls(live, vocabulary, df, idf, size, avgdl, tuple(order), folder)

    @property
    def size(self) -> int:
        """Return the number of passages served."""
        return self._size

    def doc_freq(self, term: str) -> int:
        """Return in how many served passages a term occurs."""
        t = self.vocabulary.get(term)
        return 0 if t is None else int(self.df[t])

    def term_idf(self, term: str) -> float:
        """Return a term's idf, 0 for an unknown term (as rank-bm25 does)."""
        t = self.vocabulary.get(term)
        return 0.0 if t is None else float(self.idf[t])

    def scores(
        self, query: Sequence[str], weights: Mapping[str, float] | None = None
    ) -> FloatArray:
        """Return every passage's BM25Okapi score; equal to rank-bm25's ``get_scores``."""
        total = np.zeros(self.size, dtype=np.float64)
        terms = list(dict.fromkeys(query))
        for live in self.live:
            spans, _ = self._spans(live, terms, query, weights)
            alive = live.local_mask(None)
            docs = np.arange(live.segment.size) if alive is None else np.flatnonzero(alive)
            local, _ = exact_scores(spans, _query_order(terms, query), docs, live.norm)
            total[live.engine_positions(docs)] = local
        return total

    def search(self, query: Sequence[str], k: int, allowed: BoolArray | None = None,
               weights: Mapping[str, float] | None = None) -> list[Ranked]:
        """Return the k best passages that share at least one query term, best first."""
        pos, total, holds, terms = self._best(query, k, allowed, weights, None)
        if k <= 0 or not len(pos):
            return []
        return _ranked(terms, pos, total, holds, top_k_order(total, k))

    def search_per_group(self, query: Sequence[str], k: int, groups: IntArray,
                         allowed: BoolArray | None = None,
                         weights: Mapping[str, float] | None = None) -> list[Ranked]:
        """Return the best matching passage of each group, the k best groups first."""
        pos, total, holds, terms = self._best(query, k, allowed, weights, groups)
        if k <= 0 or not len(pos):
            return []
        # As PassageIndex: by group, then best score, then position; first row per group wins.
        order = np.lexsort((pos, -total, groups[pos]))
        _, first = np.unique(groups[pos][order], return_index=True)
        winners = order[first]
        return _ranked(terms, pos, total, holds, winners[top_k_order(total[winners], k)])

    def _best(
        self, query: Sequence[str], k: int, allowed: BoolArray | None,
        weights: Mapping[str, float] | None, groups: IntArray | None,
    ) -> tuple[PosArray, FloatArray, BoolArray, list[str]]:
        """Return the passages that may be in the top k (ascending position), scored exactly."""
        terms = list(dict.fromkeys(query))
        order = _query_order(terms, query)
        theta = -math.inf
        parts: list[tuple[PosArray, FloatArray, BoolArray]] = []
        for live in self.live if k > 0 else ():
            spans, where = self._spans(live, terms, query, weights)
            if not where:
                continue
            local_groups = None if groups is None else live.local_groups(groups)
            docs = survivors([spans[i] for i in where], live.norm, k,
                             live.local_mask(allowed), local_groups, theta)
            total, found = exact_scores(spans, order, docs, live.norm)
            holds = np.stack(found, axis=1) if found else np.zeros((len(docs), 0), np.bool_)
            parts.append((live.engine_positions(docs), total, holds))
            theta = _merged_threshold(parts, k, groups)
        if not parts:
            return np.empty(0, np.int64), np.empty(0), np.zeros((0, len(terms)), bool), terms
        pos = np.concatenate([p[0] for p in parts])
        by_position = np.argsort(pos, kind="stable")
        total = np.concatenate([p[1] for p in parts])[by_position]
        holds = np.concatenate([p[2] for p in parts])[by_position]
        return pos[by_position], total, holds, terms

    def _spans(
        self, live: LiveSegment, terms: list[str], query: Sequence[str],
        weights: Mapping[str, float] | None,
    ) -> tuple[list[TermSpan], list[int]]:
        """Return one span per distinct query term (empty if absent) and which are present."""
        spans: list[TermSpan] = []
        where: list[int] = []
        seg = live.segment
        for i, term in enumerate(terms):
            t = self.vocabulary.get(term, -1)
            local = live.local_term(t) if t >= 0 else -1
            if local < 0:
                spans.append(TermSpan(seg.docs[:0], seg.tfs[:0], 0.0, 0, 0.0))
                continue
            scale = weights.get(term, 1.0) if weights else 1.0
            weight = scale * float(self.idf[t])
            first, last = int(seg.indptr[local]), int(seg.indptr[local + 1])
            min_norm = _norm_of(int(seg.minlen[local]), self.avgdl)
            count = sum(1 for q in query if q == term)
            spans.append(TermSpan(seg.docs[first:last], seg.tfs[first:last], weight, count,
                                  bound_of(weight, count, float(seg.maxtf[local]), min_norm)))
            where.append(i)
        return spans, where


def _norm_of(length: int, avgdl: float) -> float:
    """Return one passage length's norm, as ``length_norm`` computes it."""
    return float(length_norm(np.array([length], np.float64), avgdl=avgdl)[0])


def _query_order(terms: list[str], query: Sequence[str]) -> list[int]:
    """Return, for each query token (repeats included), its distinct term's number."""
    number = {t: i for i, t in enumerate(terms)}
    return [number[q] for q in query]


def _merged_threshold(
    parts: list[tuple[PosArray, FloatArray, BoolArray]], k: int, groups: IntArray | None
) -> float:
    """Return the k-th best exact score (or group score) among the segments scored so far."""
    total = np.concatenate([p[1] for p in parts])
    if groups is None:
        return kth_best(total, k)
    return group_kth_best(total, groups[np.concatenate([p[0] for p in parts])], k)


def _ranked(terms: list[str], pos: PosArray, total: FloatArray, holds: BoolArray,
            picks: npt.NDArray[np.intp]) -> list[Ranked]:
    return [Ranked(int(pos[i]), float(total[i]),
                   tuple(t for t, h in zip(terms, holds[i].tolist(), strict=True) if h))
            for i in picks.tolist()]


def _place(
    segments: Sequence[tuple[Segment, frozenset[str]]], order: Sequence[str]
) -> tuple[list[PosArray], int]:
    """Return each segment's engine positions (-1 dead) and the number of served passages."""
    where: dict[str, tuple[int, int, int]] = {}
    for s, (segment, dead) in enumerate(segments):
        for report_id, (first, last) in segment.starts().items():
            if report_id in dead:
                continue
            if report_id in where:
                raise SegmentError(f"report {report_id} is live in two segments")
            where[report_id] = (s, first, last)
    positions = [np.full(seg.size, -1, dtype=np.int64) for seg, _ in segments]
    at = 0
    for report_id in order:
        if report_id not in where:
            raise SegmentError(f"report {report_id} is in no segment")
        s, first, last = where[report_id]
        positions[s][first:last] = np.arange(at, at + last - first)
        at += last - first
    return positions, at


def _union_vocabulary(
    segments: Sequence[tuple[Segment, frozenset[str]]], positions: list[PosArray]
) -> tuple[dict[str, int], list[IntArray | None], Ints]:
    """Return the global term ids, each segment's global→local map, and the live df."""
    vocab: dict[str, int] = {}
    globals_of: list[Ints] = []
    for segment, _ in segments:
        if not vocab:
            vocab = dict(zip(segment.terms, range(len(segment.terms)), strict=True))
        else:
            for term in segment.terms:
                vocab.setdefault(term, len(vocab))
        globals_of.append(np.array([vocab[t] for t in segment.terms], dtype=np.int64)
                          if len(globals_of) else np.arange(len(segment.terms)))
    df = np.zeros(len(vocab), dtype=np.int64)
    local_ofs: list[IntArray | None] = []
    for (segment, _), pos, gids in zip(segments, positions, globals_of, strict=True):
        df[gids] += _live_df(segment, pos >= 0)
        if len(local_ofs) == 0:
            local_ofs.append(None)
            continue
        local_of = np.full(len(vocab), -1, dtype=np.int32)
        local_of[gids] = np.arange(len(gids), dtype=np.int32)
        local_ofs.append(local_of)
    return vocab, local_ofs, df


def _live_df(segment: Segment, alive: BoolArray) -> Ints:
    """Return each local term's number of live passages."""
    if alive.all():
        return np.diff(segment.indptr)
    term_of = np.repeat(np.arange(len(segment.terms)), np.diff(segment.indptr))
    return np.bincount(term_of[alive[segment.docs]], minlength=len(segment.terms))
