"""Tokenise documents and questions with one pipeline: normalise → jieba + lexicon → filter."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

from .fastload import load_char_set, load_prefix_dict, without_pkg_resources

# jieba and zhconv import pkg_resources (≈0.1 s) only to open their own data files.
with without_pkg_resources():
    import jieba
    from zhconv import zhconv as _zhconv

# Single Chinese characters are mostly jieba leftovers (得, 新, 评): too ambiguous to match on.
_TOKEN_OK = re.compile(r"[\u4e00-\u9fff].|[a-z]{2,}|\d")
_DATA = resources.files("qa") / "data"


def _read_lines(name: str) -> list[str]:
    text = (_DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


_ZHCDICT = Path(_zhconv.__file__).with_name("zhcdict.json")


@cache
def _load_zhconv() -> None:
    # An explicit path makes zhconv read its table inside ``with open`` (the default leaks it).
    _zhconv.loaddict(str(_ZHCDICT))


def _compute_traditional_chars() -> frozenset[str]:
    _load_zhconv()
    table = _zhconv.getdict("zh-cn")
    return frozenset(k for k, v in table.items() if len(k) == 1 and v != k)


@cache
def _traditional_chars() -> frozenset[str]:
    # Loading zhconv's table costs ≈0.2 s; it is only needed when a text has such characters.
    return load_char_set(_ZHCDICT, _compute_traditional_chars)


_TOKENIZERS: dict[tuple[str, ...], jieba.Tokenizer] = {}


def _tokenizer_for(lexicon: tuple[str, ...]) -> jieba.Tokenizer:
    # jieba's dictionary costs ~1 s to load; segmenters with the same lexicon share one.
    return _TOKENIZERS.setdefault(lexicon, jieba.Tokenizer())


def default_lexicon() -> tuple[str, ...]:
    """Return the domain lexicon plus every thesaurus phrase, so jieba keeps them whole."""
    from .language import load_language  # language reads data only; no cycle at import time

    words = _read_lines("lexicon.txt")
    known = {line.split()[0] for line in words}
    thesaurus = load_language().thesaurus
    extra = {w for source, targets in thesaurus.expansions.items() for w in (source, *targets)}
    return tuple(words + sorted(w for w in extra if w not in known and len(w) >= 2))


class Segmenter:
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
        self._jieba = _tokenizer_for(self.lexicon)
        self._traditional = _traditional_chars()

    @cached_property
    def version(self) -> str:
        """Return a short hash of lexicon and stop words (a token-cache key)."""
        digest = hashlib.sha256()
        for part in (self.lexicon, sorted(self.stopwords)):
            digest.update(repr(part).encode("utf-8"))
        digest.update(jieba.__version__.encode())
        # This module's code decides the tokens too; a changed pipeline must miss the caches.
        digest.update(Path(__file__).read_bytes())
        return digest.hexdigest()[:16]

    def initialize(self) -> None:
        """Load jieba's dictionary and the domain lexicon now rather than on first use."""
        if not self._jieba.initialized:
            load_prefix_dict(self._jieba, self.version, self._build_dictionary)

    @property
    def dictionary_path(self) -> Path:
        """Return the path of jieba's main dictionary (words, frequencies, tags)."""
        return Path(jieba.__file__).with_name("dict.txt")

    def _build_dictionary(self) -> None:
        self._jieba.initialize()
        for line in self.lexicon:
            word, *rest = line.split()
            word = self.normalize(word)
            freq = int(rest[0]) if rest and rest[0].isdigit() else None
            if freq is None and word in self._jieba.FREQ:
                continue  # a thesaurus phrase jieba already knows keeps its own frequency
            self._jieba.add_word(word, freq)

    def normalize(self, text: str) -> str:
        """Fold width, case and traditional characters so both sides compare equal."""
        text = unicodedata.normalize("NFKC", text).lower()
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
        self.initialize()
        words = self._join_single_chars(self._jieba.cut_for_search(self.normalize(text), HMM=False))
        return [sys.intern(w) for w in self._with_long_subwords(words) if self.is_content(w)]

    def _with_long_subwords(self, words: list[str]) -> list[str]:
        """Add the 4+ character dictionary words inside longer words (理论学习 in 理论学习中心组).

        jieba's search mode yields only 2- and 3-character sub-words.
        """
        freq = self._jieba.FREQ
        out: list[str] = []
        for word in words:
            out.append(word)
            for size in range(4, len(word)):
                out.extend(
                    word[i : i + size]
                    for i in range(len(word) - size + 1)
                    if freq.get(word[i : i + size])
                )
        return out

    def _join_single_chars(self, words: Iterable[str]) -> list[str]:
        """Glue runs of single characters back together: jieba shreds coinages like 五多四过."""
        out: list[str] = []
        run: list[str] = []
        for word in [*words, ""]:
            if len(word) == 1 and "\u4e00" <= word <= "\u9fff":
                run.append(word)
                continue
            joined = "".join(run).strip("".join(c for c in run if c in self.stopwords))
            if len(joined) > 1:
                out.append(joined)
            run = []
            out.append(word)
        return out[:-1]
