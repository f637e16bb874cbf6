"""How much information a question word carries: the one weight formula of the engine.

A word the reports never use is not "missing content" when it is ordinary language (麻烦, 东西,
哪里): its weight comes from a background model of general Chinese, the word frequencies and
part-of-speech tags jieba ships in its dictionary. A rare content word (比特币, 公积金, 国足)
weighs a lot, so a question about it is honestly not found. Words the reports do use never
weigh less than ``REPORT_FLOOR``; listed fillers weigh ``FILLER_WEIGHT``, below every report word.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path

from .jiebadict import read_dictionary

# Self-information (nats) of a word in general Chinese: at or below LOW it is everyday
# language, at or above LOW + SPAN it is as specific as words get.
LOW_INFO = 7.0
INFO_SPAN = 8.0
MIN_SPECIFICITY = 0.05
REPORT_FLOOR = 0.35
FILLER_WEIGHT = 0.02
# Part of speech scales specificity: a rare adverb still says little about the topic.
FUNCTION_TAGS = frozenset("r d m q y u uj ul uz ug uv ud c p e o f k h x zg t tg".split())
PREDICATE_TAGS = frozenset("v vd vg a ad an ag z b i l".split())
# ... of which these only build sentences: no topic however often the reports use them (a time
# or place word, 全年 or 上面, still says which part of a report is meant).
GRAMMAR_TAGS = frozenset("r c p u uj ul uz ug uv ud y e o".split())
_FUNCTION_LETTERS = frozenset(t for t in FUNCTION_TAGS if len(t) == 1)
FUNCTION_FACTOR = 0.25
PREDICATE_FACTOR = 0.6
# A word jieba does not know counts as this many times rarer than its most common character.
OOV_DAMPING = 50
# Words whose weight and general frequency are kept per engine.
MAX_CACHED_WORDS = 100_000
# Below these a word left over from a section question is ordinary language, not a topic.
TOPIC_MIN = 0.3
TOPIC_MIN_REPORT = 0.12


def specificity(freq: int, total: int) -> float:
    """Return how specific a word is in general Chinese, 0.05 (everyday) to 1 (rare)."""
    info = math.log(total / (freq + 1)) if total > 0 else LOW_INFO + INFO_SPAN
    return min(1.0, max(MIN_SPECIFICITY, (info - LOW_INFO) / INFO_SPAN))


def tag_factor(tag: str | None) -> float:
    """Return how much a part of speech can carry a topic (nouns 1, verbs 0.6, particles 0.25).

    A compound tag of function tags is one too: jieba's 「mq」 (哪份, 这回) is a numeral or
    pronoun with its classifier.
    """
    if tag in FUNCTION_TAGS or (tag and len(tag) == 2 and set(tag) <= _FUNCTION_LETTERS):
        return FUNCTION_FACTOR
    if tag in PREDICATE_TAGS:
        return PREDICATE_FACTOR
    return 1.0


def information_weight(
    freq: int, total: int, tag: str | None, in_reports: bool, filler: bool = False
) -> float:
    """Return a question word's weight: background specificity × part of speech, floored."""
    if filler:
        return FILLER_WEIGHT
    weight = specificity(freq, total) * tag_factor(tag)
    # A pronoun or particle says no more for being in the reports too (这个, 那些, 自己).
    return max(weight, REPORT_FLOOR) if in_reports and tag not in GRAMMAR_TAGS else weight


class Background:
    """A word weigher: jieba's word frequencies and tags plus the reports' own vocabulary."""

    def __init__(
        self,
        dictionary: Path | Callable[[], tuple[Mapping[str, tuple[int, str]], int]],
        doc_freq: Callable[[str], int],
        fillers: frozenset[str] = frozenset(),
    ) -> None:
        # Read lazily: the dictionary is read on the first question, not when the engine is built.
        self._source = dictionary
        self.doc_freq = doc_freq
        self.fillers = fillers
        self._cache: dict[str, float] = {}
        # A word's general frequency, each a few binary searches of jieba's dictionary (one
        # per part of a word it lacks): every question asks again for its words' (is_topic).
        self._frequencies: dict[str, tuple[int, str | None]] = {}

    def load(self) -> None:
        """Read the background dictionary now (≈0.05 s) rather than on the first question."""
        self._table()

    def _table(self) -> tuple[Mapping[str, tuple[int, str]], int]:
        if isinstance(self._source, Path):
            # The words themselves, not the tokenizer's live table: the domain lexicon adds
            # words with made-up frequencies, which say nothing about general Chinese.
            table = read_dictionary(self._source)
            return table, table.total
        return self._source()

    def frequency(self, word: str) -> tuple[int, str | None]:
        """Return a word's frequency in general Chinese and its tag.

        A word jieba does not know is as specific as its rarest known part (发展党员 as 党员);
        with no known part it is a run of single characters jieba could not join ("不把抓",
        "叫啥") and counts as common as its commonest character, damped.
        """
        found = self._frequencies.get(word)
        if found is None:
            found = self._frequency(word)
            if len(self._frequencies) < MAX_CACHED_WORDS:
                self._frequencies[word] = found
        return found

    def _frequency(self, word: str) -> tuple[int, str | None]:
        table = self._table()[0]
        entry = table.get(word)
        if entry is not None:
            return entry
        parts = [table[word[i:j]][0] for i in range(len(word))
                 for j in range(i + 2, len(word) + 1) if word[i:j] in table and j - i < len(word)]
        if parts:
            return min(parts), None
        chars = [table.get(c, (0, "x"))[0] for c in word]
        return (max(chars) // OOV_DAMPING if chars else 0), None

    def knows(self, word: str) -> bool:
        """Tell whether general Chinese (the background dictionary) has this word."""
        return word in self._table()[0]

    def weight(self, word: str) -> float:
        """Return the information weight of a question word (cached per engine)."""
        cached = self._cache.get(word)
        if cached is None:
            freq, tag = self.frequency(word)
            cached = information_weight(
                freq,
                self._table()[1],
                tag,
                self.doc_freq(word) > 0,
                word in self.fillers,
            )
            if len(self._cache) < MAX_CACHED_WORDS:
                self._cache[word] = cached
        return cached

    def is_topic(self, word: str) -> bool:
        """Tell whether a word can be the topic of a question (not ordinary language).

        A report word counts unless it is a function word; any other word must be specific
        in general Chinese ("准备", "出现" left over from a section question are not topics).
        """
        if word in self.fillers:
            return False
        freq, tag = self.frequency(word)
        general = specificity(freq, self._table()[1]) * tag_factor(tag)
        # A report noun may be common ("党费"); a common verb or adjective never is a topic.
        if self.doc_freq(word) > 0 and tag_factor(tag) == 1.0:
            return general >= TOPIC_MIN_REPORT
        return general >= TOPIC_MIN
