"""A cold build on every core: worker processes tokenise a batch's texts a chunk at a time and
turn each chunk into postings; the parent only stitches the chunks' postings together.

Tokens used to come back to the parent as lists of strings, to be interned one dictionary
look-up a token and sorted into postings in one piece: the parent was as busy as a worker, so
two cores tokenised at the pace of about one. Now a chunk comes back as its vocabulary and its
postings (a few numpy arrays), the parent maps each chunk's vocabulary to the batch's and copies
the postings into place, and no process holds the batch's token ids or sort keys at once.
The result is exactly ``table_postings(TokenTable.from_lists(tokens))`` of the same texts, bit
for bit (tests/search/test_coldbuild.py): ids still follow first occurrence, because a chunk's
vocabulary is in first-occurrence order and chunks arrive in order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from qa.language import Tokenizer
from qa.models import Passage

from .bm25 import IntArray, OffsetArray, Postings, TokenTable, table_postings
from .tokenize import PARALLEL_MIN_TEXTS

# Texts a worker handles at once: large enough that a chunk's vocabulary is small beside its
# postings, small enough that chunks in flight stay a few MB.
CHUNK_TEXTS = 2_000

Part = tuple[list[str], Postings, OffsetArray]  # a chunk's vocabulary, postings, lengths
# What is indexed for a passage: its headings joined (None: none) and its text. Kept apart so
# a section's headings are tokenised once, not once for each of its passages (tokens_after).
Indexed = tuple[str | None, str]
# Each term's largest tf and the length of its shortest passage (a segment's maxtf, minlen).
Bounds = tuple[npt.NDArray[np.float32], IntArray]


@dataclass(frozen=True, slots=True)
class PostedTable:
    """A batch's tokens already as postings: what ``build_segment`` makes of a ``TokenTable``."""

    vocab: list[str]
    postings: Postings
    passage_lengths: OffsetArray
    # Each term's largest tf and shortest passage, when known (``Bounds``): else the segment
    # computes them over every posting.
    bounds: Bounds | None = None

    def __len__(self) -> int:
        return len(self.passage_lengths)

    def lengths(self) -> OffsetArray:
        """Return the number of tokens in each passage (as ``TokenTable.lengths``)."""
        return self.passage_lengths


_WORKER: Tokenizer | None = None


def _init_worker(segmenter: Tokenizer) -> None:
    global _WORKER
    _WORKER = segmenter


def indexed(passage: Passage) -> Indexed:
    """Return what is indexed for a passage, its headings apart: ``qa.models.index_text``
    joins them (tests/search/test_coldbuild.py holds the two together)."""
    headings = passage.section_path[:-1] if passage.label else passage.section_path
    return (" ".join(headings) if headings else None), passage.text


def indexed_tokens(item: Indexed, segmenter: Tokenizer) -> list[str]:
    """Return the tokens of ``index_text`` of the passage an item was made from."""
    head, text = item
    return segmenter.tokens(text) if head is None else segmenter.tokens_after(head, text)


def post_chunk(items: Sequence[Indexed], segmenter: Tokenizer) -> Part:
    """Tokenise passages and return their vocabulary (first occurrence), postings and lengths."""
    table = chunk_table([indexed_tokens(i, segmenter) for i in items])
    return table.vocab, table_postings(table), table.lengths()


def chunk_table(token_lists: Sequence[Sequence[str]]) -> TokenTable:
    """Return ``TokenTable.from_lists(token_lists)`` for a chunk's few thousand texts.

    The words are interned by C loops (``dict.fromkeys`` keeps first occurrences in order,
    ``map`` looks each token up): a third of the time of one ``setdefault`` a token, for a
    list of the chunk's tokens that ``from_lists`` avoids holding for a whole batch.
    """
    flat: list[str] = []
    lengths = [0]
    for tokens in token_lists:
        flat += tokens
        lengths.append(len(tokens))
    vocab = list(dict.fromkeys(flat))
    lookup = dict(zip(vocab, range(len(vocab)), strict=True))
    ids = np.fromiter(map(lookup.__getitem__, flat), dtype=np.int32, count=len(flat))
    return TokenTable(vocab, ids, np.cumsum(np.array(lengths, dtype=np.int64)))


