"""SentenceScorer's per-held-terms memo gives the plain loop's scores, to the last bit."""

from __future__ import annotations

import itertools

from qa.answer.quotes import QueryTerms, SentenceScorer, longest_terms, quote_hit
from qa.models import Hit, Passage


def _weigh(term: str) -> float:
    return 1.0 / (1 + len(term)) + 0.1 * ord(term[0]) % 7  # unround floats: order shows


def _plain(query: QueryTerms, sentence: str) -> float:
    """The score as first written: weights of the longest held terms, then each open pair."""
    present = tuple(t for t in query.terms if t in sentence)
    if not present:
        return 0.0
    matched = longest_terms(present) if len(present) > 1 else present
    score = sum(query.weight(m, _weigh) for m in matched)
    for a, b in itertools.pairwise(query.order):
        if a + b in sentence and not any(a + b in m for m in matched):
            score += 0.5 * (_weigh(a) + _weigh(b))
    return score


QUERIES = [
    QueryTerms(("党员", "教育", "党员教育", "培训"), ("党员", "教育", "培训"),
               weights={"培训": 0.5}),
    QueryTerms(("主题", "党日", "活动"), ("主题", "党日", "活动")),
    QueryTerms(("理论", "学习", "中心组"), ("理论", "学习", "中心组"), weights={"学习": 0.35}),
]
SENTENCES = [
    "加强党员教育培训，开展主题党日活动。",  # 党员教育 holds the pair 党员+教育: no bonus
    "党员 教育和培训。",
    "教育培训党员",  # the pair 教育培训 is held, inside no held term
    "主题党日活动开展12次",
    "理论学习中心组学习6次，党日活动",
    "没有问的词",
    "",
]


def test_scores_equal_the_plain_loop_whatever_order_sentences_come_in() -> None:
    for query in QUERIES:
        scorer = SentenceScorer(query, _weigh)
        for sentence in SENTENCES + SENTENCES[::-1]:  # the second pass reads the memo
            assert scorer.score(sentence, sentence) == _plain(query, sentence), sentence


def test_the_first_of_equally_good_sentences_is_the_best() -> None:
    from qa.answer.prepared import best_prepared_sentence, prepare
    from qa.models import Passage

    text = "没有问的词。开展主题党日活动。再次开展主题党日活动。主题党日活动"
    ready = prepare(Passage("r#1", "r", "报告", ("一、工作",), "work", text), str.lower)
    scorer = SentenceScorer(QUERIES[1], _weigh)
    at, score = best_prepared_sentence(ready, scorer)
    assert at == 1 and score == scorer.score(ready.sentences[1])
    assert scorer.score(ready.sentences[2]) == score  # a tie the first one wins


_ITEM = ("一是深入开展党员到社区报到服务活动。"
         "各支部与社区精准对接，参与社区服务，加强党员群众交流。"
         "年内共同开展帮助社区困难群众、慰问孤寡老人、开展宣传等活动10次，形成了党建工作新模式。")


def _hit(text: str) -> Hit:
    passage = Passage("p#1", "001_x", "机关党委2023年党建工作报告", ("一、履职情况",), "work", text,
                      label="一是深入开展党员到社区报到服务活动")
    return Hit(passage, 1.0, ("党员", "社区"))


def test_a_short_item_is_quoted_whole_unless_a_figure_is_asked() -> None:
    # The best sentence (社区 twice) says how; the one after it says what was done.
    weigh = {"党员": 0.4, "社区": 0.5, "帮助": 0.4}.get
    asked = QueryTerms(("党员", "社区", "帮助"))
    quote = quote_hit(_hit(_ITEM), asked, lambda w: weigh(w) or 0.0)
    assert quote.text == _ITEM and "慰问孤寡老人" in quote.text
    lit = "".join(quote.text[a:b] for a, b in quote.spans)  # still highlighted
    assert all(term in lit for term in asked.terms)
    # A figure question keeps the sentence chosen for its number.
    figure = QueryTerms(("党员", "社区", "帮助"), figure=True)
    assert quote_hit(_hit(_ITEM), figure, lambda w: weigh(w) or 0.0).text != _ITEM
    # An item longer than a quote holds is still quoted by its best sentence.
    long_item = _ITEM + "同时" + "组织党员参加社区志愿服务，" * 8 + "反响良好。"
    assert quote_hit(_hit(long_item), asked, lambda w: weigh(w) or 0.0).text != long_item
