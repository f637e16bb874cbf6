"""Problem → rectification (issue 20): pairing by shared words, the next year's account, a
missing 「问题整改」 heading told from the text, and the engine's one answer per question."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa import QAEngine, Tokenizer
from qa.answer.rectify import MAX_PAIRINGS, MIN_PAIR, Wording, overlap, pair_score, pick
from qa.models import Passage, Report


def _passage(n: int) -> Passage:
    return Passage(f"r#{n}", "r", "报告", ("三、下步计划",), "plans", f"第{n}条")


def test_overlap_is_a_weighted_cosine() -> None:
    def weigh(word: str) -> float:
        return {"培训": 2.0, "内训": 3.0, "党员": 0.5}.get(word, 1.0)

    assert overlap({"培训", "内训"}, {"内训", "培训"}, weigh) == pytest.approx(1.0)
    assert overlap({"培训"}, {"党员"}, weigh) == 0.0
    # Sharing the rarer word says more than sharing the everyday one.
    rare = overlap({"内训", "党员"}, {"内训", "活动"}, weigh)
    common = overlap({"内训", "党员"}, {"党员", "活动"}, weigh)
    assert rare > common > 0


def test_a_shared_heading_adds_to_shared_words() -> None:
    def weigh(word: str) -> float:
        return 1.0

    problem = Wording(frozenset({"活动", "创新", "支部"}), frozenset({"活动", "创新"}))
    gist = Wording(frozenset({"活动", "创新", "载体"}), frozenset({"创新", "载体"}))
    aside = Wording(frozenset({"活动", "创新", "支部"}), frozenset({"谋划"}))
    assert pair_score(problem, gist, weigh) > overlap(problem.words, gist.words, weigh)
    assert pair_score(problem, aside, weigh) == pytest.approx(overlap(
        problem.words, aside.words, weigh) + 0.5 * overlap(problem.heading, aside.words, weigh))


def test_pick_keeps_items_near_the_best_above_the_floor() -> None:
    best, near, far = _passage(1), _passage(2), _passage(3)
    assert pick([(0.1, far), (0.5, best), (0.4, near)], 3) == [(0.5, best), (0.4, near)]
    assert pick([(MIN_PAIR / 2, best)], 3) == []  # everyday words in common pair nothing
    assert pick([(0.5, best), (0.5, near)], 1) == [(0.5, best)]  # ties keep document order


def test_a_named_problem_is_answered_by_its_plan_then_cited(years_engine: QAEngine) -> None:
    answer = years_engine.ask("100说示范培训多、支部内训少，后面打算怎么解决")
    assert answer.found and answer.intent == "plans"
    first, *_, last = answer.quotes
    assert first.passage.text.startswith("一是分级分批开展党员培训")
    assert last.passage.kind == "problems" and "内训少" in last.passage.text
    assert "针对某局（100，2022年）提出的「一是党员教育培训不够系统」" in answer.lead
    # The same unit's next-year report says what was done about it.
    assert any(q.passage.report_id == "101_b" and "内训16次" in q.text for q in answer.quotes)
    assert [h.passage.passage_id for h in answer.hits] == [
        q.passage.passage_id for q in answer.quotes]


def test_a_rectification_question_reads_what_was_done_first(years_engine: QAEngine) -> None:
    answer = years_engine.ask("100的志愿服务形式单一，整改了没有")
    assert answer.found and answer.intent == "rectification"
    assert answer.quotes[0].passage.report_id == "101_b"
    assert "新设助老、助学" in answer.quotes[0].text
    assert answer.lead.index("次年报告") < answer.lead.index("下步计划")


def test_a_plan_question_about_the_plan_itself_stays_a_plan_list(
    years_engine: QAEngine,
) -> None:
    answer = years_engine.ask("100的2023年工作打算里关于阵地建设的")
    assert answer.found and answer.pairings == ()
    assert answer.quotes[0].passage.text.startswith("三是加强阵地建设")


def test_rectify_lists_each_problem_with_the_items_answering_it(
    years_engine: QAEngine,
) -> None:
    answer = years_engine.rectify()
    assert answer.found and answer.intent == "rectification"
    pairs = {p.problem.passage.label: p for p in answer.pairings}
    training = pairs["一是党员教育培训不够系统"]
    assert [q.passage.label for q in training.remedies] == ["一是分级分批开展党员培训"]
    assert [q.passage.report_id for q in training.later] == ["101_b"]
    volunteers = pairs["二是志愿服务形式单一"]
    assert [q.passage.label for q in volunteers.remedies] == ["二是丰富志愿服务形式"]
    # The quotes are the pairings flattened, in the order shown; hits the same passages.
    assert answer.quotes == tuple(q for p in answer.pairings for q in p.quotes)
    assert [h.passage for h in answer.hits] == [q.passage for q in answer.quotes]


def test_rectify_with_a_keyword_or_a_report(years_engine: QAEngine) -> None:
    about = years_engine.rectify("志愿服务")
    assert [p.problem.passage.label for p in about.pairings] == ["二是志愿服务形式单一"]
    centre = years_engine.rectify("102")
    assert [p.problem.passage.report_id for p in centre.pairings] == ["102_c"]
    assert centre.pairings[0].remedies[0].passage.label == "一是深化理论学习"
    nothing = years_engine.rectify("食堂伙食")
    assert not nothing.found and "存在问题" in nothing.notice


def test_no_rectification_heading_falls_back_to_the_text(years_engine: QAEngine) -> None:
    answer = years_engine.ask("102整改了啥")
    assert answer.found
    assert "没有「问题整改」部分" in answer.lead
    assert "制定整改落实方案" in answer.quotes[0].passage.text


def test_outside_the_allowed_reports_is_a_typed_answer(years_engine: QAEngine) -> None:
    allowed = {"102_c"}
    for answer in (years_engine.ask("100存在哪些问题", reports=allowed),
                   years_engine.section_answer("problems", "100", reports=allowed),
                   years_engine.rectify("100", reports=allowed)):
        assert answer.outside and not answer.found and answer.scope == "100"
        assert answer.quotes == () and answer.hits == ()
    inside = years_engine.ask("102存在哪些问题", reports=allowed)
    assert inside.found and not inside.outside
    unknown = years_engine.ask("999存在哪些问题", reports=allowed)
    assert not unknown.outside  # no such report at all: "没有…的报告", not "outside"


def test_a_count_asked_of_a_named_problem_needs_an_item_stating_it(
    years_engine: QAEngine,
) -> None:
    counted = years_engine.ask("100的内训少问题整改了多少次")
    assert counted.lead.startswith("针对某局（100，2022年）")
    assert "内训16次" in counted.quotes[0].text
    # No item answering the problem states how many people: the count is searched for.
    question = "100的内训少问题整改了多少人"
    assert years_engine.understand(question).intent == "rectification"
    assert not years_engine.ask(question).lead.startswith("针对")


MEASURES = """某局2023年党建工作报告
一、主要工作
全年组织集中学习12次，开展主题党日活动24次，党员参与率保持在较高水平。
二、存在问题
一是理论武装还需加强。一些支部学习的针对性、系统性和实效性不强，理论与实践结合不够紧密。
二是党建活动还需创新。一些支部“自选动作”创新性不足，活动形式与党员工作实际结合不够。
三、下一步工作思路和主要措施
一是深化学习教育、抓实理论武装。持续通过干部在线、学习强国等载体，组织全体党员系统学习。
二是创新活动载体、增强教育实效。创新党员活动形式，组织党员到社区报到服务，丰富主题党日内容。
"""


def test_the_clause_that_asks_for_measures_does_not_name_the_problem(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text(MEASURES, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    # 「针对性的措施」 asks for remedies; 针对性 and 不够 also fit the first problem's text.
    answer = engine.ask("某局自己说党建活动创新不够，下一步有没有针对性的措施")
    assert "「二是党建活动还需创新」" in answer.lead
    assert answer.quotes[0].passage.text.startswith("二是创新活动载体")



def test_a_problem_passage_holding_only_the_light_words_is_not_the_problem_named(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    wild = Path(__file__).resolve().parents[2] / "bench" / "wild"
    for name in ("gov2025-guizhou.docx", "gov2026-guizhou.txt"):
        shutil.copy(wild / name, tmp_path)
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    # Its problems say 民生事业仍有不少短板 and 债务: not 看病难, whose plans are not those.
    assert not engine.ask("贵州对老百姓看病难有啥打算").lead.startswith("针对")
    assert engine.ask("群众就业增收面临一些困难，下一步打算怎么办").lead.startswith("针对")


def test_an_unscoped_listing_reads_only_the_reports_it_lists(
        segmenter: Tokenizer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # /rectify with no keyword lists the first MAX_PAIRINGS problems: at 10⁶ passages it read
    # and quoted every report's problems first (40–50 s), then kept sixty.
    for i in range(MAX_PAIRINGS + 40):
        (tmp_path / f"{i:03d}_第{i}支部.txt").write_text(
            f"第{i}党支部2023年工作总结\n一、工作情况\n开展集中学习{i}次。\n"
            f"二、存在问题\n学习不够深入，第{i}项。\n三、下一步计划\n加强学习，第{i}项。\n",
            encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    touched: set[str] = set()
    whole, only = Report.passages, Report.passages_of
    monkeypatch.setattr(Report, "passages", property(
        lambda self: (touched.add(self.report_id), whole.fget(self))[1]))  # type: ignore[attr-defined]
    monkeypatch.setattr(Report, "passages_of", lambda self, kinds: (
        touched.add(self.report_id), only(self, kinds))[1])
    answer = engine.rectify("")
    assert answer.found and len(answer.pairings) == MAX_PAIRINGS
    assert len(touched) == MAX_PAIRINGS  # each listed problem's own report, no other


def test_the_next_years_reports_are_those_a_scan_of_the_library_finds(
        years_engine: QAEngine) -> None:
    # The oracle is the scan of every report it replaced (0.2 s of /rectify at 10⁶ passages).
    rectifier = years_engine.rectifier
    reports = years_engine.reports
    found = 0
    for report in reports:
        scanned = [r for r in reports if r.unit == report.unit and report.year.isdigit()
                   and r.year == str(int(report.year) + 1)] if report.unit else []
        assert rectifier.next_reports(report) == scanned
        found += len(scanned)
    assert found  # the library has a unit's following year


def test_a_words_pairing_weight_is_remembered_and_the_same(years_engine: QAEngine) -> None:
    weigh = years_engine.rectifier.weigh
    first = [weigh(w) for w in ("培训", "党员", "内训", "意识形态")]
    assert [weigh(w) for w in ("培训", "党员", "内训", "意识形态")] == first
    assert weigh.cache_info().hits >= 4  # type: ignore[attr-defined]
