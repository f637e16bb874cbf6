"""``normalize_question`` skips the second fillers pass over a question neither pass changed:
it gives what the three passes give."""

from __future__ import annotations

from qa.language import load_language
from qa.language.normalize import (
    _A_NOT_A,
    _EDGE_PUNCT,
    _SPACES,
    _deleted,
    _replace_words,
    normalize_question,
)

QUESTIONS = [
    "主题党日活动开展情况", "报告里咋说的党费收缴", "请问一下今年发展了多少党员啊", "咋整改的",
    "有没有开展警示教育", "弱不弱", "ok 那个book呢", "学习强国", "嗯嗯，三会一课咋落实的呀？",
]


def _three_passes(text: str) -> str:
    language = load_language()
    fillers = _deleted(language.fillers)
    text = _replace_words(_replace_words(text, fillers), language.rewrites)
    return _A_NOT_A.sub(r"\1", _replace_words(text, fillers))


def test_normalising_equals_the_three_passes() -> None:
    language = load_language()
    changed = 0
    for question in QUESTIONS:
        folded = question.lower()
        expected = _SPACES.sub(" ", _three_passes(folded)).strip(_EDGE_PUNCT)
        assert normalize_question(question, str.lower, language).text == expected
        changed += _replace_words(folded, _deleted(language.fillers)) != folded
    assert changed  # some questions hold fillers, so both branches ran
