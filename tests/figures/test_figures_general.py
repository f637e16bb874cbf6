"""Figures in general Chinese: units of government reports, set phrases, plain numbers, metrics."""

from __future__ import annotations

import pytest

from qa import FigureTable, parse_report
from qa.figures import find_figures
from qa.figures.fixedphrase import fixed_phrases, is_set_phrase, plain_number
from qa.figures.metricwords import is_real_metric, metric_stopwords


def counts(sentence: str) -> list[tuple[str, float | None, str]]:
    return [(m.text, m.value, m.measure) for m in find_figures(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("空气质量优良天数达到329天。", [("329天", 329, "天")]),
        ("落实无还本续贷853.4亿元。", [("853.4亿元", 85_340_000_000, "元")]),
        ("发放补贴500万元。", [("500万元", 5_000_000, "元")]),
        ("地区生产总值14.58万亿元。", [("14.58万亿元", 14_580_000_000_000, "元")]),
        ("新建农村公路2500公里。", [("2500公里", 2500, "公里")]),
        ("建成高标准农田120万亩。", [("120万亩", 1_200_000, "亩")]),
        ("处置固废30余吨。", [("30余吨", 30, "吨")]),
        ("新增装机200万千瓦。", [("200万千瓦", 2_000_000, "千瓦")]),
        ("全年培训党员2000学时。", [("2000学时", 2000, "学时")]),
        ("新建学校7所、公园12座。", [("7所", 7, "所"), ("12座", 12, "座")]),
        ("惠及2.9万户。", [("2.9万户", 29_000, "户")]),
        # Grain is counted in 斤 by many provinces (广西 2026: 「粮食产量280.9亿斤」).
        ("粮食产量280亿斤，供给稳定。", [("280亿斤", 28_000_000_000, "斤")]),
        ("人均供应口粮15公斤。", [("15公斤", 15, "公斤")]),
        ("新增供水能力3.5亿立方米。", [("3.5亿立方米", 350_000_000, "立方米")]),
    ],
)
def test_units_of_general_reports_are_measure_words(
    sentence: str, expected: list[tuple[str, float, str]]
) -> None:
    assert counts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "博斯腾湖环湖公路、S101天山地理画廊热度升温。",  # a road's code, not 101 days
        "每个支部建立3台账。",  # 台账 is a noun, not 台 of machines
        "节前召开2座谈会。",
    ],
)
def test_codes_and_compound_words_are_no_figures(sentence: str) -> None:
    assert counts(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "完成四个中心建设。",
        "深刻领悟两个确立的决定性意义，增强四个意识。",
        "严格落实三会一课制度和第一议题制度。",
        "围绕“三个表率”开展学习，完成三个表率建设。",  # quoted in the same text
    ],
)
def test_numerals_inside_set_phrases_count_nothing(sentence: str) -> None:
    assert counts(sentence) == []


def test_a_real_count_with_a_chinese_numeral_still_counts() -> None:
    assert counts("开展了三个专题，组建两支队伍。") == [("三个", 3, "个"), ("两支", 2, "支")]


def test_set_phrase_rule_reads_the_numeral_position() -> None:
    assert is_set_phrase("完成四个中心建设", 2)
    assert not is_set_phrase("开展了三个专题", 3)


def test_shipped_set_phrases_are_numeral_phrases() -> None:
    phrases = fixed_phrases()
    assert "两个确立" in phrases and "三会一课" in phrases
    assert all(p[0] in "一二两三四五六七八九第" for p in phrases)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1_183_000.0, "118.3万"), (17_200_000_000.0, "172亿"), (3005.0, "3005"), (12.5, "12.5"),
     (1.2e12, "1.2万亿"), (0.35, "0.35"), (99_999.0, "99999")],
)
def test_plain_numbers_never_use_exponents(value: float, text: str) -> None:
    assert plain_number(value) == text
    assert "e+" not in plain_number(value)


def test_plain_number_takes_an_int_too() -> None:
    assert plain_number(20) == "20"


HEAD = "政府工作报告\n一、工作回顾\n（一）稳增长。"
REPORTS = {
    "a": "甲省2025年" + HEAD + "地区生产总值增长5%左右，城镇新增就业70万人。\n",
    "b": "乙省2025年" + HEAD + "地区生产总值增长6%，城镇新增就业118.3万人。\n",
}


def test_compare_offers_only_real_metrics() -> None:
    table = FigureTable.from_reports(parse_report(k, v) for k, v in REPORTS.items())
    metrics = table.metrics()
    assert "城镇新增就业" in metrics
    assert not any(m in ("左右", "增长") or m.endswith("左右") for m in metrics)
    row = next(r for r in table.compare("城镇新增就业").rows if r.report.report_id == "b")
    assert row.figure is not None and row.figure.display_value == "118.3万"


@pytest.mark.parametrize(
    ("metric", "real"),
    [("增长", False), ("左右", False), ("和", False), ("地区生产总值增长", True),
     ("城镇新增就业", True), ("县", False), ("分别增长", False)],
)
def test_is_real_metric(metric: str, real: bool) -> None:
    assert is_real_metric(metric) is real


def test_shipped_metric_stopwords() -> None:
    words = metric_stopwords()
    assert {"增长", "左右", "以上"} <= words
    assert "发展党员" not in words


def test_the_base_of_a_rate_is_no_count() -> None:
    # 天津 2026: 「每千人口托位数较2020年翻两番」 was read as 「千人」, a count of people.
    found = [m.text for m in find_figures("每千人口托位数翻两番，每万人拥有律师3名", names=True)]
    assert found == ["3名"]
