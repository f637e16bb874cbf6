"""BM25Okapi over several segments, combined at open: a drop-in for ``PassageIndex``.

Each segment keeps local postings; this class adds up the corpus-wide statistics (N, each
term's document frequency, the average passage length) over the *live* passages — those of
the reports the engine serves, in the engine's order — and maps local passage numbers to the
engine's positions. Adding or removing a report therefore means another segment or a dead
range plus new statistics, never re-sorting what is already written. A query with few
postings for its segment is scored at once from cached saturations (``qa.densetop``); others
run the threshold algorithm over impact-ordered prefixes (``qa.topk``) and fall back to the
former when the prefixes would have to be long. Scores and order equal ``PassageIndex`` (and
rank-bm25) exactly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .bm25 import FloatArray, IntArray, Ranked, idf_okapi, length_norm, tf_saturation, top_k_order
from .densetop import Scratch, dense_top, scatter_scores
from .maxscore import maxscore_reads, maxscore_top
from .prune import BoolArray, Ints, TermSpan, cutoff, exact_scores, group_kth_best, kth_best
from .segassembly import PosArray, place, union_vocabulary
from .segments import Segment
from .sortedsets import run_starts
from .tftables import (
    TABLE_BYTES,
    TABLE_BYTES_SHARE,
    TableCache,
    TfTable,
    tf_table,
    wants_table,
)
from .topk import (
    CACHE_ENTRIES,
    DEFAULT_POLICY,
    Candidates,
    Impact,
    ImpactCache,
    Rank,
    TopKPolicy,
    impact,
    threshold_top,
)

# Candidates scored first to raise θ before the rest are pruned by their bounds.
BATCH = 128
# Entries of the dense fallback's saturation cache (SegmentIndex.saturations), at least.
SATURATION_ENTRIES = 1 << 24
# Past the fixed sizes (sized at 10⁶ passages), each cache may hold this share of the index's
# postings: a fixed size lets a 10⁷ index's longer lists evict each other on every query
# (docs/benchmarks.md, "10⁷ measured once"). 1/16 and 1/4 leave 10⁶ (57 M postings) as it was.
PREFIX_SHARE_OF_POSTINGS = 16
SATURATION_SHARE_OF_POSTINGS = 4
# What a segment's scores of every passage depend on: its terms in query order, their weights.
ScoresKey = tuple[tuple[int, ...], tuple[float, ...]]


@dataclass(frozen=True, slots=True, eq=False)
class LiveSegment:
    """A segment as one index sees it: where its passages sit and which are alive."""

    segment: Segment
    dead: frozenset[str]  # report ids whose passages here are no longer served
    positions: PosArray | None  # engine position of each local passage (-1: dead); None: base+i
    base: int
    local_of: IntArray | None  # global term id -> local id (-1 absent); None: the same ids
    norm: FloatArray  # k1·(1 − b + b·|d|/avgdl) with the corpus avgdl
    # The segment's postings as plain ndarray views: slicing a memmap costs a subclass
    # finalisation per call, which adds up at a few microseconds per numpy call.
    indptr: Ints
    docs: Ints
    tfs: npt.NDArray[np.float32]

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

    def keep(self, docs: Ints, allowed: BoolArray | None) -> BoolArray:
        """Return which local passages are alive and, by engine position, allowed."""
        if self.positions is None:
            if allowed is None:
                return np.ones(len(docs), dtype=np.bool_)
            ok: BoolArray = allowed[docs + self.base]
            return ok
        pos = self.positions[docs]
        ok = pos >= 0
        if allowed is not None:
            ok &= allowed[np.maximum(pos, 0)]
        return ok

    def engine_positions(self, docs: Ints) -> PosArray:
        """Return the engine positions of local passages."""
        if self.positions is None:
            return docs.astype(np.int64) + self.base
        return self.positions[docs]


class SegmentIndex:
    """The ``PassageIndex`` interface (search, search_per_group, doc_freq, size, vocabulary)."""

    def __init__(self, live: Sequence[LiveSegment], vocabulary: dict[str, int], df: Ints,
                 idf: FloatArray, size: int, avgdl: float, order: tuple[str, ...],
                 folder: Path | None = None, policy: TopKPolicy = DEFAULT_POLICY) -> None:
        self.folder = folder  # where the segments are stored; None: in memory only
        self.policy = policy  # pruning or scoring at once: speed only, never the result
        self.dense_calls = 0  # segments scored at once so far (benchmarks and tests read it)
        self.maxscore_calls = 0  # segments answered from the essential terms' lists
        self.live = tuple(live)
        # Every segment serves its passages in its own order (no dead or moved reports).
        self._in_order = all(one.positions is None for one in self.live)
        self.vocabulary = vocabulary
        self.df = df
        self.idf = idf
        self._size = size
        self.avgdl = avgdl
        self.order = order  # report ids in engine order
        # Built lazily per (segment, term) with this index's avgdl; bounded (qa.topk).
        self.impacts = ImpactCache(cache_entries(self.live, CACHE_ENTRIES,
                                                 PREFIX_SHARE_OF_POSTINGS))
        # Whole lists' saturations for the dense fallback, apart: a few common terms would
        # otherwise push every prefix out of the cache above. 8 bytes an entry (the passages
        # are the segment's own mapped array), ≤ 128 MiB per open index up to ≈ 6·10⁷ postings.
        self.saturations = ImpactCache(cache_entries(self.live, SATURATION_ENTRIES,
                                                     SATURATION_SHARE_OF_POSTINGS))
        # Common terms' tf at every passage, for lookups without a binary search (bytes).
        self.tables = TableCache(cache_entries(self.live, TABLE_BYTES, TABLE_BYTES_SHARE))
        # Buffers the dense scatter lays postings out in, per thread (``qa.densetop``).
        self._scratch = Scratch()
        # Per segment, the last query's scores of every passage (``_scores``).
        self._last_scores: dict[int, tuple[LiveSegment, ScoresKey, FloatArray]] = {}

    @classmethod
    def assemble(
        cls, segments: Sequence[tuple[Segment, frozenset[str]]], order: Sequence[str],
        folder: Path | None = None, policy: TopKPolicy = DEFAULT_POLICY,
    ) -> SegmentIndex:
        """Combine segments (each with its dead report ids) to serve ``order``'s reports."""
        positions, size = place(segments, order)
        vocab, local_ofs, df = union_vocabulary(segments, positions)
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
            live.append(LiveSegment(segment, dead, None if identity else pos, base, local_of,
                                    norm, np.asarray(segment.indptr), np.asarray(segment.docs),
                                    np.asarray(segment.tfs)))
        vocabulary = {t: i for t, i in vocab.items() if present[i]}
        return cls(live, vocabulary, df, idf, size, avgdl, tuple(order), folder, policy)

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
        for s, live in enumerate(self.live):
            spans, _ = self._spans(s, live, terms, query, weights)
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
        first = run_starts(groups[pos][order])  # sorted by group: each group's first row
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
        for s, live in enumerate(self.live if k > 0 else ()):
            spans, local = self._spans(s, live, terms, query, weights)
            if max(local, default=-1) < 0:
                continue
            found = self._candidates(s, live, spans, local, order, k, allowed, groups, theta)
            # One C call and a transposed view: np.stack's Python steps cost more here.
            holds = (np.array(found.found).T if found.found
                     else np.zeros((len(found.docs), 0), np.bool_))
            parts.append((live.engine_positions(found.docs), found.total, holds))
            if s + 1 < len(self.live):  # the next segment starts from the θ reached so far
                theta = _merged_threshold(parts, k, groups)
        if not parts:
            return np.empty(0, np.int64), np.empty(0), np.zeros((0, len(terms)), bool), terms
        if len(parts) == 1 and self._in_order:
            # One segment served in its own order: its passages are already ascending.
            return (*parts[0], terms)
        pos = np.concatenate([p[0] for p in parts])
        by_position = np.argsort(pos, kind="stable")
        total = np.concatenate([p[1] for p in parts])[by_position]
        holds = np.concatenate([p[2] for p in parts])[by_position]
        return pos[by_position], total, holds, terms

    def _candidates(
        self, s: int, live: LiveSegment, spans: list[TermSpan], local: list[int],
        order: list[int], k: int, allowed: BoolArray | None, groups: IntArray | None,
        theta: float,
    ) -> Candidates:
        """Return one segment's passages that may be in the top k, scored exactly."""
        mask = None if allowed is None else live.local_mask(allowed)
        if mask is not None and np.count_nonzero(mask) <= self.policy.few_allowed:
            return _score_all(spans, order, np.flatnonzero(mask), live.norm)
        postings = sum(len(span.docs) for span in spans)
        # Few postings for the segment: one scatter-add beats rounds of pruning.
        few = postings + live.segment.size / 4 <= self.policy.dense_first
        if not few and all(span.weight >= 0 for span in spans):
            found, theta = threshold_top(
                spans, order, live.norm, self._impacts(s, live, spans, local),
                lambda docs: live.keep(docs, allowed), _ranker(live, k, groups), theta,
                max(BATCH, 4 * k), self.policy)
            if found is not None:
                return found
            if self.policy.maxscore and cutoff(theta) > 0:
                return self._maxscore(s, live, spans, local, order, k, allowed, groups, theta)
        return self._dense(s, live, spans, local, order, k, allowed, groups, theta)

    def _maxscore(
        self, s: int, live: LiveSegment, spans: list[TermSpan], local: list[int],
        order: list[int], k: int, allowed: BoolArray | None, groups: IntArray | None,
        theta: float,
    ) -> Candidates:
        """Read only the essential terms' lists in full (``qa.maxscore``), else score all."""
        heads = self._impacts(s, live, spans, local)
        # An impact prefix starts with the list's largest saturation.
        tops = [span.count * span.weight * float(heads(i).sats[0]) if len(span.docs) else 0.0
                for i, span in enumerate(spans)]
        postings = sum(len(span.docs) for span in spans)
        if maxscore_reads(spans, tops, theta) * self.policy.maxscore_share > postings:
            return self._dense(s, live, spans, local, order, k, allowed, groups, theta)
        self.maxscore_calls += 1
        found, _ = maxscore_top(
            spans, order, live.norm, lambda i: self._saturations(s, live, spans[i], local[i]),
            lambda i: heads(i).docs, tops, lambda docs: live.keep(docs, allowed),
            _ranker(live, k, groups), theta, max(BATCH, 4 * k))
        return found

    def _dense(
        self, s: int, live: LiveSegment, spans: list[TermSpan], local: list[int],
        order: list[int], k: int, allowed: BoolArray | None, groups: IntArray | None,
        theta: float,
    ) -> Candidates:
        """Score every posting at once from cached saturations (``qa.densetop``)."""
        self.dense_calls += 1
        sats = [self._saturations(s, live, span, t) if t >= 0 else None
                for span, t in zip(spans, local, strict=True)]
        tokens = [i for i in order if local[i] >= 0]
        scores = self._scores(s, live, spans, tokens, local, sats)
        return dense_top(spans, tokens, sats, live.segment.size, live.local_mask(allowed),
                         _ranker(live, k, groups), theta, scores)

    def _scores(self, s: int, live: LiveSegment, spans: list[TermSpan], tokens: list[int],
                local: list[int], sats: list[FloatArray | None]) -> FloatArray:
        """Return every passage's score in segment s, the last query's again if repeated.

        A per-report search asks the same query twice, for its best passages and for each
        report's best (``qa.answer.retrieve``): the second scores nothing. The scores depend
        only on the segment, its terms in query order and their weights: that is the key.
        """
        key = (tuple(local[i] for i in tokens), tuple(spans[i].weight for i in tokens))
        last = self._last_scores.get(s)
        if last is not None and last[0] is live and last[1] == key:
            return last[2]
        scores = scatter_scores(spans, tokens, sats, live.segment.size, self._scratch)
        scores.flags.writeable = False  # shared by the calls that repeat the query
        self._last_scores[s] = (live, key, scores)
        return scores

    def _saturations(self, s: int, live: LiveSegment, span: TermSpan, local: int) -> FloatArray:
        """Return every posting's saturation for one term, cached apart from the prefixes."""
        def build(_: int) -> Impact:
            sats = tf_saturation(span.tfs.astype(np.float64), live.norm[span.docs])
            return Impact(span.docs, sats, 0.0)  # the whole list, in posting order
        return self.saturations.get((s, local), len(span.docs), build).sats

    def _impacts(self, s: int, live: LiveSegment, spans: list[TermSpan],
                 local: list[int]) -> Callable[[int], Impact]:
        """Return the impact prefix of span i (segment s), from the cache or built now."""
        def get(i: int) -> Impact:
            span = spans[i]
            return self.impacts.get(
                (s, local[i]), self.policy.prefix_size(len(span.docs)),
                lambda size: impact(span.docs, span.tfs, live.norm, size,
                                    self.policy.prefix_start))
        return get

    def _spans(
        self, s: int, live: LiveSegment, terms: list[str], query: Sequence[str],
        weights: Mapping[str, float] | None,
    ) -> tuple[list[TermSpan], list[int]]:
        """Return one span per distinct query term (empty if absent) and its local id (-1)."""
        spans: list[TermSpan] = []
        local: list[int] = []
        counts = Counter(query)
        for term in terms:
            t = self.vocabulary.get(term, -1)
            here = live.local_term(t) if t >= 0 else -1
            local.append(here)
            if here < 0:
                spans.append(TermSpan(live.docs[:0], live.tfs[:0], 0.0, 0))
                continue
            scale = weights.get(term, 1.0) if weights else 1.0
            first, last = int(live.indptr[here]), int(live.indptr[here + 1])
            spans.append(TermSpan(live.docs[first:last], live.tfs[first:last],
                                  scale * float(self.idf[t]), counts[term],
                                  self._table(s, live, here, first, last)))
        return spans, local

    def _table(self, s: int, live: LiveSegment, local: int, first: int,
               last: int) -> TfTable | None:
        """Return a common term's tf table in segment s (``qa.tftables``), None for others."""
        if not wants_table(last - first, live.segment.size, self.policy.table_share):
            return None
        return self.tables.get((s, local), lambda: tf_table(
            live.docs[first:last], live.tfs[first:last], live.segment.size))


