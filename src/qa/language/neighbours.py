"""Library vocabulary mined for a word the reports never use: its shared-character neighbours.

A question says 写字楼, 联合体, 祭祖; the reports say 楼宇, 联盟, 祭扫. A Chinese compound
shares a morpheme with the words that mean the same, so the library's words that share a
character with an unknown question word — the rarer the character in the library's
vocabulary, the more it says — are what it may stand for. Mined from the reports themselves,
so nothing is listed by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from qa.gcpause import paused_gc

MIN_LEN = 2
MAX_LEN = 4
# At most this many neighbours per word, each sharing a character this informative at least.
MAX_NEIGHBOURS = 3
MIN_CHAR_INFO = 3.0
# Affixes and particles carry grammar, not meaning: 被评 is not akin to 植被, 章子 to 班子, 老同志
# to 老师, 碎片化 to 优化. A prefix counts only at a word's start, a suffix only at its end.
_PREFIXES = frozenset("老小阿第被")
_SUFFIXES = frozenset("子儿头们")
_LONG_SUFFIXES = frozenset("化性")  # 碎片化, 系统性: the stem means; 党性 keeps its 性
_PARTICLES = frozenset("了着过的得地之")


def _is_han(word: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in word)


class Neighbours:
    """The library's words by character, built lazily on the first lookup."""

    def __init__(self, vocabulary: Callable[[], Iterable[str]],
                 doc_freq: Callable[[str], int]) -> None:
        self._vocabulary = vocabulary
        self.doc_freq = doc_freq
        self._by_char: dict[str, list[str]] | None = None
        self._words = 0

    def load(self) -> None:
        """Build the table now, so the first question holding a word the reports never use
        does not wait for it (the warm-up thread calls this)."""
        self._table()

    def _table(self) -> dict[str, list[str]]:
        if self._by_char is None:
            with paused_gc():  # every list kept: a collection would find nothing to free
                self._build()
        assert self._by_char is not None
        return self._by_char

    def _build(self) -> None:
        table: dict[str, list[str]] = {}
        words = [w for w in self._vocabulary()
                 if MIN_LEN <= len(w) <= MAX_LEN and _is_han(w) and self.doc_freq(w)]
        for word in words:
            for char in set(word):
                table.setdefault(char, []).append(word)
        # The count first: a question thread reads it once it sees the table (the warm-up
        # thread may be building both while a question arrives).
        self._words = len(words)
        self._by_char = table

    def char_info(self, char: str) -> float:
        """Return how much a character says in the library (log of its inverse word share)."""
        table = self._table()
        return math.log((self._words + 1) / (len(table.get(char, ())) + 1))

    def of(self, word: str) -> tuple[str, ...]:
        """Return the library words an unknown word most likely stands for (best first)."""
        if self.doc_freq(word) or not _is_han(word) or len(word) < MIN_LEN:
            return ()
        scored: dict[str, float] = {}
        for char in set(_morphemes(word)):
            info = self.char_info(char)
            if info < MIN_CHAR_INFO:
                continue
            for other in self._table().get(char, ()):
                scored[other] = scored.get(other, 0.0) + info / len(other)
        best = sorted(scored, key=lambda w: (-scored[w], w))
        return tuple(best[:MAX_NEIGHBOURS])


def _morphemes(word: str) -> str:
    """Return the characters of a word that carry its meaning (its affixes and particles out)."""
    start = 1 if word[0] in _PREFIXES and len(word) > 2 or word[0] == "被" else 0
    end = len(word) - 1 if word[-1] in _SUFFIXES \
        or word[-1] in _LONG_SUFFIXES and len(word) > 2 else len(word)
    return "".join(c for c in word[start:end] if c not in _PARTICLES)
