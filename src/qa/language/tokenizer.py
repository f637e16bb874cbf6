"""Tokenise documents and questions with one pipeline: normalise → jieba + lexicon → filter.

The segmenter is rjieba (jieba-rs), which cuts exactly as jieba 0.42.1 does with the same
dictionary (tests/test_segment_identity.py runs both; bench/bench_segment.py on 10⁵ passages:
same tokens, 7× faster) and builds its dictionary in ≈0.15 s instead of jieba's ≈1.4 s. What
rjieba's ``add_word`` does not do like jieba's is done in ``qa.lexicon``: a lexicon word without
a frequency gets the one jieba's ``suggest_freq`` would give it.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable
from functools import cache, cached_property, partial
from itertools import chain, repeat
from operator import is_
from pathlib import Path

import rjieba

from qa.data import data_path
from qa.language import fold, jiebadict, lexicon

from .fold import nfkc as _nfkc
from .jiebadict import dictionary_path
from .startcache import load_char_set, without_pkg_resources

# zhconv imports pkg_resources (≈0.1 s) only to open its own data file.
with without_pkg_resources():
    from zhconv import zhconv as _zhconv

# Single Chinese characters are mostly jieba leftovers (得, 新, 评): too ambiguous to match on.
_TOKEN_OK = re.compile(r"[\u4e00-\u9fff].|[a-z]{2,}|\d")


def _read_lines(name: str) -> list[str]:
    text = data_path(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


_ZHCDICT = Path(_zhconv.__file__).with_name("zhcdict.json")


@cache
def _load_zhconv() -> None:
    # An explicit path makes zhconv read its table inside ``with open`` (the default leaks it).
    _zhconv.loaddict(str(_ZHCDICT))


def _compute_traditional_chars() -> frozenset[str]:
    _load_zhconv()
    # getdict("zh-cn")'s table (zh2Hans updated by zh2CN), without the prefix set getdict
    # also builds (≈35 ms) for a conversion that most texts never need.
    tables = _zhconv.zhcdicts
    table = {**tables["zh2Hans"], **tables["zh2CN"]}
    return frozenset(k for k, v in table.items() if len(k) == 1 and v != k)


@cache
def _traditional_chars() -> frozenset[str]:
    # Loading zhconv's table costs ≈0.2 s; it is only needed when a text has such characters.
    return load_char_set(_ZHCDICT, _compute_traditional_chars)


@cache
def _traditional_in_gb2312() -> re.Pattern[str]:
    """Return a pattern of the few traditional characters GB 2312 can encode (「」後於乾…).

    GB 2312 is a simplified-character set: of zhconv's ≈ 4,700 characters it encodes 28, so a
    text that encodes has a traditional character only if it has one of those.
    """
    # Encoding with "ignore" gives b"" for a character GB 2312 lacks (no exception a character).
    inside = sorted(c for c in _traditional_chars() if c.encode("gb2312", "ignore"))
    return re.compile("[" + "".join(map(re.escape, inside)) + "]")


# Runs of two or more single Chinese characters in a passage's mask (1 = a single character).
_SINGLE_RUNS = re.compile(b"\x01\x01+")
_EXPANDED_MAX = 500_000  # distinct words whose tokens tokens() remembers (≈60 MB at most)
_HEADS_MAX = 4096  # headings whose tokens tokens_after() remembers
_TOKENIZERS: dict[tuple[str, ...], rjieba.Jieba] = {}
# rjieba builds a default Jieba when imported (≈0.1 s); the first tokenizer adopts it rather
# than building a second. Nothing else in the process uses rjieba's module-level functions.
# Read defensively: a later rjieba may rename it, and then the first tokenizer just builds its own.
_default = getattr(rjieba, "_DEFAULT_JIEBA", None)
_spare: list[rjieba.Jieba] = [_default] if isinstance(_default, rjieba.Jieba) else []


def _new_jieba() -> rjieba.Jieba:
    return _spare.pop() if _spare else rjieba.Jieba()


class _Expansions(dict[str, tuple[str, ...] | None]):
    """Each distinct word's tokens (its search-mode sub-words, itself, its long sub-words), made
    on first sight: most words recur. A single Chinese character maps to None: it is glued to
    its neighbours."""

    def __init__(self, expand: Callable[[str], tuple[str, ...]]) -> None:
        super().__init__()
        self._expand = expand

    def __missing__(self, word: str) -> tuple[str, ...] | None:
        single = len(word) == 1 and "\u4e00" <= word <= "\u9fff"
        tokens = None if single else self._expand(word)
        if len(self) < _EXPANDED_MAX:
            self[word] = tokens
        return tokens


def default_lexicon() -> tuple[str, ...]:
    """Return the domain lexicon plus every thesaurus phrase, so jieba keeps them whole."""
    from .wordlists import load_language

    words = _read_lines("lexicon.txt")
    known = {line.split()[0] for line in words}
    thesaurus = load_language().thesaurus
    extra = {w for source, targets in thesaurus.expansions.items() for w in (source, *targets)}
    return tuple(words + sorted(w for w in extra if w not in known and len(w) >= 2))


class Tokenizer:
    """Turn text into search tokens; documents and queries must go through the same one."""

    def __init__(
        self,
        lexicon: Iterable[str] | None = None,
        stopwords: Iterable[str] | None = None,
    ) -> None:
        # Query expansion (synonyms, thesaurus) is the question side's: qa.language / understand.
        self.lexicon = tuple(lexicon) if lexicon is not None else default_lexicon()
        self.stopwords = frozenset(
            stopwords if stopwords is not None else _read_lines("stopwords.txt")
        )
        self._jieba: rjieba.Jieba | None = _TOKENIZERS.get(self.lexicon)
        self._traditional = _traditional_chars()
        # Each distinct word's tokens (search-mode sub-words, itself, long sub-words).
        self._expanded: _Expansions | None = None
        self._glued: _Expansions  # a run of single characters' tokens (made with _expanded)
        # A heading's tokens, or None when it has traditional characters (tokens_after).
        self._heads: dict[str, tuple[str, ...] | None] = {}

    @cached_property
    def version(self) -> str:
        """Return a short hash of what decides the tokens (a token-cache key): lexicon, stop
        words, rjieba, jieba's dictionary and this code."""
        digest = hashlib.sha256()
        for part in (self.lexicon, sorted(self.stopwords)):
            digest.update(repr(part).encode("utf-8"))
        # A new rjieba (its built-in dictionary, its cutting) must miss the caches too; its
        # binary's size and time stand for its version (importlib.metadata costs ≈40 ms).
        # jieba's dictionary gives the lexicon words their frequencies (qa.lexicon).
        for path in (str(sys.modules["rjieba.rjieba"].__file__), dictionary_path()):
            stat = os.stat(path)
            digest.update(f"{path} {stat.st_size} {stat.st_mtime_ns}".encode())
        # This code decides the tokens too; a changed pipeline must miss the caches.
        for module in (__file__, lexicon.__file__, jiebadict.__file__, fold.__file__):
            digest.update(Path(module).read_bytes())
        return digest.hexdigest()[:16]

    def initialize(self) -> rjieba.Jieba:
        """Build the segmenter's dictionary with the domain lexicon now rather than on first use."""
        if self._jieba is None:
            if self.lexicon not in _TOKENIZERS:
                # Tokenizers with the same lexicon share one tokenizer.
                _TOKENIZERS[self.lexicon] = lexicon.build_tokenizer(
                    self.lexicon, self.normalize, _new_jieba(), self.version)
            self._jieba = _TOKENIZERS[self.lexicon]
        return self._jieba

    @property
    def dictionary_path(self) -> Path:
        """Return the path of jieba's main dictionary (words, frequencies, tags)."""
        return dictionary_path()

    def normalize(self, text: str) -> str:
        """Fold width, case and traditional characters so both sides compare equal."""
        text = _nfkc(text).lower()
        if not self._traditional_set().isdisjoint(text):
            _load_zhconv()
            text = _zhconv.convert(text, "zh-cn")
        return text

    def _traditional_set(self) -> frozenset[str]:
        # normalize() runs inside __init__ before the attribute exists.
        return getattr(self, "_traditional", None) or _traditional_chars()

    def is_content(self, token: str) -> bool:
        """Tell whether a token carries meaning (not a stop word, space or punctuation)."""
        return token not in self.stopwords and _TOKEN_OK.search(token) is not None

    def tokens(self, text: str) -> list[str]:
        """Return the content tokens of a text, sub-words of long words included."""
        return self._tokens_of(self.normalize(text))

    def tokens_after(self, head: str, text: str) -> list[str]:
        """Return ``tokens(head + " " + text)``, the head's tokens remembered: an index gives
        each passage its section's headings, so a heading would be tokenised again for every
        passage (15 % of the characters of a cold build at 10⁶).

        The tokens split at the space whenever neither side has a traditional character:
        NFKC never composes across a space, nor does ``lower`` look across it (final sigma),
        jieba cuts blocks of letters and ideographs at white space, and a space ends a run of
        single characters. Otherwise (zhconv converts phrases) the joined text is tokenised.
        tests/language/test_tokenizer_speed.py checks every text against ``tokens``.
        """
        try:
            head_tokens = self._heads[head]
        except KeyError:
            head_tokens = self._head_tokens(head)
        folded = _nfkc(text).lower()
        if head_tokens is None or self._has_traditional(folded):
            return self.tokens(head + " " + text)
        return [*head_tokens, *self._tokens_of(folded)]

    def _has_traditional(self, folded: str) -> bool:
        """Tell whether a folded text has a traditional character: ``not
        traditional.isdisjoint(folded)``, in ≈ 2 µs instead of ≈ 6 for a passage (the set
        test makes a string of each character; encoding and a 28-character class do not)."""
        try:
            folded.encode("gb2312")
        except UnicodeEncodeError:
            return not self._traditional_set().isdisjoint(folded)
        return _traditional_in_gb2312().search(folded) is not None

    def _head_tokens(self, head: str) -> tuple[str, ...] | None:
        """Return a heading's tokens, or None when it has traditional characters; remember it."""
        folded = _nfkc(head).lower()
        tokens = None if self._has_traditional(folded) else tuple(self._tokens_of(folded))
        if len(self._heads) >= _HEADS_MAX:
            self._heads.clear()  # passages come section by section: recent heads matter
        self._heads[head] = tokens  # another thread may clear it: this call keeps its own
        return tokens

    def _tokens_of(self, normalized: str) -> list[str]:
        jieba = self._jieba or self.initialize()
        # jieba's search mode is its cut with, before each long word, the dictionary words
        # inside it: a property of the word, so each distinct word's are found once (in its
        # expansion, _search_expand) instead of by jieba at each of its occurrences.
        words = jieba.cut(normalized, False)
        # One dictionary look-up a word, in C; a single Chinese character maps to None, to be
        # glued with its neighbours (a Python loop over every word cost a third of tokens()).
        expansions = self._expansions(jieba)
        parts = list(map(expansions.__getitem__, words))
        # Where the single characters are, as bytes: runs of them are then found in C.
        singles = bytes(map(is_, parts, repeat(None)))
        if b"\x01\x01" in singles:
            self._glue_runs(words, parts, singles)
        return list(chain.from_iterable(filter(None, parts)))

    def _expansions(self, jieba: rjieba.Jieba) -> _Expansions:
        if self._expanded is None:
            self._expanded = _Expansions(partial(self._search_expand, jieba=jieba))
            self._glued = _Expansions(partial(self._glue, jieba=jieba))
        return self._expanded

    def _glue_runs(self, words: list[str], parts: list[tuple[str, ...] | None],
                   singles: bytes) -> None:
        """Glue runs of single characters back together: jieba shreds coinages like 五多四过.

        ``singles`` marks the single characters (1); a run's glued word's tokens go in place of
        its first None (the rest stay None, for the caller to drop). Runs recur (和的, 五多四过):
        each distinct run is glued once (``_glue``).
        """
        glued = self._glued
        for run in _SINGLE_RUNS.finditer(singles):
            start, end = run.span()
            parts[start] = glued["".join(words[start:end])]

    def _glue(self, run: str, jieba: rjieba.Jieba) -> tuple[str, ...]:
        """Return the tokens of a run of single characters glued; none for a lone character."""
        # Stop words at either end of the run are not part of the coinage.
        joined = run.strip("".join(c for c in run if c in self.stopwords))
        # A coinage is no word of jieba's: its tokens are _expand's, no search-mode sub-words.
        return self._expand(joined, jieba) if len(joined) > 1 else ()

    def _search_expand(self, word: str, jieba: rjieba.Jieba) -> tuple[str, ...]:
        """Return the tokens of a word of jieba's cut as search mode yields it: the 2-, then
        the 3-character dictionary words inside a longer word (``cut_for_search`` of jieba
        0.42.1 and of jieba-rs), then the word itself, each as ``_expand`` keeps it.
        tests/language/test_tokenizer_speed.py holds this to ``cut_for_search``.
        """
        grams = [word[i : i + n] for n in (2, 3) if len(word) > n
                 for i in range(len(word) - n + 1) if jieba.has_word(word[i : i + n])]
        tokens = [token for gram in grams for token in self._expand(gram, jieba)]
        return (*tokens, *self._expand(word, jieba))

    def _expand(self, word: str, jieba: rjieba.Jieba) -> tuple[str, ...]:
        """Return a word's tokens: itself and the 4+ character dictionary words inside it
        (理论学习 in 理论学习中心组), those that carry meaning, interned.

        jieba's search mode yields only 2- and 3-character sub-words.
        """
        parts = [word]
        if len(word) > 4:
            parts.extend(
                word[i : i + size]
                for size in range(4, len(word))
                for i in range(len(word) - size + 1)
                if jieba.has_word(word[i : i + size])
            )
        return tuple(sys.intern(w) for w in parts if self.is_content(w))
