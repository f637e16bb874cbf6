"""Per-passage preparation (qa.answer.prepared) and the rerank's shortcuts give exactly what the
general functions give: same best sentence and score, same coverage and verdict."""

from __future__ import annotations

from pathlib import Path

from qa import QAEngine, Tokenizer
from qa.answer.prepared import PreparedCache, best_prepared_sentence, index_text_folded, prepare
from qa.answer.quotes import QueryTerms, SentenceScorer, best_sentence
from qa.answer.retrieve import Judge, answers_question, coverage, paraphrased
from qa.language import Query
from qa.models import Passage

TEXTS = [
    "全年发展党员12名。其中女性党员5名；青年党员7名！",
    "组织开展主题党日活动24次，参与党员300余人次。",
    "ＡＢＣ党支部全年召开支委会12次。支部党员大会4次。",
    "全年",
    "加强理论武装，推动党员干部学习常态化。",
]


def _passage(i: int, text: str) -> Passage:
    return Passage(f"r#{i + 1}", "r", "报告", ("一、工作", "（一）党建"), "work", text)


def _weigh(term: str) -> float:
    return float(len(term))


def test_the_prepared_best_sentence_is_best_sentence() -> None:
    queries = [
        QueryTerms(("发展党员", "党员", "发展"), ("发展", "党员"), figure=True, unit="名"),
        QueryTerms(("主题党日", "活动"), ("主题党日", "活动"), weights={"活动": 0.5}),
        QueryTerms(("abc", "支委会"), ("abc", "支委会"), figure=True),
        QueryTerms(("没有", "的词"), ("没有", "的词")),
    ]
    for i, text in enumerate(TEXTS):
        ready = prepare(_passage(i, text), str.lower)
        for query in queries:
            at, score, _ = best_sentence(text, query, _weigh)
            assert best_prepared_sentence(ready, SentenceScorer(query, _weigh)) == (at, score)


def test_a_prepared_passage_is_built_once_and_the_oldest_is_dropped() -> None:
    passages = [_passage(i, t) for i, t in enumerate(TEXTS)]
    prepared = PreparedCache(passages, str.lower, limit=2)
    first = prepared.at(0)
    assert prepared.at(0) is first and first.passage == passages[0]
    assert first.folded == "一、工作 （一）党建 " + TEXTS[0]
    prepared.at(1)
    prepared.at(2)  # over the limit: position 0, the oldest, goes
    assert prepared.at(2) is prepared.at(2) and prepared.at(0) is not first
    assert prepared.at(0) == first


def test_the_judges_verdict_is_coverage_and_paraphrase() -> None:
    query = Query("发展党员多少名", "发展党员多少名", "figure", terms=("发展党员", "名额"),
                  expansions={"名额": ("指标",)})
    known = {"发展党员": 3, "指标": 2}.get
    judge = Judge(query, _weigh, lambda t: known(t) or 0)
    for matched, folded in [(("发展党员", "名额"), ""), (("发展党员",), "发展党员名额"),
                            (("发展党员", "指标"), "发展党员指标"), ((), "党员")]:
        covered = coverage(query, matched, _weigh, lambda t: known(t) or 0, folded)
        ok = answers_question(covered, paraphrased(query, matched, folded))
        assert judge.verdict(matched, folded) == (covered, ok)


def test_answers_do_not_depend_on_what_was_prepared_before(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("某党支部2024年工作总结\n一、主要工作\n"
                                    + "\n".join(TEXTS) + "\n", encoding="utf-8")
    fresh = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    warmed = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    for question in ("发展了多少党员", "主题党日活动开展了几次", "支委会开了几次"):
        warmed.ask(question)
    for question in ("支委会开了几次", "发展了多少党员", "理论武装"):
        assert warmed.ask(question) == QAEngine.from_directory(
            tmp_path, segmenter=segmenter).ask(question)
    assert fresh.ask("发展了多少党员") == warmed.ask("发展了多少党员")


def test_quotation_marks_are_dropped_from_the_folded_text_as_translate_drops_them(
        seed_dir: Path, segmenter: Tokenizer) -> None:
    # The oracle is the table it replaced (a dict look-up per character, ≈ 40 µs a passage).
    marks = str.maketrans("", "", "“”‘’\"'「」『』《》")
    engine = QAEngine.from_directory(seed_dir, segmenter=segmenter)
    quoted = [_passage(0, "以破“五唯”为导向，开展「三会一课」‘学习’《条例》『专题』\"a\"'b'。")]
    for passage in [*engine.passages, *quoted]:
        text = segmenter.normalize(" ".join((*passage.section_path, passage.text)))
        assert index_text_folded(passage, segmenter.normalize) == text.translate(marks)
    assert index_text_folded(quoted[0], str.lower).startswith("一、工作 （一）党建 以破五唯为导向")
