"""Homophone typos repaired against the library's own vocabulary (当员 → 党员, ztjy → 主题教育).

Voice input and pinyin keyboards produce words that sound right and are written wrong. A
question word that neither the reports nor general Chinese (jieba's dictionary) know, and
that sounds exactly like a word the reports use, is read as that word. Toneless pinyin from
``pypinyin`` (MIT); the candidates are the library's words, so nothing is listed by hand.
Chat shorthand in pinyin initials ("ztjy") is read the same way: the library's commonest word
of that many characters whose syllables start with those letters.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from operator import itemgetter

from qa.gcpause import paused_gc

from .soundstore import load_sounds, save_sounds

# Only words this long are repaired: a single character has too many homophones.
MIN_LEN = 2
MAX_LEN = 6
# A repair may change at most this share of a word's characters (当员 → 党员 changes one).
MAX_CHANGED_SHARE = 0.5
# Pinyin initials shorter than this are too ambiguous ("dj" is 党建, 对接, 电价 …).
MIN_INITIALS = 3
# Question words whose fix is remembered (a few hundred bytes each).
FIXED_WORDS = 8192


def sound(word: str) -> tuple[str, ...]:
    """Return a word's toneless pinyin, one syllable per character."""
    return tuple(_pinyin()(word))


@cache
def _pinyin() -> Callable[[str], list[str]]:
    # Imported when first needed (the warm-up, or a word to sound), not with the engine:
    # pypinyin's tables hold ≈ 57 MB, and a library's sounds may all come from the cache.
    from pypinyin import lazy_pinyin

    return lazy_pinyin


@lru_cache(maxsize=16384)
def _heard(word: str) -> tuple[str, ...]:
    """Return ``sound(word)`` of a question's word, remembered: questions reuse their words,
    and pypinyin costs more than the rest of the repair."""
    return sound(word)


_HAN = re.compile("[\u4e00-\u9fff]+")


def _is_han(word: str) -> bool:
    return _HAN.fullmatch(word) is not None


class Homophones:
    """The library's words by sound, built lazily on the first repair."""

    def __init__(self, vocabulary: Callable[[], Iterable[str]], doc_freq: Callable[[str], int],
                 known: Callable[[str], bool]) -> None:
        self._vocabulary = vocabulary
        self.doc_freq = doc_freq
        self.known = known  # a word of general Chinese (never "repaired")
        self._by_sound: dict[tuple[str, ...], list[str]] | None = None
        self._by_initials: dict[str, list[str]] = {}
        # A word's fix, remembered: questions reuse their words, and the vocabulary and
        # doc_freq a fix reads are this object's for its life (as its sound table is).
        self._fix = lru_cache(maxsize=FIXED_WORDS)(self._fix_word)

    def load(self) -> None:
        """Build the sound table now (every library word's sound: ≈ 40 µs a word from
        pypinyin, read back from the start-up cache where known) and import pypinyin, so the
        first question holding an unknown word does not wait for either."""
        self._table()
        _pinyin()

    def _table(self) -> dict[tuple[str, ...], list[str]]:
        if self._by_sound is None:
            # 10⁵ words and their sounds, all kept: a collection finds nothing to free, and
            # the ones the allocations triggered took half of the build.
            with paused_gc():
                self._build()
        assert self._by_sound is not None
        return self._by_sound

    def _build(self) -> None:
        """Build the tables from every library word and its sound."""
        known = load_sounds()
        table: dict[tuple[str, ...], list[str]] = {}
        initials: dict[str, list[str]] = {}
        words: list[str] = []
        sounds: list[tuple[str, ...]] = []
        asked = 0
        for word in self._vocabulary():
            if MIN_LEN <= len(word) <= MAX_LEN and _is_han(word):
                said = known.get(word)
                if said is None:  # one string per syllable, not per syllable a word
                    said = tuple(map(sys.intern, sound(word)))
                    asked += 1
                table.setdefault(said, []).append(word)
                initials.setdefault("".join(map(itemgetter(0), said)), []).append(word)
                words.append(word)
                sounds.append(said)
        if asked or len(words) != len(known):  # a word asked, or one gone
            save_sounds(words, sounds)
        # Initials first: a question thread reads them once it sees the sound table (the
        # warm-up thread may be building both while a question arrives).
        self._by_initials = initials
        self._by_sound = table

    def expand_initials(self, word: str) -> str:
        """Return the library word pinyin initials stand for ("ztjy" → 主题教育), or the word."""
        if not (MIN_INITIALS <= len(word) <= MAX_LEN and word.isascii() and word.isalpha()):
            return word
        if self.doc_freq(word):
            return word
        self._table()
        found = [w for w in self._by_initials.get(word.lower(), ()) if self.doc_freq(w) >= 2]
        return max(found, key=self.doc_freq) if found else word

    def correct(self, word: str) -> str:
        """Return the library word a typo stands for, or the word itself."""
        if not (MIN_LEN <= len(word) <= MAX_LEN and _is_han(word)):
            return word
        if self.doc_freq(word) or self.known(word):
            return word
        same = [w for w in self._table().get(_heard(word), ())
                if sum(a != b for a, b in zip(w, word, strict=True)) <= MAX_CHANGED_SHARE * len(w)]
        # The library's commonest spelling of that sound is the one meant.
        return max(same, key=self.doc_freq) if same else word

    def _fix_word(self, word: str) -> str:
        return self.expand_initials(word) if word.isascii() else self.correct(word)

    def repair(self, text: str, tokens: Sequence[str]) -> str:
        """Return the text with every repairable token (and pair of single characters) fixed."""
        words = [*tokens, *(a + b for a, b in zip(tokens, tokens[1:], strict=False)
                            if len(a) == 1 and len(b) == 1)]
        for word in dict.fromkeys(words):
            fixed = self._fix(word)
            if fixed != word:
                text = text.replace(word, fixed)
        return text
