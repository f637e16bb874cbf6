"""The reference segmenter: qa.segment's pipeline as it was when jieba did the cutting.

qa.segment cuts with rjieba; these tests (and bench/bench_segment.py) check it against jieba
0.42.1 doing what the segmenter did before: jieba's own dictionary, the lexicon added with
``add_word`` (a thesaurus phrase already in jieba's table keeps its frequency), search mode
without HMM, and sub-words whose frequency in the live table is non-zero.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import jieba

from qa.language.tokenizer import Tokenizer


def reference_tokenizer(segmenter: Tokenizer) -> jieba.Tokenizer:
    """Return a jieba Tokenizer holding jieba's dictionary plus the segmenter's lexicon."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for line in segmenter.lexicon:
        word, *rest = line.split()
        word = segmenter.normalize(word)
        freq = int(rest[0]) if rest and rest[0].isdigit() else None
        if freq is None and word in tokenizer.FREQ:
            continue
        tokenizer.add_word(word, freq)
    return tokenizer


def reference_tokens(segmenter: Tokenizer, tokenizer: jieba.Tokenizer, text: str) -> list[str]:
    """Return the tokens of the pipeline as it was before rjieba (kept verbatim here)."""
    words = _join_single_chars(segmenter, tokenizer.cut_for_search(segmenter.normalize(text),
                                                                   HMM=False))
    subwords = _with_long_subwords(tokenizer, words)
    return [sys.intern(w) for w in subwords if segmenter.is_content(w)]


def _with_long_subwords(tokenizer: jieba.Tokenizer, words: list[str]) -> list[str]:
    freq = tokenizer.FREQ
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


def _join_single_chars(segmenter: Tokenizer, words: Iterable[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and "\u4e00" <= word <= "\u9fff":
            run.append(word)
            continue
        joined = "".join(run).strip("".join(c for c in run if c in segmenter.stopwords))
        if len(joined) > 1:
            out.append(joined)
        run = []
        out.append(word)
    return out[:-1]
