"""The extractor's speed work changes no figure: the expressions as they were, kept verbatim
here, against the new ones at every position of every sentence we have (seeds, the shared corpus
when it is beside the checkout, and texts made to break them)."""

from __future__ import annotations

import re

import pytest

from qa.figures import extract
from qa.figures.extract import (
    _CLAUSE_END,
    _COMPOUND,
    _COMPOUNDS,
    clause_start_before,
    extract_figures,
)
from qa.language import MEASURES, split_sentences
from qa.reports import load_reports
from tests.conftest import ROOT, SEEDS

SHARED = ROOT.parent / "shared"
TRICKY = ["", "，", "\n\n", "支部", "一支部一品牌，3项目（二）", "（一）发展党员：12名。\n共20人",
          "a,b;c:d!e?f(g)h", "条件条例家庭", "；；；开展12次", "1.5万余人，３名，**名，＊＊人",
          "xx人 X名 ×3人 x×人 xxx个", "十二名二十余次两千万元", "1.名 .5人 12.人 1.2.3个",
          "零点五个百分点 3亿元 4万亿元 5余万人"]
OLD_FIGURE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+|\*+|＊+|[xX×]{1,2})"
    r"(?P<wan>万亿|亿|万)?(?P<approx>余|多)?(?P<wan2>万亿|亿|万)?"
    rf"(?P<measure>{MEASURES})(?P<post>以上)?"
)


def _sentences() -> list[str]:
    folders = [SEEDS]
    if (SHARED / "corpus" / "corpus").is_dir():
        folders.append(SHARED / "corpus" / "corpus")
    texts = [p.text for f in folders for r in load_reports(f).reports for p in r.passages]
    return TRICKY + [s for t in texts for s in split_sentences(t)]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return _sentences()


def test_the_clause_start_is_the_last_mark_before_the_position(sentences: list[str]) -> None:
    for sentence in sentences:
        for end in range(len(sentence) + 1):
            old = max(sentence.rfind(c, 0, end) for c in _CLAUSE_END) + 1
            assert clause_start_before(sentence, end) == old, (sentence, end)


def test_the_clause_stop_is_the_first_mark_after_the_figure(sentences: list[str]) -> None:
    for sentence in sentences:
        n = len(sentence)
        for start in range(0, n + 1, 3):
            for next_start in (start, min(n, start + 7), n):
                finds = [i for i in (sentence.find(c, start) for c in _CLAUSE_END) if i >= 0]
                old = min([next_start] + finds)
                mark = extract._CLAUSE_MARK.search(sentence, start, next_start)
                assert (mark.start() if mark else next_start) == old, (sentence, start)


def test_a_compound_is_found_where_a_startswith_found_it(sentences: list[str]) -> None:
    for sentence in sentences:
        for i in range(len(sentence)):
            old = any(sentence.startswith(c, i) for c in _COMPOUNDS)
            assert bool(_COMPOUND.match(sentence, i)) == old, (sentence, i)


def _old_clean_before(text: str) -> str:
    ends = [m.end() for m in extract._ENUM_END.finditer(text)]
    if ends:
        text = text[ends[-1] :]
    for _ in range(4):
        text = extract._LEADING.sub("", text, count=1)
    for _ in range(3):
        text = extract._TRAILING.sub("", text)
    if len(text) > extract.MAX_PHRASE:
        tail = text[-extract.MAX_PHRASE :]
        cut = next((i + 1 for i, c in enumerate(tail) if c in extract._CUT_AFTER), 0)
        text = tail[cut:] if len(tail) - cut >= 4 else tail
    return "" if text in extract._BARE else text


def test_a_phrase_is_cleaned_as_before(sentences: list[str]) -> None:
    stacked = ["一是今年先后已经开展", "1.全年共计达到了", "其中累计共为\n", "今年以来"]
    for sentence in stacked + sentences:
        for end in range(1, len(sentence) + 1):
            clause = sentence[clause_start_before(sentence, end) : end]
            assert extract._clean_before(clause) == _old_clean_before(clause), clause


def test_no_figure_is_lost_where_the_quick_check_finds_none(sentences: list[str]) -> None:
    for sentence in sentences:
        if not extract._FIGURE_END.search(sentence):
            assert not list(extract._FIGURE.finditer(sentence)), sentence


def test_figures_share_their_repeated_strings() -> None:
    # A library's table holds 5×10⁵ figures at 10⁶ passages: a section path or a measure word
    # is one string however many figures name it.
    figures = [f for r in load_reports(SEEDS).reports for f in extract_figures(r)]
    for field in ("section", "measure", "approx"):
        by_value: dict[str, int] = {}
        for figure in figures:
            value = getattr(figure, field)
            assert by_value.setdefault(value, id(value)) == id(value), (field, value)


def test_the_figure_pattern_matches_as_before(sentences: list[str]) -> None:
    for sentence in sentences:
        old = [(m.span(), m.groupdict()) for m in OLD_FIGURE.finditer(sentence)]
        assert [(m.span(), m.groupdict()) for m in extract._FIGURE.finditer(sentence)] == old
