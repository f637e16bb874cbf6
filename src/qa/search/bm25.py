"""BM25Okapi (rank-bm25's exact formula) scored from an inverted index with numpy.

rank-bm25 loops over every passage for every query term; here each term touches only the
passages that contain it. ``tests/test_index_oracle.py`` checks the scores against
``rank_bm25.BM25Okapi.get_scores`` as an oracle. The index knows positions only; the caller
maps them back to passages (the bm25s habit).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, overload

import numpy as np
import numpy.typing as npt

from .sortedsets import run_starts

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
OffsetArray = npt.NDArray[np.int64]

# rank-bm25 0.2.2 BM25Okapi defaults.
K1 = 1.5
B = 0.75
EPSILON = 0.25

AnyInts = npt.NDArray[np.integer[Any]]  # passage numbers of any width


def idf_okapi(df: FloatArray, n_docs: int, epsilon: float = EPSILON) -> FloatArray:
    """Return rank-bm25's Okapi idf: log((N-df+.5)/(df+.5)), negatives floored at eps·mean."""
    idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
    floor = epsilon * (float(idf.sum()) / len(idf)) if len(idf) else 0.0
    return np.where(idf < 0, floor, idf)


def length_norm(
    doc_len: FloatArray, k1: float = K1, b: float = B, avgdl: float | None = None
) -> FloatArray:
    """Return k1·(1 − b + b·|d|/avgdl), the per-passage part of the BM25 denominator.

    ``avgdl`` defaults to the mean of ``doc_len``; segments pass the corpus-wide one.
    """
    if avgdl is None:
        avgdl = float(doc_len.mean()) if len(doc_len) else 1.0
    return k1 * (1 - b + b * doc_len / avgdl)


def tf_saturation(tf: FloatArray, norm: FloatArray, k1: float = K1) -> FloatArray:
    """Return tf·(k1+1)/(tf + norm), BM25's saturated term frequency."""
    return tf * (k1 + 1) / (tf + norm)


def top_k_order(scores: FloatArray, k: int) -> npt.NDArray[np.intp]:
    """Return the indices of the k highest scores, ties broken by lower index first."""
    if k < len(scores):
        # Partition first so only the k best (plus ties at the cut) are fully sorted.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = np.flatnonzero(scores >= kth)
    else:
        keep = np.arange(len(scores))
    return keep[np.lexsort((keep, -scores[keep]))][:k]


def locate(postings: AnyInts, docs: AnyInts) -> npt.NDArray[np.intp]:
    """Return where each passage is, or would go, in a term's sorted postings (clipped).

    The passages are cast to the postings' width first: searchsorted otherwise casts the whole
    postings list (an int32 list against int64 passages: 50 times slower on a long list).
    """
    at = np.searchsorted(postings, docs.astype(postings.dtype, copy=False))
    np.minimum(at, len(postings) - 1, out=at)
    return at


@dataclass(frozen=True, slots=True)
class Postings:
    """A token table's postings in CSR form, terms in vocabulary order (absent ones left out)."""

    present: npt.NDArray[np.intp]  # table vocabulary id of each posting list's term
    indptr: OffsetArray
    doc_ids: IntArray
    tfs: npt.NDArray[np.float32]


def table_postings(table: TokenTable) -> Postings:
    """Return the postings of a token table: sort (term, passage) keys and count runs.

    Only what a posting list holds: a segment (``qa.segments``) needs no saturations, which
    would add a third to a cold build's peak memory.
    """
    n = max(len(table), 1)
    # term-major key: sorting it yields postings grouped by term, passages ascending.
    key = table.ids.astype(np.int64)
    key *= n
    _add_passage_numbers(key, table.offsets)
    key.sort()
    # Run starts via a bool mask: np.diff(prepend=…) would copy the int64 key (peak RSS).
    first = np.empty(len(key), dtype=np.bool_)
    first[:1] = True
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    del first
    tfs = np.diff(starts, append=len(key)).astype(np.float32)
    key = key[starts]
    del starts
    terms, doc_ids = np.divmod(key, n)
    del key
    df = np.bincount(terms, minlength=len(table.vocab))
    present = np.flatnonzero(df)
    indptr = np.zeros(len(present) + 1, dtype=np.int64)
    np.cumsum(df[present], out=indptr[1:])
    return Postings(present, indptr, doc_ids.astype(np.int32), tfs)


