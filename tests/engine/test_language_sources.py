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


def test_a_deed_picks_between_two_reports_of_one_unit(engines: dict[str, QAEngine]) -> None:
    answer = engines["on"].ask("搞楼宇党建联盟那个工委自己说存在哪些问题")
    assert answer.found and answer.hits[0].passage.report_id.startswith("000")
    assert answer.hits[0].passage.kind == "problems"


def test_counting_a_sections_items_lists_the_section(engines: dict[str, QAEngine]) -> None:
    question = "党组那份下步打算有几条，分别是什么"
    assert engines["on"].understand(question).intent == "plans"
    assert engines["item_lists"].understand(question).intent == "figure"
