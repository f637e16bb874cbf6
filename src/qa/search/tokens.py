"""What the segment index is built from: a report's indexed texts, its key, its tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from qa.language import Tokenizer
from qa.models import Report, index_text, texts_digest

from .bm25 import SearchIndex, TokenTable
from .coldbuild import (
    Indexed,
    MadeParts,
    NumberedPart,
    Part,
    PostedTable,
    indexed,
    post_chunk,
    post_texts,
    posted_parts,
    stitch,
)
from .ondisk import open_index
from .tokenize import PARALLEL_MIN_TEXTS


def index_texts(reports: Iterable[Report]) -> Iterator[str]:
    """Yield the reports' passages' indexed texts one at a time, in order: 10⁶ joined strings
    at once cost ~0.3 GB."""
    return (index_text(p) for report in reports for p in report.passages)


def index_items(reports: Iterable[Report]) -> Iterator[Indexed]:
    """Yield the reports' passages' indexed headings and texts, as ``index_texts`` joins them."""
    return (indexed(p) for report in reports for p in report.passages)


def segment_key(report: Report, version: str) -> str:
    """Return the segment index's key for a report: its indexed texts and the lexicon version.

    A report from the parsed-report cache carries its texts' digest (``Report.digest``,
    stored when it was parsed), so a start hashes no text; a parser change that leaves a
    report's texts as they were does not re-tokenise it.
    """
    key = _versioned(version).copy()
    key.update((report.digest or texts_digest(report.passages)).encode())
    return key.hexdigest()


@lru_cache(maxsize=4)
def _versioned(version: str) -> hashlib.blake2b:
    """Return the hash every key of a lexicon version starts from, to be copied (10⁴ keys a
    start)."""
    key = hashlib.blake2b(digest_size=16)
    key.update(f"{version}\0".encode())
    return key


def segment_index(reports: Sequence[Report], segmenter: Tokenizer, folder: Path,
                  made: MadeParts | None = None) -> SearchIndex:
    """Open the segment index in ``folder`` for these reports, tokenising only what it lacks
    (and, of that, only what ``made`` holds no postings for)."""
    wanted = [(r.report_id, segment_key(r, segmenter.version), r.size) for r in reports]

    def tokenize(which: Sequence[int]) -> TokenTable | PostedTable:
        chosen = [reports[i] for i in which]
        if made:
            return stitch(_made_or_posted(chosen, made, segmenter), made.words)
        return post_texts(index_items(chosen), sum(r.size for r in chosen), segmenter)

    return open_index(folder, wanted, tokenize, segmenter.version)


def _made_or_posted(reports: list[Report], made: MadeParts,
                    segmenter: Tokenizer) -> Iterator[Part | NumberedPart]:
    """Yield the reports' passages as parts, in order: made ones, and the rest tokenised."""
    for piece in made.take([(r.report_id, r.key) for r in reports]):
        if not isinstance(piece, range):
            yield piece
            continue
        gap = [reports[i] for i in piece]
        if sum(r.size for r in gap) < PARALLEL_MIN_TEXTS:
            yield post_chunk(list(index_items(gap)), segmenter)
        else:
            yield from posted_parts(index_items(gap), segmenter)
