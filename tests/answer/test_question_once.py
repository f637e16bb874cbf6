"""What depends only on the question is worked out once per question, and gives exactly what
the per-candidate code gave: the judge's word weights and index look-ups, the terms a quote
highlights."""

from __future__ import annotations

from qa.answer.quotes import _highlighted, highlight_spans
from qa.answer.retrieve import Judge, coverage
from qa.language import Query


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
