"""What the index holds for a passage, and the token table of a corpus (cached per report)."""

from __future__ import annotations

from collections.abc import Sequence
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




def segment_index(reports: Sequence[Report], segmenter: Segmenter, folder: Path) -> SearchIndex:
    """Open the segment index in ``folder`` for these reports, tokenising only what it lacks."""
    texts = [IndexTexts(r.passages) for r in reports]
    wanted = [(r.report_id, report_digest(t, segmenter.version), len(t))
              for r, t in zip(reports, texts, strict=True)]

    def tokenize(which: Sequence[int]) -> TokenTable:
        chosen = [text for i in which for text in texts[i]]
        return TokenTable.from_lists(tokenize_texts(chosen, segmenter))

    return open_index(folder, wanted, tokenize, segmenter.version)
