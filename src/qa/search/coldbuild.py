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

from qa.language import Tokenizer
from qa.models import Passage

from .bm25 import OffsetArray, Postings, TokenTable, table_postings
from .tokenize import PARALLEL_MIN_TEXTS

# Texts a worker handles at once: large enough that a chunk's vocabulary is small beside its
# postings, small enough that chunks in flight stay a few MB.
CHUNK_TEXTS = 2_000

Part = tuple[list[str], Postings, OffsetArray]  # a chunk's vocabulary, postings, lengths
# What is indexed for a passage: its headings joined (None: none) and its text. Kept apart so
# a section's headings are tokenised once, not once for each of its passages (tokens_after).
Indexed = tuple[str | None, str]
Kept = tuple[str, int, Postings, OffsetArray]  # a part with its vocabulary joined, and its size


@dataclass(frozen=True, slots=True)
class PostedTable:
    """A batch's tokens already as postings: what ``build_segment`` makes of a ``TokenTable``."""

    vocab: list[str]
    postings: Postings
    passage_lengths: OffsetArray

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


class MadeParts:
    """Parts made before the index asked for them, by the run of reports each covers.

    A cold load (``qa.library.coldload``) tokenises each chunk of reports in the worker that
    parsed it; the index then stitches those parts instead of tokenising again. A run is
    known by its reports' (id, key) in order, so a part is used only for exactly the reports
    it was made from.
    """

    def __init__(self) -> None:
        # A part's vocabulary is kept as one NUL-joined string (as terms.bin joins a segment's):
        # 10⁶ passages' chunks hold ≈ 3×10⁶ words, ≈ 0.2 GB as separate strings.
        self._runs: dict[tuple[str, str], tuple[tuple[tuple[str, str], ...], Kept]] = {}

    def __bool__(self) -> bool:
        return bool(self._runs)

    def add(self, reports: tuple[tuple[str, str], ...], part: Part) -> None:
        """Keep the part made from these reports' passages ((id, key) each, in order)."""
        vocab, postings, lengths = part
        if reports:
            self._runs[reports[0]] = (reports, ("\0".join(vocab), len(vocab), postings, lengths))

    def take(self, reports: Sequence[tuple[str, str]]) -> Iterator[Part | range]:
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
            joined, words, postings, lengths = run[1]
            yield joined.split("\0") if words else [], postings, lengths
            at = gap = at + len(run[0])
        if gap < len(reports):
            yield range(gap, len(reports))


def stitch(parts: Iterable[Part]) -> PostedTable:
    """Join chunks' postings, in chunk order, into one batch's postings over one vocabulary."""
    lookup: dict[str, int] = {}
    held: list[tuple[OffsetArray, Postings, int]] = []
    lengths: list[OffsetArray] = []
    base = 0
    for vocab, postings, lens in parts:
        # New words get the next ids in the chunk's first-occurrence order, as from_lists would.
        remap = np.array([lookup.setdefault(t, len(lookup)) for t in vocab], dtype=np.int64)
        held.append((remap[postings.present], postings, base))
        lengths.append(lens)
        base += len(lens)
    df = np.zeros(len(lookup), dtype=np.int64)
    for terms, postings, _ in held:
        df[terms] += np.diff(postings.indptr)
    indptr = np.zeros(len(lookup) + 1, dtype=np.int64)
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
    present = np.arange(len(lookup), dtype=np.intp)  # every interned word occurs
    return PostedTable(list(lookup), Postings(present, indptr, docs, tfs), total)