def _post_chunk(items: list[Indexed]) -> Part:
    assert _WORKER is not None
    return post_chunk(items, _WORKER)


def chunked(texts: Iterable[Indexed], size: int = CHUNK_TEXTS) -> Iterator[list[Indexed]]:
    """Yield items in lists of ``size`` (the last one shorter), reading them lazily."""
    chunk: list[Indexed] = []
    for text in texts:
        chunk.append(text)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def post_texts(texts: Iterable[Indexed], count: int, segmenter: Tokenizer,
               workers: int | None = None,
               min_parallel: int = PARALLEL_MIN_TEXTS) -> TokenTable | PostedTable:
    """Return ``count`` texts' tokens as a table, or as postings built by worker processes.

    Few texts (or one core) are tokenised here into a ``TokenTable``. Texts are read lazily;
    the pool takes chunks only as fast as it tokenises them, so a batch's texts are never all
    held at once.
    """
    if workers is None:
        workers = os.cpu_count() or 1
    if workers <= 1 or count < min_parallel or os.name != "posix":
        return TokenTable.from_lists(indexed_tokens(t, segmenter) for t in texts)
    return stitch(posted_parts(texts, segmenter, workers))


def posted_parts(texts: Iterable[Indexed], segmenter: Tokenizer,
                 workers: int | None = None) -> Iterator[Part]:
    """Yield the texts' chunks as parts (vocabulary, postings, lengths) from worker processes."""
    # jieba loads once before forking: every worker inherits it copy-on-write, unpickled.
    segmenter.initialize()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers or os.cpu_count() or 1, _init_worker, (segmenter,)) as pool:
        yield from pool.imap(_post_chunk, chunked(texts))


@dataclass(frozen=True, slots=True)
class NumberedPart:
    """A part whose vocabulary is numbered in a load's ``Words``: ``ids[i]`` is word i's number."""

    ids: IntArray
    postings: Postings
    lengths: OffsetArray
    bounds: Bounds  # of its own terms, in postings order


def part_bounds(postings: Postings, lengths: OffsetArray) -> Bounds:
    """Return a part's ``Bounds`` (every term it lists has a posting)."""
    if not len(postings.doc_ids):
        return np.empty(0, np.float32), np.empty(0, np.int32)
    starts = postings.indptr[:-1]
    shortest = np.minimum.reduceat(lengths.astype(np.int32)[postings.doc_ids], starts)
    return np.maximum.reduceat(postings.tfs, starts), shortest


class Words:
    """Every word of a load's parts, numbered in the order the parts arrive.

    A part's words are numbered as it arrives, while the workers still parse: the stitch
    after the last file then numbers a batch's words (first occurrence within the batch)
    with one ``np.unique`` over these numbers, not one dictionary look-up a chunk's word
    (≈ 2×10⁶ at 10⁶ passages, half the stitch, on one core while the other idled).
    """

    def __init__(self) -> None:
        self._lookup: dict[str, int] = {}
        self._words: list[str] = []

    def number(self, vocab: Sequence[str]) -> IntArray:
        """Return the numbers of a part's words, numbering the new ones in order."""
        lookup = self._lookup
        ids = list(map(lookup.get, vocab))  # in C: once a load's words are known, all found
        if None in ids:
            for at in [i for i, n in enumerate(ids) if n is None]:
                word = vocab[at]
                ids[at] = number = lookup.setdefault(word, len(lookup))
                if number == len(self._words):
                    self._words.append(word)
        return np.array(ids, dtype=np.int32)

    def numbered(self, part: Part) -> NumberedPart:
        vocab, postings, lengths = part
        return NumberedPart(self.number(vocab), postings, lengths, part_bounds(postings, lengths))

    def batch(self, parts: Sequence[NumberedPart]) -> tuple[list[str], OffsetArray]:
        """Return the parts' words in first-occurrence order (parts in order, each part's
        vocabulary in its order), and each load number's place in that list."""
        every = np.concatenate([p.ids for p in parts]) if parts else np.empty(0, np.int32)
        found, first = np.unique(every, return_index=True)
        ordered = found[np.argsort(first)]
        place = np.zeros(len(self._words), dtype=np.int64)
        place[ordered] = np.arange(len(ordered))
        return [self._words[n] for n in ordered.tolist()], place


