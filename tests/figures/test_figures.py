"""Figures: what counts (and what does not), metric synonyms, and comparisons across reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import FigureTable, extract_figures, parse_report
from qa.figures.extract import Figure, parse_chinese_number
from qa.figures.metricnames import canonical_metric, metric_groups, metric_matches, read_groups
from qa.figures.table import measure_class
from qa.reports.ingest import ReportMeta

ROOT = Path(__file__).resolve().parents[2]

REPORT_A = """甲局2023年党建工作总结
一、主要工作
（一）抓组织建设。全年发展党员12名，完成换届选举3个支部。开展主题党日活动8次，覆盖党员300余人次。
（二）抓学习。组织中心组学习十二次，组建两支志愿服务队，开展志愿服务活动近50次。
（三）抓整改。查摆问题**个，整改x项，发放书籍X余册，慰问xx人。群众满意率超过95%。
二、存在问题
一是创新不够。坚持“1234”工作思路和“3456”工作法，落实县委六届四次全会精神。
二是第九套广播体操比赛组织不够，学习《应知应会100题》不深，2023年3月召开会议。
"""

REPORT_B = """乙中心2023年党建工作报告
一、工作开展情况
1.组织建设。经支部考察，新发展党员30名。开展志愿服务活动20次，服务群众500人次。
2.学习教育。下半年开展联建的支部从10个上升到20个。
"""

REPORT_C = """丙所2022年党建工作总结
一、工作情况
1.党员发展。发展新党员30人，吸收入党积极分子5名。
"""

REPORT_D = """丁办2023年党建工作总结
一、工作情况
1.宣传。报送信息12条。
"""


@pytest.fixture(scope="module")
def table() -> FigureTable:
    reports = [
        parse_report("a_report", REPORT_A, ReportMeta(unit="甲局", year="2023")),
        parse_report("b_report", REPORT_B, ReportMeta(unit="乙中心", year="2023")),
        parse_report("c_report", REPORT_C, ReportMeta(unit="丙所", year="2022")),
        parse_report("d_report", REPORT_D, ReportMeta(unit="丁办", year="2023")),
    ]
    return FigureTable.from_reports(reports)


def by_text(table: FigureTable, report_id: str) -> dict[str, Figure]:
    return {f.text: f for f in table.for_report(report_id)}


def test_counts_with_measure_words_are_read(table: FigureTable) -> None:
    figs = by_text(table, "a_report")
    assert (figs["12名"].value, figs["12名"].measure, figs["12名"].metric) == (12, "名", "发展党员")
    assert figs["8次"].metric == "主题党日" and figs["3个"].value == 3
    assert figs["300余人次"].measure == "人次" and figs["300余人次"].approx == "余"
    first = figs["12名"]
    assert first.unit == "甲局" and first.year == "2023" and first.report_id == "a_report"
    assert first.sentence == "全年发展党员12名，完成换届选举3个支部。"
    assert first.section == "一、主要工作 › （一）抓组织建设"


def test_redacted_figures_are_never_numbers(table: FigureTable) -> None:
    figs = by_text(table, "a_report")
    for text, measure in (("**个", "个"), ("x项", "项"), ("X余册", "册"), ("xx人", "人")):
        assert figs[text].redacted and figs[text].value is None, text
        assert figs[text].measure == measure and figs[text].display_value == "**"
    assert figs["X余册"].approx == "余"


def test_approximations_are_marked(table: FigureTable) -> None:
    figs = by_text(table, "a_report")
    assert (figs["50次"].approx, figs["50次"].display_value) == ("近", "近50")
    assert (figs["95%"].approx, figs["95%"].value, figs["95%"].metric) == ("超过", 95, "满意率")


def test_chinese_numerals_after_a_counting_verb(table: FigureTable) -> None:
    figs = by_text(table, "a_report")
    assert figs["十二次"].value == 12 and figs["十二次"].metric == "中心组学习"
    assert figs["两支"].value == 2 and figs["两支"].metric_raw == "组建志愿服务队"
    assert [parse_chinese_number(t) for t in ("十", "十二", "二十", "一百零五", "三")] == [
        10,
        12,
        20,
        105,
        3,
    ]


def test_years_ordinals_dates_methods_and_titles_are_not_figures(table: FigureTable) -> None:
    problems = [f for f in table.for_report("a_report") if "存在问题" in f.section]
    assert problems == []  # “1234”, “3456”, 六届四次, 第九套, 《…100题》, 2023年3月


@pytest.mark.parametrize(
    "sentence",
    [
        "打造一支部一品牌。",
        "做到两个维护。",
        "推进3项目建设。",
        "突出反映在以下3个方面。",
        "见2.1.3次修订。",
        "用好“四种形态”。",
    ],
)
def test_slogans_compounds_and_self_references_are_skipped(sentence: str) -> None:
    text = f"戊局2023年党建工作总结\n一、工作情况\n1.概况。{sentence}\n"
    assert extract_figures(parse_report("e", text)) == ()


def test_figures_keep_document_order_and_comparisons_with_before(table: FigureTable) -> None:
    figs = table.for_report("b_report")
    assert [f.text for f in figs] == ["30名", "20次", "500人次", "10个", "20个"]
    assert figs[3].metric_raw == figs[4].metric_raw == "开展联建的支部"  # 从10个上升到20个


def test_metric_synonyms_meet(table: FigureTable) -> None:
    for phrase in ("发展党员", "新发展党员", "发展新党员"):
        assert {f.text for f in table.for_metric(phrase)} == {"12名", "30名", "30人"}, phrase
    assert canonical_metric("新发展党员") == canonical_metric("发展新党员") == "发展党员"
    assert metric_matches("换届", "换届选举", "完成换届选举")
    assert not metric_matches("发展党员", "吸收入党积极分子", "吸收入党积极分子")


def test_metrics_file_is_well_formed() -> None:
    path = ROOT / "src" / "qa" / "data" / "metrics.txt"
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        words = line.split("#", 1)[0].split()
        for word in words:
            assert word not in seen, f"{word} is in groups on lines {seen[word]} and {number}"
            seen[word] = number
        assert len(words) != 1, f"line {number}: a group needs a synonym"
    assert metric_groups()["新发展党员"] == "发展党员"
    assert read_groups(["甲 乙 # 注释", "", "# 只有注释"]) == {"甲": "甲", "乙": "甲"}


def test_compare_puts_the_extreme_first_and_lists_missing_reports(table: FigureTable) -> None:
    comparison = table.compare("新发展党员")
    assert comparison.metric == "发展党员" and comparison.measure == "人"
    assert [(r.report.report_id, r.status) for r in comparison.rows] == [
        ("b_report", "value"),
        ("c_report", "value"),
        ("a_report", "value"),
        ("d_report", "missing"),
    ]
    assert [r.figure.value for r in comparison.valued if r.figure] == [30, 30, 12]
    assert [r.name for r in comparison.missing] == ["丁办"]


def test_person_times_are_never_ranked_with_persons(table: FigureTable) -> None:
    assert measure_class("名") == measure_class("人") != measure_class("人次")
    comparison = table.compare("志愿服务")
    statuses = {r.report.report_id: (r.status, r.figure and r.figure.text) for r in comparison.rows}
    assert statuses["b_report"] == ("value", "20次") and statuses["a_report"] == ("value", "50次")
    assert [r.report.report_id for r in comparison.valued] == ["a_report", "b_report"]
    people = table.compare("覆盖党员")
    assert people.measure == "人次"


def test_redacted_rows_follow_valued_ones(table: FigureTable) -> None:
    comparison = table.compare("查摆问题")
    assert [(r.report.report_id, r.status) for r in comparison.rows][0] == ("a_report", "redacted")
    assert comparison.valued == ()


def test_unknown_metric_is_a_value_not_an_error(table: FigureTable) -> None:
    comparison = table.compare("食堂开饭")
    assert not comparison.found and comparison.measure == ""
    assert {r.status for r in comparison.rows} == {"missing"}


def test_metrics_lists_those_in_two_reports(table: FigureTable) -> None:
    assert table.metrics(min_reports=2) == ("发展党员", "志愿服务")
    assert "网评" not in table.metrics(min_reports=1) and "报送信息" in table.metrics(1)


def test_seeds_gold_precision_and_recall() -> None:
    from bench.figures_eval import read_gold, score
    from qa import load_reports

    reports = load_reports(ROOT / "seeds").reports
    result = score(
        read_gold(ROOT / "bench" / "figures_gold.jsonl"), FigureTable.from_reports(reports).figures
    )
    assert result.gold >= 30
    assert result.precision >= 0.95 and result.recall >= 0.95
    assert result.redacted_as_numbers == 0
