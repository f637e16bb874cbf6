"""What depends only on the question is worked out once per question, and gives exactly what
the per-candidate code gave: the judge's word weights and index look-ups, the terms a quote
highlights, the section kinds whose blend a question's shape can change."""

from __future__ import annotations

from itertools import product

from qa.answer.prepared import prepare
from qa.answer.quotes import _highlighted, highlight_spans
from qa.answer.retrieve import Judge, Shape, adjusted, coverage
from qa.language import Query
from qa.models import Passage


def _weigh(term: str) -> float:
    return float(len(term))


def _plain_spans(text: str, terms: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """``highlight_spans`` as it was: terms sorted and filtered again for every quote."""
    spans: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        if len(term) < 2 and not term.isdigit():
            continue
        at = text.find(term)
        while at >= 0:
            spans.append((at, at + len(term)))
            at = text.find(term, at + len(term))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def test_a_quote_highlights_what_every_term_sorted_again_gave() -> None:
    text = "组织生活会上党员12名发言，组织生活制度落实，生活会开了3次；党"
    for terms in [("组织", "生活", "活会", "生活会", "组织生活会", "组织生活"),
                  ("党", "12", "3", "发言", "党员"), ("生活会", "组织", "生活会"), ()]:
        assert highlight_spans(text, terms, False) == _plain_spans(text, terms)
    # One sorting per term tuple: the five quotes of a question share it.
    terms = ("组织", "生活会", "党")
    assert _highlighted(terms) is _highlighted(tuple(list(terms)))
    assert _highlighted(terms) == ("生活会", "组织")


def test_the_judge_reads_each_word_once_and_covers_as_coverage_does() -> None:
    query = Query("网评文章多少篇", "网评文章多少篇", "figure", terms=("网评", "文章", "名额"),
                  expansions={"名额": ("指标",)})
    asked: list[str] = []

    def known(term: str) -> int:
        asked.append(term)
        return {"网评": 3, "文章": 5, "指标": 2}.get(term, 0)

    judge = Judge(query, _weigh, known)
    cases = [(("网评",), "网评"), (("文章", "指标"), "文章指标"), ((), "网文"), (("名额",), "")]
    for matched, folded in cases:
        assert judge.verdict(matched, folded)[0] == coverage(query, matched, _weigh,
                                                             lambda t: known(t), folded)
    asked.clear()
    for matched, folded in cases:
        judge.verdict(matched, folded)
    # Known to the judge since its first candidate: a question without library neighbours
    # asks the index nothing more (coverage asked it about every word of every candidate).
    assert asked == []


def test_a_kind_adjusted_leaves_alone_is_skipped_only_when_adjusted_leaves_it() -> None:
    kinds = ("work", "plans", "problems", "causes", "highlights", "preamble")
    texts = ("全年发展党员12名，“十四五”时期年均增长5%。", "书记任组长", "全年")
    prepared = [prepare(Passage(f"r#{i}", "r", "报告", ("二、下一步工作计划安排",), kind, text),
                        str.lower) for i, (kind, text) in enumerate(product(kinds, texts))]
    shapes = [Shape(down, role, past, said, years, {})
              for down, role, past, said, years in product(
                  (False, True), ("", "组长"), (False, True), ("党员", "下一步工作计划安排"),
                  ((), ("2026",)))]
    for shape, boosted in product(shapes, (frozenset(), frozenset({"problems", "causes"}))):
        touched = shape.kinds_touched(boosted)
        for one in prepared:
            kept = (1.0, True)
            if touched is not None and one.passage.kind not in touched and not one.fragment:
                assert adjusted(*kept, one, shape, boosted) == kept
    # A question that may quote a heading, name a post or a year: every candidate is tested.
    assert Shape(False, "", False, "下一步工作计划安排", (), {}).kinds_touched(frozenset()) is None
    assert Shape(False, "", True, "党员", (), {}).kinds_touched(frozenset()) == {"plans"}