class MadeParts:
    """Parts made before the index asked for them, by the run of reports each covers.

    A cold load (``qa.library.coldload``) tokenises each chunk of reports in the worker that
    parsed it; the index then stitches those parts instead of tokenising again. A run is
    known by its reports' (id, key) in order, so a part is used only for exactly the reports
    it was made from. A part's vocabulary is kept as its numbers in ``words`` (10⁶
    passages' chunks hold ≈ 3×10⁶ words, ≈ 0.2 GB as separate strings, 12 MB as numbers).
    """

    def __init__(self) -> None:
        self.words = Words()
        self._runs: dict[tuple[str, str], tuple[tuple[tuple[str, str], ...], NumberedPart]] = {}

    def __bool__(self) -> bool:
        return bool(self._runs)

    def add(self, reports: tuple[tuple[str, str], ...], part: Part) -> None:
        """Keep the part made from these reports' passages ((id, key) each, in order)."""
        if reports:
            self._runs[reports[0]] = (reports, self.words.numbered(part))

    def take(self, reports: Sequence[tuple[str, str]]) -> Iterator[NumberedPart | range]:
        """Yield, in order, the parts covering ``reports``, and the positions (ranges) that no
        part covers; a part handed out is forgotten (its memory goes with the batch)."""
        at = gap = 0
        while at < len(reports):
            run = self._runs.get(reports[at])
            if run is None or tuple(reports[at : at + len(run[0])]) != run[0]:
                at += 1
                continue
            if gap < at:
                yield range(gap, at)
            del self._runs[reports[at]]
            yield run[1]
            at = gap = at + len(run[0])
        if gap < len(reports):
            yield range(gap, len(reports))


def stitch(parts: Iterable[Part | NumberedPart], words: Words | None = None) -> PostedTable:
    """Join chunks' postings, in chunk order, into one batch's postings over one vocabulary.

    Parts not yet numbered are numbered in ``words`` (a fresh ``Words`` without one).
    """
    words = Words() if words is None else words
    numbered = [p if isinstance(p, NumberedPart) else words.numbered(p) for p in parts]
    vocab, place = words.batch(numbered)
    held: list[tuple[OffsetArray, Postings, int]] = []
    lengths: list[OffsetArray] = []
    # A term's bounds are the extremes of its parts' (a part lists a term once).
    maxtf, minlen = np.zeros(len(vocab), np.float32), np.zeros(len(vocab), np.int32)
    minlen[:] = np.iinfo(np.int32).max
    base = 0
    for part in numbered:
        # Words get ids in the batch's first-occurrence order, as from_lists would number them.
        terms = place[part.ids][part.postings.present]
        held.append((terms, part.postings, base))
        lengths.append(part.lengths)
        base += len(part.lengths)
        maxtf[terms] = np.maximum(maxtf[terms], part.bounds[0])
        minlen[terms] = np.minimum(minlen[terms], part.bounds[1])
    numbered.clear()
    df = np.zeros(len(vocab), dtype=np.int64)
    for terms, postings, _ in held:
        df[terms] += np.diff(postings.indptr)
    indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    docs = np.empty(indptr[-1], dtype=np.int32)
    tfs = np.empty(indptr[-1], dtype=np.float32)
    filled = indptr[:-1].copy()  # where each term's next chunk's postings go
    held.reverse()
    while held:
        terms, postings, first = held.pop()  # in chunk order, each freed once copied
        counts = np.diff(postings.indptr)
        at = np.repeat(filled[terms] - postings.indptr[:-1], counts)
        at += np.arange(len(postings.doc_ids))
        docs[at] = postings.doc_ids + first
        tfs[at] = postings.tfs
        filled[terms] += counts
    total = np.concatenate(lengths) if lengths else np.empty(0, dtype=np.int64)
    present = np.arange(len(vocab), dtype=np.intp)  # every interned word occurs
    return PostedTable(vocab, Postings(present, indptr, docs, tfs), total, (maxtf, minlen))