def _add_passage_numbers(key: npt.NDArray[np.int64], offsets: OffsetArray) -> None:
    """Add each token's passage number to ``key`` in place, a block of passages at a time.

    One np.repeat over all tokens would allocate another 8 bytes a token at once.
    """
    block = 65536
    n = len(offsets) - 1
    for first in range(0, n, block):
        last = min(first + block, n)
        lengths = np.diff(offsets[first : last + 1])
        key[offsets[first] : offsets[last]] += np.repeat(
            np.arange(first, last, dtype=np.int64), lengths
        )


class TokenTable(Sequence[list[str]]):
    """Tokenised passages as interned ids: passage i is ``vocab[ids[offsets[i]:offsets[i+1]]]``.

    Flat int32 ids cost 4 bytes a token where ``list[list[str]]`` costs 8 plus list headers,
    and the index builds from them with numpy sorts instead of a Python loop.
    """

    __slots__ = ("vocab", "ids", "offsets")

    def __init__(self, vocab: Sequence[str], ids: IntArray, offsets: OffsetArray) -> None:
        self.vocab = list(vocab)
        self.ids = ids
        self.offsets = offsets

    @classmethod
    def from_lists(cls, token_lists: Iterable[Sequence[str]]) -> TokenTable:
        """Intern token lists into a table; ids follow first occurrence."""
        ids: dict[str, int] = {}
        # A typed array holds 4 bytes a token (a list: 8, and a copy to convert it).
        flat = array("i")
        lengths: list[int] = [0]
        for tokens in token_lists:
            flat.extend([ids.setdefault(t, len(ids)) for t in tokens])
            lengths.append(len(tokens))
        offsets = np.cumsum(np.array(lengths, dtype=np.int64))
        return cls(list(ids), np.frombuffer(flat, dtype=np.int32), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, i: int) -> list[str]: ...
    @overload
    def __getitem__(self, i: slice) -> list[list[str]]: ...
    def __getitem__(self, i: int | slice) -> list[str] | list[list[str]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        vocab = self.vocab
        return [vocab[t] for t in self.ids[self.offsets[i] : self.offsets[i + 1]].tolist()]

    def __iter__(self) -> Iterator[list[str]]:
        return (self[i] for i in range(len(self)))

    def lengths(self) -> OffsetArray:
        """Return the number of tokens in each passage."""
        return np.diff(self.offsets)


class SearchIndex(Protocol):
    """What retrieval needs from an index: ``PassageIndex`` and ``qa.segindex.SegmentIndex``."""

    @property
    def vocabulary(self) -> dict[str, int]: ...
    @property
    def size(self) -> int: ...
    def doc_freq(self, term: str) -> int: ...
    def scores(
        self, query: Sequence[str], weights: Mapping[str, float] | None = None
    ) -> FloatArray: ...
    def search(
        self, query: Sequence[str], k: int, allowed: npt.NDArray[np.bool_] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> list[Ranked]: ...
    def search_per_group(
        self, query: Sequence[str], k: int, groups: IntArray,
        allowed: npt.NDArray[np.bool_] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> list[Ranked]: ...


class Ranked(NamedTuple):
    """A passage position, its BM25 score and the query terms it contains."""

    position: int
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)
class PassageIndex:
    """Postings in CSR form: for term t, ``doc_ids[indptr[t]:indptr[t+1]]`` and their tfs.

    ``saturated`` holds each posting's tf, ``tf_saturation(tf, norm[doc])``, computed
    once at build time with the same float64 operations a query would run, so scores stay
    bit-identical while a query term costs one gather-free scatter-add.
    """

    vocabulary: dict[str, int]
    indptr: OffsetArray
    doc_ids: IntArray
    tfs: npt.NDArray[np.float32]
    saturated: FloatArray
    idf: FloatArray
    norm: FloatArray
    doc_len: FloatArray

    @classmethod
    def build(cls, token_lists: Sequence[Sequence[str]]) -> PassageIndex:
        """Index tokenised passages; position i in the index is token_lists[i]."""
        if isinstance(token_lists, TokenTable):
            return cls.from_table(token_lists)
        return cls.from_table(TokenTable.from_lists(token_lists))

    @classmethod
    def from_table(cls, table: TokenTable) -> PassageIndex:
        """Index a token table with numpy: its postings (``table_postings``) plus scoring."""
        post = table_postings(table)
        doc_len = table.lengths().astype(np.float64)
        vocabulary = {table.vocab[t]: i for i, t in enumerate(post.present.tolist())}
        norm = length_norm(doc_len)
        saturated = tf_saturation(post.tfs.astype(np.float64), norm[post.doc_ids])
        idf = idf_okapi(np.diff(post.indptr).astype(np.float64), len(table))
        return cls(vocabulary, post.indptr, post.doc_ids, post.tfs, saturated, idf, norm, doc_len)

    @property
    def size(self) -> int:
        """Return the number of indexed passages."""
        return len(self.doc_len)

    def _span(self, term: str) -> slice:
        t = self.vocabulary.get(term)
        if t is None:
            return slice(0, 0)
        return slice(int(self.indptr[t]), int(self.indptr[t + 1]))

    def postings(self, term: str) -> tuple[IntArray, FloatArray]:
        """Return the positions holding a term and its frequency in each."""
        span = self._span(term)
        return self.doc_ids[span], self.tfs[span].astype(np.float64)

    def doc_freq(self, term: str) -> int:
        """Return in how many passages a term occurs."""
        span = self._span(term)
        return int(span.stop) - int(span.start)

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
            span = self._span(term)
            if span.stop > span.start:
                scale = weights.get(term, 1.0) if weights else 1.0
                total[self.doc_ids[span]] += scale * self.term_idf(term) * self.saturated[span]
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
        candidates, total = self._candidates(query, allowed, weights)
        if k <= 0 or not len(candidates):
            return []
        # Stable order: higher score first, then document order.
        return self._ranked(query, candidates, total, top_k_order(total, k))

    def search_per_group(
        self,
        query: Sequence[str],
        k: int,
        groups: IntArray,
        allowed: npt.NDArray[np.bool_] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> list[Ranked]:
        """Return the best matching passage of each group (e.g. report), the k best groups first.

        ``groups[i]`` is passage i's group; passages of a group need not be contiguous.
        """
        candidates, total = self._candidates(query, allowed, weights)
        if k <= 0 or not len(candidates):
            return []
        # Sort by group, then best score, then position; the first row of each group wins.
        order = np.lexsort((candidates, -total, groups[candidates]))
        first = run_starts(groups[candidates][order])  # sorted by group: its first row
        winners = order[first]
        return self._ranked(query, candidates, total, winners[top_k_order(total[winners], k)])

    def _candidates(
        self,
        query: Sequence[str],
        allowed: npt.NDArray[np.bool_] | None,
        weights: Mapping[str, float] | None,
    ) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """Return the positions sharing a query term (within ``allowed``) and their scores."""
        overlap = np.zeros(self.size, dtype=np.bool_)
        for term in set(query):
            overlap[self.doc_ids[self._span(term)]] = True
        candidates = np.flatnonzero(overlap if allowed is None else overlap & allowed)
        if not len(candidates):
            return candidates, np.empty(0, np.float64)
        return candidates, self.scores(query, weights)[candidates]

    def _ranked(
        self,
        query: Sequence[str],
        candidates: npt.NDArray[np.intp],
        total: FloatArray,
        picks: npt.NDArray[np.intp],
    ) -> list[Ranked]:
        terms = list(dict.fromkeys(query))
        positions = candidates[picks]
        # One vectorised lookup per term over all picks, not one per (pick, term).
        present = [self._contains(term, positions) for term in terms]
        return [
            Ranked(int(position), float(total[i]),
                   tuple(term for term, hits in zip(terms, present, strict=True) if hits[row]))
            for row, (i, position) in enumerate(zip(picks, positions, strict=True))
        ]

    def _contains(self, term: str, positions: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
        """Return, for each position, whether its passage holds the term."""
        ids = self.doc_ids[self._span(term)]
        if not len(ids):
            return np.zeros(len(positions), dtype=np.bool_)
        found: npt.NDArray[np.bool_] = ids[locate(ids, positions)] == positions
        return found
