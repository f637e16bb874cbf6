"""What the segment index is built from: a report's indexed texts, its key, its tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from qa.language import Tokenizer
from qa.models import Report, index_text, texts_digest

from .bm25 import SearchIndex, TokenTable
from .coldbuild import PostedTable, post_texts
from .ondisk import open_index


def index_texts(reports: Iterable[Report]) -> Iterator[str]:
    """Yield the reports' passages' indexed texts one at a time, in order: 10⁶ joined strings
    at once cost ~0.3 GB."""
    return (index_text(p) for report in reports for p in report.passages)


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


def segment_index(reports: Sequence[Report], segmenter: Tokenizer, folder: Path) -> SearchIndex:
    """Open the segment index in ``folder`` for these reports, tokenising only what it lacks."""
    wanted = [(r.report_id, segment_key(r, segmenter.version), r.size) for r in reports]

    def tokenize(which: Sequence[int]) -> TokenTable | PostedTable:
        texts = index_texts(reports[i] for i in which)
        return post_texts(texts, sum(reports[i].size for i in which), segmenter)

    return open_index(folder, wanted, tokenize, segmenter.version)
