"""Units read from titles of real documents outside the development corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

from qa import QAEngine, Tokenizer
from qa.language.docmeta import closing_date, document_unit, strip_years, unit_from_titles


def test_a_government_title_with_its_year_after_the_place_names_the_place() -> None:
    # 陕西 2026 (shaanxi.gov.cn) titles its report 「陕西省2026年政府工作报告」.
    opening = "陕西省2026年政府工作报告\n——2026年1月26日在陕西省第十四届人民代表大会第五次会议上"
    assert document_unit("陕西省2026年政府工作报告", opening) == "陕西省人民政府"


def test_a_half_year_written_without_年_leaves_no_度_behind() -> None:
    # 「党支部2019上半年度工作总结」 was read as the unit 「党支部度」.
    assert strip_years("党支部2019上半年度") == "党支部"
    assert strip_years("机关党支部2020年上半年度") == "机关党支部"
    assert unit_from_titles("机关党支部2019上半年度工作总结") == "机关党支部"


def test_a_province_a_title_names_short_is_named_in_full_from_the_opening() -> None:
    # 「2025年西藏政府工作报告」 gave 西藏人民政府 while the 2026 report gave 西藏自治区人民政府:
    # asked about 「西藏」, the engine asked back which of the two units was meant.
    opening = ("2025年西藏政府工作报告\n来源：西藏日报\n"
               "——2025年1月19日在西藏自治区第十二届人民代表大会第三次会议上\n"
               "西藏自治区代理主席 嘎玛泽登\n各位代表：")
    assert document_unit("2025年西藏政府工作报告", opening) == "西藏自治区人民政府"
    assert document_unit("2025年广西政府工作报告", "2025年广西政府工作报告\n各位代表：") == (
        "广西人民政府")  # nothing in the text to complete it from: kept as the title says


def test_a_summary_names_its_unit_as_the_subject_after_the_leadership_clause() -> None:
    # 「2022年上半年工作总结」 (宜东 机关党支部) names its unit only in its opening sentence.
    text = ("2022年上半年工作总结\n上半年，在公司党委领导下，机关党支部紧紧围绕公司中心工作，"
            "积极应对疫情挑战，按照年度工作计划扎实推进各项工作。\n一、认真抓好学习教育")
    assert document_unit("2022年上半年工作总结", text) == "机关党支部"
    plain = "2020年上半年度工作总结\n上半年，在公司党委领导下，党支部认真学习贯彻。"
    assert document_unit("2020年上半年度工作总结", plain) == ""  # 党支部 alone names no one


def test_a_headlines_meeting_verb_is_no_part_of_its_unit() -> None:
    # 南开 news: 「学校机关党委召开2022年度机关党支部书记抓基层党建工作述职评议考核会」 gave the
    # unit 「学校机关党委召开」.
    title = "学校机关党委召开2022年度机关党支部书记抓基层党建工作述职评议考核会"
    assert unit_from_titles(title) == "学校机关党委"
    assert unit_from_titles("南开大学召开2021年度校领导班子考核工作会") == "南开大学"


def test_a_passive_phrase_names_no_unit(tmp_path: Path, segmenter: Tokenizer) -> None:
    # 「被巡察党委主要负责人表示…」 opens a line: "the committee inspected", no organisation's name.
    wild = Path(__file__).resolve().parents[2] / "bench" / "wild"
    shutil.copy(wild / "nankai-a7725be8.txt", tmp_path)
    (report,) = QAEngine.from_directory(tmp_path, segmenter=segmenter).reports
    assert not report.unit.startswith("被")


def _closing_date_before(lines: list[str]) -> tuple[str, int]:
    """closing_date as it was before lines without 19, 20 or 年 were skipped (the oracle)."""
    from qa.language.docmeta import _CN_DIGITS, _CN_YEAR, _DOT_DATE, _YEAR_MONTH, _cn_month

    for line in [*reversed(lines[-6:]), *lines[:12]]:
        line = line.strip().lstrip("—-－ 　")[:20]
        for pattern in (_YEAR_MONTH, _DOT_DATE):
            match = pattern.search(line)
            if match:
                return match.group(1), int(match.group(2))
        match = _CN_YEAR.search(line)
        if match:
            return "".join(_CN_DIGITS[c] for c in match.group(1)), _cn_month(match.group(2) or "")
    return "", 0


def test_the_closing_date_skips_only_lines_that_cannot_hold_one() -> None:
    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for folder in ("seeds", "corpus/corpus")
             for p in sorted((root / folder).glob("*.txt"))]
    dated = ["2025年1月13日在省人大会上", "2019.3.2", "二〇二四年三月", "——2020-12-30",
             "二〇二五年", "19年", "1920年代", "2019／2", "x2020年1月", "20日", "年度总结"]
    found = 0
    for lines in [[line for line in t.splitlines() if line.strip()] for t in texts] + [
            [line] for line in dated]:
        assert closing_date(lines) == _closing_date_before(lines), lines[:3]
        found += closing_date(lines) != ("", 0)
    assert found > 10
