"""What ranking needs of a passage that no question changes, worked out once per passage.

Every question reranks about thirty candidates, and popular passages come back question after
question: building the passage from its report, folding its text, splitting and folding its
sentences cost more than the question-specific scoring itself. A ``Prepared`` holds those, and
``PreparedCache`` keeps a bounded number of them by index position.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.language import split_sentences
from qa.models import Passage

from .quotes import SentenceScorer, fold_sentence

# A passage this short with no number and no punctuation is a bare label (a table's time or
# owner cell, 「全年」「党支部书记」): it cannot answer a question by itself.
MAX_FRAGMENT_CHARS = 8


def is_fragment(text: str) -> bool:
    """Tell whether a passage is a bare label rather than a statement."""
    bare = text.strip()
    return len(bare) <= MAX_FRAGMENT_CHARS and not any(
        c.isdigit() or unicodedata.category(c).startswith("P") for c in bare)

# Prepared passages kept (each a few KB: passage, folded text, sentences): ≈ 50 MB at most.
MAX_PREPARED = 16_384
# Joins the folded sentences: no query term holds it, so none matches across two sentences.
SEPARATOR = "\x00"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A passage with its folded text (coverage) and its sentences, raw and folded (quotes)."""

    passage: Passage
    folded: str
    sentences: tuple[str, ...]
    folded_sentences: tuple[str, ...]
    joined: str  # the folded sentences joined by SEPARATOR
    fragment: bool  # a bare label (``is_fragment``): never the answer


# Quotation and title marks inside a phrase do not break it: 「破五唯」 is in 以破“五唯”为导向.
# Deleted by a pattern: ``str.translate`` looks up every character of a Chinese text in a dict
# (≈ 40 µs a passage, most of a candidate's first preparation); the pattern scans in C.
_QUOTE_MARKS = re.compile("[“”‘’\"'「」『』《》]")


def index_text_folded(passage: Passage, fold: Callable[[str], str]) -> str:
    """Return a passage's headings and text as the segmenter folds them, quotation marks
    dropped (for substring checks)."""
    return _QUOTE_MARKS.sub("", fold(" ".join((*passage.section_path, passage.text))))


def prepare(passage: Passage, fold: Callable[[str], str]) -> Prepared:
    """Work out once what every question's ranking reads of a passage."""
    sentences = tuple(split_sentences(passage.text) or [passage.text])
    folded = tuple(fold_sentence(s) for s in sentences)
    return Prepared(passage, index_text_folded(passage, fold), sentences, folded,
                    SEPARATOR.join(folded), is_fragment(passage.text))


class PreparedCache:
    """Prepared passages by index position, the oldest dropped past ``limit``."""

    def __init__(self, passages: Sequence[Passage], fold: Callable[[str], str],
                 limit: int = MAX_PREPARED) -> None:
        self.passages = passages
        self.fold = fold
        self.limit = limit
        self._by_position: dict[int, Prepared] = {}
        self._lock = threading.Lock()  # the bot may answer from several threads

    def prefetch(self, positions: Sequence[int]) -> None:
        """Let the passages' source start reading those not prepared yet (a ``PassageList``
        of deferred reports: their bodies)."""
        prefetch = getattr(self.passages, "prefetch", None)
        if prefetch is not None:
            prefetch([p for p in positions if p not in self._by_position])

    def at(self, position: int) -> Prepared:
        """Return the prepared passage at an index position, building it on first use."""
        found = self._by_position.get(position)
        if found is None:
            found = prepare(self.passages[position], self.fold)
            with self._lock:
                if len(self._by_position) >= self.limit:
                    # Insertion order: the first key is the oldest entry.
                    del self._by_position[next(iter(self._by_position))]
                self._by_position[position] = found
        return found


def best_prepared_sentence(prepared: Prepared, scorer: SentenceScorer) -> tuple[int, float]:
    """Return what ``best_sentence`` returns for a prepared passage: best index and score.

    A passage holding no query term scores 0 in every sentence: its first sentence wins.
    """
    # The terms anywhere in the passage, in query order: no other term is in any sentence.
    # Lists, not generators, into the tuples: thirty candidates a question, each a few terms.
    joined = prepared.joined
    present = tuple([t for t in scorer.query.terms if t in joined])
    if not present:
        return 0, 0.0
    if len(prepared.sentences) == 1:
        return 0, scorer.score_holding(prepared.sentences[0], joined, present)
    scores = [scorer.score_holding(s, f, tuple([t for t in present if t in f]))
              for s, f in zip(prepared.sentences, prepared.folded_sentences, strict=True)]
    best = scores.index(max(scores))  # the first of the best: what (score, -i) picks
    return best, scores[best]
