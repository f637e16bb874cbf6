"""A figure asked for a year is told by the report that describes that year.

A 政府工作报告 of 2026 reviews 2025: 「上海2025年地区生产总值增长多少」 is answered by its review
(5.4%), not by the 2025 report's review of 2024 (5%). 「25年那份报告」 names the report itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa import QAEngine, Tokenizer
from qa.answer.compose import report_name
from qa.language.scope import find_scope
from qa.language.wordlists import load_language
from qa.models import Report

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "corpus"


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory: pytest.TempPathFactory, segmenter: Tokenizer) -> QAEngine:
    folder = tmp_path_factory.mktemp("shanghai")
    for name in ("gov2025-shanghai.docx", "gov2026-shanghai.txt"):
        shutil.copy(CORPUS / name, folder)
    return QAEngine.from_directory(folder, segmenter=segmenter)


def test_a_year_naming_a_report_is_told_apart_from_a_year_asked_about(
        shanghai: QAEngine) -> None:
    language = load_language()
    named, _ = find_scope("上海25年那份报告里地区生产总值", shanghai.reports, language, "figure")
    assert named.years == (2025,) and named.titled == (2025,) and named.described == ()
    asked, _ = find_scope("上海2025年地区生产总值增长多少", shanghai.reports, language, "figure")
    assert asked.years == (2025,) and asked.described == (2025,)
    assert len(asked.report_ids) == 2  # written in 2025, and reviewing it


def test_the_year_asked_is_answered_by_the_report_that_reviews_it(shanghai: QAEngine) -> None:
    answer = shanghai.ask("上海2025年地区生产总值增长多少")
    assert answer.found and "增长5.4%" in answer.quotes[0].text
    assert answer.quotes[0].passage.report_id.startswith("gov2026-shanghai")
    assert answer.lead.startswith("上海市人民政府（gov2026-shanghai，2025年） 5.4%")
    # Naming the 2025 report asks what that report says: its review of 2024.
    answer = shanghai.ask("上海25年那份报告里地区生产总值增长多少")
    assert answer.found and answer.quotes[0].passage.report_id.startswith("gov2025-shanghai")


def test_a_report_with_no_unit_or_title_is_named_by_its_number_once() -> None:
    # A file uploaded with no title line and no unit: its title is its file name.
    bare = Report("003_251bbf68853c8951", "003_251bbf68853c8951", None, (), year="2023")
    assert report_name(bare) == "003（2023年）"
    assert report_name(bare, "plans") == "003（2024年计划）"
    assert report_name(Report("003_x", "003_x", None, ())) == "003"
    named = Report("002_x", "党组2023年工作总结", None, (), unit="党组", year="2023")
    assert report_name(named) == "党组（002，2023年）"
