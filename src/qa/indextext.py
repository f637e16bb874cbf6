"""What the index holds for a passage, and the token table of a corpus (cached per report)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import overload

from .cache import cached_token_table, report_digest, tokenize_texts
from .diskindex import open_index
from .index import SearchIndex, TokenTable
from .models import Passage, Report
from .segment import Segmenter


def cached_tokens(reports: Sequence[Report], segmenter: Segmenter, cache_path: Path) -> TokenTable:
    """Return the reports' tokens, tokenising only those the token cache does not hold."""
    texts = [(r.report_id, IndexTexts(r.passages)) for r in reports]
    return cached_token_table(texts, segmenter, cache_path)


class IndexTexts(Sequence[str]):
    """A report's indexed texts, built on demand: 10⁶ joined strings at once cost ~0.3 GB."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = passages

    def __len__(self) -> int:
        return len(self.passages)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [index_text(p) for p in self.passages[i]]
        return index_text(self.passages[i])


def index_text(passage: Passage) -> str:
    """Return what is indexed for a passage: its headings (minus its own label) and its text."""
    headings = passage.section_path[:-1] if passage.label else passage.section_path
    return " ".join((*headings, passage.text))


@cache
def _index_text_version() -> str:
    """Return a hash of this module's source: what ``index_text`` makes of a passage."""
    return hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16).hexdigest()


def segment_key(report: Report, version: str) -> str:
    """Return the segment index's key for a report under a segmenter version.

    A report's ``key`` (its file, manifest metadata and parser: qa/parsecache.py) fixes its
    indexed texts given this module, so they need not be read or hashed; a report without one
    is keyed by a digest of its indexed texts.
    """
    if not report.key:
        return report_digest(IndexTexts(report.passages), version)
    key = hashlib.blake2b(digest_size=16)
    key.update(f"{report.key}\0{version}\0{_index_text_version()}".encode())
    return key.hexdigest()


def segment_index(reports: Sequence[Report], segmenter: Segmenter, folder: Path) -> SearchIndex:
    """Open the segment index in ``folder`` for these reports, tokenising only what it lacks."""
    wanted = [(r.report_id, segment_key(r, segmenter.version), r.size) for r in reports]

    def tokenize(which: Sequence[int]) -> TokenTable:
        chosen = [text for i in which for text in IndexTexts(reports[i].passages)]
        return TokenTable.from_lists(tokenize_texts(chosen, segmenter))

    return open_index(folder, wanted, tokenize, segmenter.version)
