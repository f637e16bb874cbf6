"""General-language sources on the seeds: homophones, a unit named by its deed, item lists.

Each test also runs with its source switched off, so it fails if the source does nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.engine import QAEngine
from qa.language import LanguageSettings, Tokenizer

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def engines(segmenter: Tokenizer) -> dict[str, QAEngine]:
    every = LanguageSettings()
    return {name: QAEngine.from_directory(SEEDS, segmenter=segmenter,
                                          settings=every if name == "on" else every.without(name))
            for name in ("on", "homophones", "deed_scope", "item_lists")}


def test_a_homophone_typo_is_read_as_the_library_word(engines: dict[str, QAEngine]) -> None:
    assert "党员" in engines["on"].understand("当员发展了几个").text
    assert "党员" not in engines["homophones"].understand("当员发展了几个").text


def test_a_deed_names_the_report_whose_causes_are_listed(engines: dict[str, QAEngine]) -> None:
    question = "搞七个铁腕整治那家 问题的根源它自己分析出了哪几条"
    answer = engines["on"].ask(question)
    assert answer.found and answer.hits[0].passage.report_id.startswith("004")
    assert answer.hits[0].passage.kind == "causes"
    assert "七个铁腕整治" in answer.notice and "党委2022年度" in answer.notice
    off = engines["deed_scope"].ask(question)
    assert not off.hits or off.hits[0].passage.kind != "causes"


def test_a_deed_scopes_the_rest_of_a_question_to_its_report(
        engines: dict[str, QAEngine]) -> None:
    question = "搞“四化四抓四强”那家，中心组学习一共开了几次"
    answer = engines["on"].ask(question)
    assert answer.found and answer.hits[0].passage.report_id.startswith("002")
    assert "12次" in answer.lead and "四化" in answer.notice
    off = engines["deed_scope"].ask(question)
    assert not off.found or "12次" not in off.lead


def test_a_deed_picks_between_two_reports_of_one_unit(engines: dict[str, QAEngine]) -> None:
    answer = engines["on"].ask("搞楼宇党建联盟那个工委自己说存在哪些问题")
    assert answer.found and answer.hits[0].passage.report_id.startswith("000")
    assert answer.hits[0].passage.kind == "problems"


def test_counting_a_sections_items_lists_the_section(engines: dict[str, QAEngine]) -> None:
    question = "党组那份下步打算有几条，分别是什么"
    assert engines["on"].understand(question).intent == "plans"
    assert engines["item_lists"].understand(question).intent == "figure"


@pytest.fixture(scope="module")
def plain(segmenter: Tokenizer) -> QAEngine:
    return QAEngine.from_directory(SEEDS, segmenter=segmenter,
                                   settings=LanguageSettings().without("near_miss"))


def test_a_figure_for_another_year_is_a_near_miss(engines: dict[str, QAEngine],
                                                  plain: QAEngine) -> None:
    question = "2023年度评选了多少个五星级党支部"  # the report states the 2022年度 figure
    answer = engines["on"].ask(question)
    assert not answer.found and "只提到" in answer.notice and answer.quotes
    assert "2022年度" in answer.quotes[0].text
    assert plain.ask(question).found


def test_a_stated_number_is_never_contradicted(engines: dict[str, QAEngine]) -> None:
    answer = engines["on"].ask("支部书记讲了几回党课")
    assert any("书记讲党课1次" in q.text for q in answer.quotes)
    assert "没有给出具体数字" not in answer.notice and "只提到" in answer.notice


def test_a_duration_is_not_a_year(engines: dict[str, QAEngine], plain: QAEngine) -> None:
    assert engines["on"].understand("党龄50年的老党员有几个").scope.years == ()
    assert plain.understand("党龄50年的老党员有几个").scope.years == (2050,)
    assert engines["on"].understand("23年发展党员多少名").scope.years == (2023,)


def test_another_star_grade_is_a_near_miss(engines: dict[str, QAEngine],
                                           plain: QAEngine) -> None:
    question = "县直机关三星级的党支部一共有多少个"  # the report counts 五星级 ones
    answer = engines["on"].ask(question)
    assert not answer.found and "「三星级」" in answer.notice and "五星级" in answer.notice
    assert plain.ask(question).found


def test_a_named_slogan_is_not_its_meaning(engines: dict[str, QAEngine],
                                           plain: QAEngine) -> None:
    answer = engines["on"].ask("五多四过具体指的是什么")
    assert not answer.found and "没有解释「五多四过」" in answer.notice and answer.quotes
    assert plain.ask("五多四过具体指的是什么").found


def test_an_unknown_word_searches_its_library_neighbours(segmenter: Tokenizer) -> None:
    on = QAEngine.from_directory(SEEDS, segmenter=segmenter,
                                 settings=LanguageSettings().switched("neighbours", True))
    off = QAEngine.from_directory(SEEDS, segmenter=segmenter,
                                  settings=LanguageSettings().without("neighbours"))
    assert "楼宇" in on.understand("写字楼里的党员").neighbours.get("写字楼", ())
    assert off.understand("写字楼里的党员").neighbours == {}


def test_a_fewest_comparison_puts_the_smallest_count_first(
        engines: dict[str, QAEngine]) -> None:
    answer = engines["on"].ask("哪个单位发展党员最少")
    assert answer.found and answer.hits[0].passage.report_id.startswith("001")
    most = engines["on"].ask("哪个单位发展党员最多")
    assert most.hits[0].passage.report_id.startswith("003")
