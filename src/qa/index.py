"""BM25Okapi (rank-bm25's exact formula) scored from an inverted index with numpy.

rank-bm25 loops over every passage for every query term; here each term touches only the
passages that contain it. ``tests/test_index.py`` checks the scores against
``rank_bm25.BM25Okapi.get_scores`` as an oracle. The index knows positions only; the caller
maps them back to passages (the bm25s habit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

# rank-bm25 0.2.2 BM25Okapi defaults.
K1 = 1.5
B = 0.75
EPSILON = 0.25


def idf_okapi(df: FloatArray, n_docs: int, epsilon: float = EPSILON) -> FloatArray:
    """Return rank-bm25's Okapi idf: log((N-df+.5)/(df+.5)), negatives floored at eps·mean."""
    idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
    floor = epsilon * (float(idf.sum()) / len(idf)) if len(idf) else 0.0
    return np.where(idf < 0, floor, idf)


def length_norm(doc_len: FloatArray, k1: float = K1, b: float = B) -> FloatArray:
    """Return k1·(1 − b + b·|d|/avgdl), the per-passage part of the BM25 denominator."""
    avgdl = float(doc_len.mean()) if len(doc_len) else 1.0
    return k1 * (1 - b + b * doc_len / avgdl)


def tf_saturation(tf: FloatArray, norm: FloatArray, k1: float = K1) -> FloatArray:
    """Return tf·(k1+1)/(tf + norm), BM25's saturated term frequency."""
    return tf * (k1 + 1) / (tf + norm)


class Ranked(NamedTuple):
    """A passage position, its BM25 score and the query terms it contains."""

    position: int
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)
class PassageIndex:
    """Postings in CSR form: for term t, ``doc_ids[indptr[t]:indptr[t+1]]`` and their tfs."""

    vocabulary: dict[str, int]
    indptr: npt.NDArray[np.int64]
    doc_ids: IntArray
    tfs: FloatArray
    idf: FloatArray
    norm: FloatArray
    doc_len: FloatArray

    @classmethod
    def build(cls, token_lists: Sequence[Sequence[str]]) -> PassageIndex:
        """Index tokenised passages; position i in the index is token_lists[i]."""
        postings: dict[str, tuple[list[int], list[int]]] = {}
        doc_len = np.zeros(len(token_lists), dtype=np.float64)
        for position, tokens in enumerate(token_lists):
            doc_len[position] = len(tokens)
            for term, count in Counter(tokens).items():
                ids, counts = postings.setdefault(term, ([], []))
                ids.append(position)
                counts.append(count)
        vocabulary = {term: i for i, term in enumerate(postings)}
        sizes = np.fromiter((len(p[0]) for p in postings.values()), np.int64, len(postings))
        indptr = np.zeros(len(postings) + 1, dtype=np.int64)
        np.cumsum(sizes, out=indptr[1:])
        doc_ids = np.fromiter((d for p in postings.values() for d in p[0]), np.int32, indptr[-1])
        tfs = np.fromiter((c for p in postings.values() for c in p[1]), np.float64, indptr[-1])
        idf = idf_okapi(sizes.astype(np.float64), len(token_lists))
        return cls(vocabulary, indptr, doc_ids, tfs, idf, length_norm(doc_len), doc_len)

    @property
    def size(self) -> int:
        """Return the number of indexed passages."""
        return len(self.doc_len)

    def postings(self, term: str) -> tuple[IntArray, FloatArray]:
        """Return the positions holding a term and its frequency in each."""
        t = self.vocabulary.get(term)
        if t is None:
            return np.empty(0, np.int32), np.empty(0, np.float64)
        start, end = self.indptr[t], self.indptr[t + 1]
        return self.doc_ids[start:end], self.tfs[start:end]

    def doc_freq(self, term: str) -> int:
        """Return in how many passages a term occurs."""
        return len(self.postings(term)[0])

    def term_idf(self, term: str) -> float:
        """Return a term's idf, 0 for an unknown term (as rank-bm25 does)."""
        t = self.vocabulary.get(term)
        return float(self.idf[t]) if t is not None else 0.0

    def scores(
        self, query: Sequence[str], weights: Mapping[str, float] | None = None
    ) -> FloatArray:
        """Return every passage's BM25Okapi score; equal to rank-bm25's ``get_scores``.

        ``weights`` scales a term's contribution (query expansion uses < 1); absent means 1.
        """
        total = np.zeros(self.size, dtype=np.float64)
        for term in query:
            ids, tf = self.postings(term)
            if len(ids):
                scale = weights.get(term, 1.0) if weights else 1.0
                total[ids] += scale * self.term_idf(term) * tf_saturation(tf, self.norm[ids])
        return total

    def search(
        self,
        query: Sequence[str],
        k: int,
        allowed: npt.NDArray[np.bool_] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> list[Ranked]:
        """Return the k best passages that share at least one query term, best first.

        Matching is decided by term overlap, never by score > 0: rank-bm25's idf is 0 or
        floored for terms in half the passages or more.
        """
        overlap = np.zeros(self.size, dtype=np.int32)
        for term in set(query):
            overlap[self.postings(term)[0]] += 1
        candidates = np.flatnonzero(overlap if allowed is None else overlap * allowed)
        if k <= 0 or not len(candidates):
            return []
        total = self.scores(query, weights)[candidates]
        # Stable order: higher score first, then document order.
        order = np.lexsort((candidates, -total))[:k]
        terms = list(dict.fromkeys(query))
        return [
            Ranked(int(candidates[i]), float(total[i]), self._matched(int(candidates[i]), terms))
            for i in order
        ]

    def _matched(self, position: int, terms: list[str]) -> tuple[str, ...]:
        found = []
        for term in terms:
            ids = self.postings(term)[0]
            i = int(np.searchsorted(ids, position))
            if i < len(ids) and ids[i] == position:
                found.append(term)
        return tuple(found)
