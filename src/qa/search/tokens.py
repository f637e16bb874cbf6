"""What the segment index is built from: a report's indexed texts, its key, its tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import overload

from qa.language import Tokenizer
from qa.models import Passage, Report, index_text, texts_digest

from .bm25 import SearchIndex, TokenTable
from .ondisk import open_index
from .tokenize import tokenize_texts


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


def segment_key(report: Report, version: str) -> str:
    """Return the segment index's key for a report: its indexed texts and the lexicon version.

    A report from the parsed-report cache carries its texts' digest (``Report.digest``,
    stored when it was parsed), so a start hashes no text; a parser change that leaves a
    report's texts as they were does not re-tokenise it.
    """
    key = hashlib.blake2b(digest_size=16)
    key.update(f"{version}\0{report.digest or texts_digest(report.passages)}".encode())
    return key.hexdigest()


def segment_index(reports: Sequence[Report], segmenter: Tokenizer, folder: Path) -> SearchIndex:
    """Open the segment index in ``folder`` for these reports, tokenising only what it lacks."""
    wanted = [(r.report_id, segment_key(r, segmenter.version), r.size) for r in reports]

    def tokenize(which: Sequence[int]) -> TokenTable:
        chosen = [text for i in which for text in IndexTexts(reports[i].passages)]
        return TokenTable.from_lists(tokenize_texts(chosen, segmenter))

    return open_index(folder, wanted, tokenize, segmenter.version)
