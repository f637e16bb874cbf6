"""Intent routing, section overviews, figures, quotes and honest "not found"."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import MAX_QUESTION_CHARS, QAEngine, Tokenizer, UnknownReportError, parse_report
from qa.language.shapes import asked_unit
from qa.language.understand import detect_intent, topic_terms
from qa.language.wordlists import load_language


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("存在哪些问题", "problems"),
        ("意识形态工作有什么不足", "problems"),
        ("主题教育查摆了多少问题", "figure"),
        ("问题产生的原因是什么", "causes"),
        ("明年的工作计划是什么", "plans"),
        ("下步打算", "plans"),
        ("有哪些亮点", "highlights"),
        ("今年发展了多少党员", "figure"),
        ("清廉机关建设是怎么做的", "general"),
    ],
)
def test_detect_intent(question: str, intent: str) -> None:
    assert detect_intent(question) == intent


def test_topic_terms_drop_intent_words_even_inside_compounds() -> None:
    language = load_language()
    assert topic_terms(["下步打算", "下步", "打算"], language) == []
    assert topic_terms(["意识形态", "工作", "不足"], language) == ["意识形态"]
    assert asked_unit("培训党员多少人次") == "人次" and asked_unit("党费收缴") == ""


def test_figure_question_quotes_the_figure_with_its_source(small_engine: QAEngine) -> None:
    answer = small_engine.ask("今年发展了多少党员？")
    assert answer.found and answer.intent == "figure"
    quote = answer.quotes[0]
    assert "发展党员5名" in quote.text
    assert quote.passage.report_title == "某局2023年党建工作总结"
    assert quote.passage.section_path[:2] == ("一、主要工作完成情况", "（二）抓组织建设")
    bold = [quote.text[a:b] for a, b in quote.spans]
    assert any("5名" in b for b in bold) and "发展党员" in "".join(bold)


def test_problems_overview_gives_one_entry_per_report(small_engine: QAEngine) -> None:
    answer = small_engine.ask("存在哪些问题")
    assert answer.found and answer.intent == "problems"
    assert [q.passage.report_id for q in answer.quotes] == ["a_report", "b_report", "c_report"]
    assert answer.quotes[0].items == ("一是理论学习不够深入", "二是三会一课落实不够规范")
    # Hits: one per report first, then every other item the outline lists (issue 20, item 7).
    assert [h.passage.report_id for h in answer.hits] == [
        "a_report", "b_report", "c_report", "a_report"]
    assert answer.hits[3].passage.text.startswith("二是三会一课落实不够规范")
    assert all(h.passage.kind == "problems" for h in answer.hits)


def test_section_keyword_narrows_and_can_find_nothing(small_engine: QAEngine) -> None:
    answer = small_engine.section_answer("plans", "三会一课")
    assert [h.passage.report_id for h in answer.hits] == ["a_report"]
    assert "三会一课" in answer.quotes[0].text
    missing = small_engine.section_answer("plans", "食堂")
    assert not missing.found and missing.suggestions


def test_section_kind_without_any_section(small_engine: QAEngine) -> None:
    answer = small_engine.section_answer("causes")
    assert not answer.found and "原因分析" in answer.notice


@pytest.mark.parametrize(
    "question", ["食堂几点开饭", "比特币今天多少钱", "明天天气怎么样", "党员食堂几点开饭"]
)
def test_questions_the_reports_are_silent_on_are_not_found(
    seeds_engine: QAEngine, question: str
) -> None:
    answer = seeds_engine.ask(question)
    assert not answer.found and answer.quotes == () and answer.hits == ()
    assert any(s.kind == "command" and s.value == "problems" for s in answer.suggestions)


@pytest.mark.parametrize("question", ["", "   ", "？？？", "的了吗"])
def test_empty_or_contentless_questions(small_engine: QAEngine, question: str) -> None:
    answer = small_engine.ask(question)
    assert not answer.found and answer.notice


def test_long_question_is_cut_with_a_notice(small_engine: QAEngine) -> None:
    answer = small_engine.ask("志愿服务" * 200)
    assert len(answer.question) == MAX_QUESTION_CHARS
    assert answer.found and "只取前" in answer.notice


def test_traditional_question_finds_the_same_answer(seeds_engine: QAEngine) -> None:
    simplified = seeds_engine.ask("网评报送了多少条")
    traditional = seeds_engine.ask("網評報送了多少條")
    assert traditional.found and traditional.hits[0] == simplified.hits[0]
    assert "网评471条" in traditional.quotes[0].text


def test_quotes_are_exact_substrings_of_their_passage(seeds_engine: QAEngine) -> None:
    for question in ["党费收缴", "清廉机关建设是怎么做的", "培训党员多少人次", "两张皮"]:
        for quote in seeds_engine.ask(question).quotes:
            for piece in quote.text.replace("……", "…").split("…"):
                assert piece in quote.passage.text, (question, piece)


def test_report_lookup_by_prefix(seeds_engine: QAEngine) -> None:
    assert seeds_engine.report("003").report_id == "003_251bbf68853c8951"
    with pytest.raises(Exception, match="可用编号"):
        seeds_engine.report("999")
    assert seeds_engine.passage("000_bbf0c16ce2b44802#2") is not None
    assert seeds_engine.passage("nope#1") is None


def test_unknown_report_message_stays_short_for_many_reports(segmenter: Tokenizer) -> None:
    reports = [parse_report(f"{i:04d}_x", "一、工作情况\n开展学习。\n") for i in range(500)]
    engine = QAEngine(reports, segmenter)
    with pytest.raises(UnknownReportError) as caught:
        engine.report("zzz")
    assert len(str(caught.value)) < 200 and "等 500 份" in str(caught.value)


def test_warm_up_learns_the_unit_names_the_first_question_needs(seeds_engine: QAEngine) -> None:
    from qa.language import scope, unitnames

    unitnames._LAST.clear()  # forget what earlier tests learned
    scope._TITLED.clear()
    seeds_engine.warm_up()
    assert id(seeds_engine.reports) in unitnames._LAST  # the first question finds them learned
    assert id(seeds_engine.reports) in scope._TITLED  # and the title pieces
    assert seeds_engine.ask("县直工委发展了多少党员").found


def test_warm_up_builds_the_homophone_table(seeds_engine: QAEngine,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.language import homophones

    heard: list[str] = []
    real = homophones.sound
    monkeypatch.setattr(homophones, "sound", lambda w: heard.append(w) or real(w))
    seeds_engine.warm_up()
    # Built now or by an earlier test on this engine; either way no question pays for it.
    before = len(heard)
    seeds_engine.homophones.correct("当员")
    assert len(heard) - before <= 1  # the question word alone


def test_warm_up_builds_the_neighbour_table(seeds_engine: QAEngine,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    seeds_engine.warm_up()
    # Built: a lookup walks no vocabulary (it would fail on this one).
    monkeypatch.setattr(seeds_engine.neighbours, "_vocabulary", lambda: 1 / 0)
    assert seeds_engine.neighbours.of("写字楼") == seeds_engine.neighbours.of("写字楼")


_PROVINCE = """2025年某某省政府工作报告
一、2024年工作回顾
过去一年，全省经济运行稳中有进，地区生产总值增长5.2%，城镇新增就业60万人，工作取得明显成效。
科技创新能力持续增强，高新技术企业数量增长较快，创新生态不断优化，营商环境持续改善。
二、2025年工作总体要求和主要目标
今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，城镇新增就业55万人以上。
三、2025年重点工作
持续扩大有效投资，深入实施城市更新行动，加快建设现代化产业体系，推动高质量发展。
"""


def test_a_named_report_asked_only_by_question_words_is_searched_by_the_specific_ones(
        segmenter: Tokenizer, tmp_path: Path, seeds_engine: QAEngine) -> None:
    # 「主要目标」 are question words in general, but the only topic of this question.
    (tmp_path / "province.txt").write_text(_PROVINCE, encoding="utf-8")
    (tmp_path / "other.txt").write_text(_PROVINCE.replace("某某省", "另一省"), encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("某某省2025年的主要目标")
    assert answer.found and "主要预期目标是" in answer.hits[0].passage.text
    # Words every report holds (党建, 工作) still ask back what is wanted.
    assert "想问" in seeds_engine.ask("003党建工作怎么样").notice


def test_a_comparison_says_which_named_unit_is_silent(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_PROVINCE, encoding="utf-8")
    silent = _PROVINCE.replace("某某省", "另一省").replace("城镇新增就业", "新开工项目")
    (tmp_path / "b.txt").write_text(silent, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("某某省和另一省的城镇新增就业比一比")
    assert answer.found and {h.passage.report_id for h in answer.hits} == {"a"}
    assert "的报告中没有找到相关内容" in answer.notice
    assert answer.notice.startswith("另一省人民政府的报告中没有找到相关内容")


def test_a_which_question_lists_only_the_units_holding_its_distinctive_word(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    deeds = {"xizang": ("西藏自治区", "举办首届青稞产业发展大会，粮食生产再获丰收。"),
             "shaanxi": ("陕西省", "举办首届民营经济创新发展大会，民营经济增加值增长5.5%。"),
             "ningxia": ("宁夏回族自治区", "召开全区产业发展大会，首届展会成功举办。")}
    for name, (place, deed) in deeds.items():
        (tmp_path / f"{name}.txt").write_text(
            f"2026年{place}政府工作报告\n一、2025年工作回顾\n{deed}\n", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("办了首届青稞产业发展大会的是哪个省")
    assert {h.passage.report_id for h in answer.hits} == {"xizang"}
