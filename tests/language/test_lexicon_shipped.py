"""The shipped lexicon frequencies (data/lexicon_freqs.json) are what the builder works out."""

from __future__ import annotations

import pytest

from qa.language import lexicon
from qa.language.lexicon import LexiconBuilder, build_tokenizer, shipped_words
from qa.language.tokenizer import Tokenizer, _new_jieba


def test_shipped_words_are_the_builders() -> None:
    segmenter = Tokenizer()
    fresh = LexiconBuilder(segmenter.normalize, _new_jieba()).build(segmenter.lexicon)
    shipped = shipped_words(segmenter.lexicon)
    assert shipped is not None, "lexicon changed: run .venv/bin/python tools/lexicon_freqs.py"
    assert [tuple(w) for w in shipped] == fresh


def test_another_lexicon_is_worked_out(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = (*Tokenizer().lexicon, "新造词语")
    assert shipped_words(lines) is None
    monkeypatch.setattr(lexicon, "SHIPPED", lexicon.SHIPPED.with_name("missing.json"))
    assert shipped_words(Tokenizer().lexicon) is None


def test_the_default_lexicon_reads_no_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    segmenter = Tokenizer()

    def refuse(*args: object) -> None:
        raise AssertionError("worked the frequencies out again")

    monkeypatch.setattr(LexiconBuilder, "build", refuse)
    tokenizer = build_tokenizer(segmenter.lexicon, segmenter.normalize, _new_jieba(), "k")
    reference = LexiconBuilder(segmenter.normalize, _new_jieba())
    monkeypatch.undo()
    reference.build(segmenter.lexicon)
    text = "深入推进清廉机关建设，落实三会一课制度，开展主题党日和学习强国学习"
    assert tokenizer.cut_for_search(text, False) == reference.jieba.cut_for_search(text, False)
