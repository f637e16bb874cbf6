"""The reference segmenter: the same pipeline as qa.segment, cut by jieba itself.

qa.segment cuts with rjieba; these tests (and bench/bench_segment.py) check it against jieba
0.42.1 doing what the segmenter did before: jieba's own dictionary, the lexicon added with
``add_word`` (a thesaurus phrase already in jieba's table keeps its frequency), search mode
without HMM, and sub-words whose frequency in the live table is non-zero.
"""

from __future__ import annotations

import jieba

from qa.segment import Segmenter


class _JiebaWords:
    """What the pipeline asks of a tokenizer besides cutting: is this a word."""

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        self.tokenizer = tokenizer

    def has_word(self, word: str) -> bool:
        return bool(self.tokenizer.FREQ.get(word))


def reference_tokenizer(segmenter: Segmenter) -> jieba.Tokenizer:
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


def reference_tokens(segmenter: Segmenter, tokenizer: jieba.Tokenizer, text: str) -> list[str]:
    """Return the tokens the segmenter's pipeline gives when jieba does the cutting."""
    cut = tokenizer.cut_for_search(segmenter.normalize(text), HMM=False)
    words = segmenter._join_single_chars(cut)
    subwords = segmenter._with_long_subwords(words, _JiebaWords(tokenizer))  # type: ignore[arg-type]
    return [w for w in subwords if segmenter.is_content(w)]
