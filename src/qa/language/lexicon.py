"""The domain lexicon added to an rjieba tokenizer exactly as jieba's ``add_word`` adds it.

rjieba cuts as jieba does once both hold the same words with the same frequencies; what it does
differently is what ``add_word`` does without a frequency, so the frequencies are worked out
here, from jieba's dictionary file (``qa.jiebadict``), and kept in a start-up cache. For the
shipped lexicon they also ship, worked out in advance (``data/lexicon_freqs.json``, written by
``tools/lexicon_freqs.py`` and checked against this code by the tests): a first start with
nothing cached reads no dictionary file for them (≈0.15 s).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any

import rjieba

from qa.data import data_path

from .jiebadict import JiebaDictionary, dictionary_path, read_dictionary
from .startcache import cached_json


def build_tokenizer(lexicon: Iterable[str], normalize: Callable[[str], str],
                    tokenizer: rjieba.Jieba, key: str) -> rjieba.Jieba:
    """Add the lexicon to a fresh tokenizer and return it.

    The words and frequencies added come from the start-up cache when one is kept; ``key``
    must name everything they depend on (``Tokenizer.version``).
    """
    lines = tuple(lexicon)
    builder = LexiconBuilder(normalize, tokenizer)
    added = shipped_words(lines) or cached_json("lexicon", key, lambda: builder.build(lines),
                                                _is_word_list)
    if not builder.built:  # from the shipped list or the cache: add them now, in the same order
        for word, freq in added:
            tokenizer.add_word(word, freq, None)
    return tokenizer


SHIPPED = data_path("lexicon_freqs.json")


def lexicon_digest(lines: Sequence[str]) -> str:
    """Return what the shipped word list is keyed by: the lexicon lines and jieba's dictionary
    (its size: jieba is pinned, so its dict.txt is one file)."""
    digest = hashlib.sha256("\n".join(lines).encode("utf-8"))
    digest.update(str(dictionary_path().stat().st_size).encode())
    return digest.hexdigest()


def shipped_words(lines: Sequence[str]) -> list[tuple[str, int]] | None:
    """Return the shipped words and frequencies if they were worked out for these lines."""
    try:
        shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(shipped, dict) or shipped.get("digest") != lexicon_digest(lines):
        return None
    words: Any = shipped.get("words")
    return [(word, freq) for word, freq in words] if _is_word_list(words) else None


def _is_word_list(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)
        and isinstance(item[1], int) and item[1] > 0 for item in value)


class LexiconBuilder:
    """Add the domain lexicon to a fresh rjieba tokenizer exactly as jieba's ``add_word`` would.

    jieba keeps, besides its words, every prefix of a word with frequency 0: a thesaurus phrase
    that is such a prefix counts as known and is not added. A word without a frequency gets
    jieba's ``suggest_freq``, which multiplies the frequencies of the word's pieces over a
    total that grows with each added word; rjieba's own rounds differently (by one).
    """

    def __init__(self, normalize: Callable[[str], str], tokenizer: rjieba.Jieba) -> None:
        self.normalize = normalize
        self.added: dict[str, int] = {}
        self.added_total = 0  # jieba adds every added frequency to its total, replaced words too
        self.prefixes: set[str] = set()
        self.jieba = tokenizer
        self.built = False
        self._table_freq: dict[str, int | None] = {}

    @cached_property
    def table(self) -> JiebaDictionary:
        # Read only when a word has no frequency (the default lexicon's thesaurus phrases).
        return read_dictionary(dictionary_path())

    def build(self, lexicon: Iterable[str]) -> list[tuple[str, int]]:
        """Add every lexicon line ("word [freq [tag]]"); return the words added, in order."""
        self.built = True
        order: list[tuple[str, int]] = []
        for line in lexicon:
            word, *rest = line.split()
            word = self.normalize(word)
            freq = int(rest[0]) if rest and rest[0].isdigit() else None
            if freq is None:
                if self._known(word):
                    continue  # a thesaurus phrase jieba already knows keeps its own frequency
                freq = self._suggest_freq(word)
            if freq == 0:
                raise ValueError(f"lexicon frequency 0 (jieba's forced split) unsupported: {word}")
            self.jieba.add_word(word, freq, None)
            order.append((word, freq))
            self.added[word] = freq
            self.added_total += freq
            self.prefixes.update(word[:i] for i in range(1, len(word)))
        return order

    def _known(self, word: str) -> bool:
        """Tell whether ``word in jieba.FREQ`` (a word or a word's prefix, added ones too)."""
        known = word in self.added or word in self.prefixes
        return known or self.table.jieba_freq(word) is not None

    def _freq(self, word: str) -> int:
        """Return ``jieba.FREQ.get(word, 1)``."""
        if word in self.added:
            return self.added[word]
        freq = self._table_freq.get(word, -1)
        if freq == -1:  # pieces recur (党员, 工作): look each up once
            freq = self._table_freq[word] = self.table.jieba_freq(word)
        if freq is None:
            return 0 if word in self.prefixes else 1
        return freq

    def _suggest_freq(self, word: str) -> int:
        """Return jieba's ``suggest_freq(word, tune=False)``, float steps in jieba's order."""
        total = self.table.total + self.added_total
        freq = 1.0
        for piece in self.jieba.cut(word, False):
            freq *= self._freq(piece) / float(total)
        return max(int(freq * total) + 1, self._freq(word))