def cache_entries(live: Sequence[LiveSegment], least: int, share: int) -> int:
    """Return a cache's capacity: ``least`` entries, or 1/``share`` of the postings if more."""
    return max(least, sum(len(one.docs) for one in live) // share)


def _ranker(live: LiveSegment, k: int, groups: IntArray | None) -> Rank:
    """Return how θ is read off scored candidates: k-th best score, or k-th best group's."""
    def rank(docs: Ints, total: FloatArray) -> float:
        if groups is None:
            return kth_best(total, k)
        return group_kth_best(total, groups[live.engine_positions(docs)], k)
    return rank


def _score_all(spans: list[TermSpan], order: list[int], docs: Ints,
               norm: FloatArray) -> Candidates:
    """Score a few passages exactly, keeping those that hold a query term."""
    total, found = exact_scores(spans, order, docs, norm)
    hit = np.logical_or.reduce(found) if found else np.zeros(len(docs), np.bool_)
    return Candidates(docs[hit], total[hit], [f[hit] for f in found])


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
    # One conversion per array, not per row: this runs on every query. Rows holding the
    # same terms share one tuple of them (a query's thirty rows hold a few patterns).
    matched: dict[tuple[bool, ...], tuple[str, ...]] = {}
    out = []
    for p, score, row in zip(pos[picks].tolist(), total[picks].tolist(),
                             map(tuple, holds[picks].tolist()), strict=True):
        held = matched.get(row)
        if held is None:
            held = matched[row] = tuple(compress(terms, row))
        out.append(Ranked(p, score, held))
    return out
