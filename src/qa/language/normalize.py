"""Question normalisation: the one place where the way people type is folded away.

@mentions, emoji, repeated punctuation, traditional characters, polite and filler words and
colloquial wording are removed or rewritten before the question is understood. Every list it
reads lives in ``qa/data`` (see ``qa.language``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .phrasefind import olds_of
from .wordlists import Language, load_language

# "@dj_bot", and a display-name mention such as "@党建小助手": up to the next space or mark.
_MENTION = re.compile(r"@[A-Za-z0-9_]{3,}|@[^\s，,。？?！!、：:；;@]{1,20}")
_SPACES = re.compile(r"\s+")
# Runs of the same punctuation ("？？", "。。。", "!!!") collapse to one mark.
_REPEATED_PUNCT = re.compile(r"([?!.,;:~。，、；：…·\-—_])\1+")
_EDGE_PUNCT = " ?!.,;:~。，、；：…·-—_\"'“”‘’()（）[]【】《》<>"
# "弱不弱", "有没有", "够不够": an A-not-A question asks about A.
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A question as typed, and the same question with everything but its content folded."""

    original: str
    text: str
    smalltalk: str = ""  # "greeting" or "thanks" when that is all the message says


def strip_symbols(text: str) -> str:
    """Drop emoji, pictographs and joiners, which carry no searchable meaning."""
    return text.translate(_SYMBOLS)


class _SymbolTable(dict[int, int | None]):
    """``str.translate``'s table: a symbol deleted, any other character kept, each character
    classified once (``_is_symbol``) and then looked up in C, not by a Python call per
    character of every question."""

    def __missing__(self, code: int) -> int | None:
        kept = None if _is_symbol(chr(code)) else code
        if len(self) < _SYMBOLS_MAX:
            self[code] = kept
        return kept


# Characters classified and remembered, at most (a question has a few dozen; text typed
# anywhere stays within the few thousand common ones).
_SYMBOLS_MAX = 1 << 16
_SYMBOLS = _SymbolTable()


def _is_symbol(char: str) -> bool:
    if char in "\u200d\ufe0e\ufe0f\u20e3":
        return True
    category = unicodedata.category(char)
    return category in ("So", "Sk", "Cs", "Co", "Cn") or "\U0001f3fb" <= char <= "\U0001f3ff"


@lru_cache(maxsize=8)
def _deleted(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Return (word, "") rewrites for the words, built once per word list."""
    return tuple((word, "") for word in words)


def _replace_words(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    # Pair by pair in order, each tested on the text as the pairs before it left it; only the
    # pairs whose word occurs are visited (qa.language.phrasefind).
    olds = olds_of(pairs)
    at = olds.first_in(text)
    while at >= 0:
        old, new = pairs[at]
        if old.isascii():
            # English fillers only as whole words: "ok" must not eat "book".
            text = re.sub(rf"(?<![a-z]){re.escape(old)}(?![a-z])", f" {new} ", text)
        elif new:
            # Chinese for Chinese in place: "唠唠嗑" → "唠嗑" must stay one word.
            text = text.replace(old, new if not new.isascii() else f" {new} ")
        else:
            text = text.replace(old, " ")
        at = olds.first_in(text, at + 1)
    return text


def _smalltalk(text: str, language: Language) -> str:
    """Return the small-talk kind a message is made of only, else ""."""
    rest = text
    kinds: list[str] = []
    for kind, phrases in language.smalltalk:
        for phrase in phrases:
            if phrase in rest:
                rest = rest.replace(phrase, " ")
                kinds.append(kind)
    if kinds and not rest.strip(_EDGE_PUNCT + " "):
        # "你好，谢谢" is thanks: a thank-you ends a conversation, a greeting opens one.
        return "thanks" if "thanks" in kinds else kinds[0]
    return ""


def normalize_question(
    raw: str,
    fold: Callable[[str], str],
    language: Language | None = None,
) -> Normalized:
    """Fold a question to its content: no mentions, emoji, fillers or colloquial wording.

    ``fold`` is the segmenter's own normaliser (width, case, traditional → simplified), so a
    question and the reports compare equal.
    """
    language = language or load_language()
    text = fold(_MENTION.sub(" ", raw or ""))
    text = _REPEATED_PUNCT.sub(r"\1", strip_symbols(text))
    text = _SPACES.sub(" ", text).strip()
    smalltalk = _smalltalk(text, language)
    if smalltalk:
        return Normalized(raw, "", smalltalk)
    fillers = _deleted(language.fillers)
    # Fillers before rewrites ("报告里咋说的" is one filler) and after ("咋" → "怎么").
    once = _replace_words(text, fillers)
    rewritten = _replace_words(once, language.rewrites)
    # A question neither pass changed is the one the fillers already left as it was: the
    # second pass over it would give it back again (most questions).
    again = rewritten if rewritten == once == text else _replace_words(rewritten, fillers)
    # After the fillers: "有没有" and "是不是" alone are fillers, "弱不弱" asks about 弱.
    text = _A_NOT_A.sub(r"\1", again)
    text = _SPACES.sub(" ", text).strip(_EDGE_PUNCT)
    return Normalized(raw, text)
