"""Homophone typos repaired against the library's own vocabulary (当员 → 党员, ztjy → 主题教育).

Voice input and pinyin keyboards produce words that sound right and are written wrong. A
question word that neither the reports nor general Chinese (jieba's dictionary) know, and
that sounds exactly like a word the reports use, is read as that word. Toneless pinyin from
``pypinyin`` (MIT); the candidates are the library's words, so nothing is listed by hand.
Chat shorthand in pinyin initials ("ztjy") is read the same way: the library's commonest word
of that many characters whose syllables start with those letters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

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
    # Imported on the first typo, not with the engine: pypinyin's tables hold ≈ 57 MB, and a
    # library whose questions use its own words never needs them.
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(word))


@lru_cache(maxsize=16384)
def _heard(word: str) -> tuple[str, ...]:
    """Return ``sound(word)`` of a question's word, remembered: questions reuse their words,
    and pypinyin costs more than the rest of the repair."""
    return sound(word)


def _is_han(word: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in word)


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
        """Build the sound table now (pypinyin's import and every library word's sound: ≈ 0.5 s
        at 10⁵ passages), so the first question holding an unknown word does not wait for it."""
        self._table()

    def _table(self) -> dict[tuple[str, ...], list[str]]:
        if self._by_sound is None:
            table: dict[tuple[str, ...], list[str]] = {}
            initials: dict[str, list[str]] = {}
            for word in self._vocabulary():
                if MIN_LEN <= len(word) <= MAX_LEN and _is_han(word):
                    syllables = sound(word)
                    table.setdefault(syllables, []).append(word)
                    initials.setdefault("".join(s[0] for s in syllables), []).append(word)
            # Initials first: a question thread reads them once it sees the sound table (the
            # warm-up thread may be building both while a question arrives).
            self._by_initials = initials
            self._by_sound = table
        return self._by_sound

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
