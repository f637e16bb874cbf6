"""Charts: PNG bytes, every label's characters drawn by the shipped font, never tofu."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Literal

import pytest
from matplotlib.ft2font import FT2Font

from qa import FigureTable, load_reports, parse_report
from qa.figures import Comparison, ComparisonRow, Figure, ReportInfo
from qa.figures.chart import (
    MAX_BARS,
    PLACEHOLDER,
    can_chart,
    chart_font_path,
    chart_footnote,
    chart_rows,
    chart_texts,
    chart_title,
    missing_glyphs,
    render_comparison_png,
    safe_label,
)
from qa.reports.ingest import ReportMeta
from tests.fakebot.validate import check_photo

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def seeds_table() -> FigureTable:
    return FigureTable.from_reports(load_reports(ROOT / "seeds").reports)


def test_font_ships_with_the_package_and_its_licence() -> None:
    path = chart_font_path()
    assert path.is_file() and path.stat().st_size < 3_000_000
    assert (path.parent / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE")


@pytest.mark.parametrize("metric", ["发展党员", "宣讲", "中心组学习", "换届选举"])
def test_every_label_character_has_a_glyph(seeds_table: FigureTable, metric: str) -> None:
    comparison = seeds_table.compare(metric)
    charmap = FT2Font(str(chart_font_path())).get_charmap()
    texts = chart_texts(comparison)
    assert any("县直机关工委" in t for t in texts)
    for text in texts:
        lacking = [c for c in text if not c.isspace() and ord(c) not in charmap]
        assert lacking == [], (text, lacking)


def test_seeds_chart_renders_without_missing_glyph_warnings(seeds_table: FigureTable) -> None:
    comparison = seeds_table.compare("发展党员")
    assert can_chart(comparison)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font"
        png = render_comparison_png(comparison)
    assert png.startswith(PNG_MAGIC) and len(png) > 10_000


def test_characters_outside_the_font_become_a_placeholder() -> None:
    rare = "\U00020000"  # CJK Extension B: not in GB2312, not in the subset
    assert missing_glyphs(f"龘局{rare}局") == f"龘{rare}"  # 龘 is outside GB2312 too
    assert safe_label(f"单位{rare}$") == f"单位{PLACEHOLDER}\\$"
    text = "一、工作情况\n1.党员发展。新发展党员7名。\n"
    reports = [
        parse_report("x_1", text, ReportMeta(unit=f"{rare}局", year="2023")),
        parse_report("x_2", text.replace("7名", "9名"), ReportMeta(unit="乙局", year="2023")),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = render_comparison_png(FigureTable.from_reports(reports).compare("发展党员"))
    assert png.startswith(PNG_MAGIC)


def test_one_value_is_no_chart(seeds_table: FigureTable) -> None:
    comparison = seeds_table.compare("网评")
    assert not can_chart(comparison)
    with pytest.raises(ValueError):
        render_comparison_png(comparison)


def _many(valued: int, missing: int, order: Literal["value", "year"] = "value") -> Comparison:
    """A comparison of a large library: ``valued`` reports with a number, ``missing`` without."""
    def row(i: int, value: float | None) -> ComparisonRow:
        info = ReportInfo(f"r{i:05d}", f"报告{i}", f"第{i}党支部", str(1990 + i % 40))
        if value is None:
            return ComparisonRow(info, None, "missing")
        figure = Figure(info.report_id, f"{info.report_id}-p0", "一、工作", info.unit, info.year,
                        "发展党员", "发展党员", value, "名", "", False, f"发展党员{value:g}名。")
        return ComparisonRow(info, figure, "value")

    rows = [row(i, float(1000 - i)) for i in range(valued)]
    rows += [row(valued + i, None) for i in range(missing)]
    return Comparison("发展党员", "发展党员", "人", tuple(rows), order=order,
                      unit="第1党支部" if order == "year" else "")


def test_a_large_library_draws_its_highest_bars_within_telegrams_limits() -> None:
    comparison = _many(1908, 1443)
    drawn = chart_rows(comparison)
    assert [r.report.report_id for r in drawn] == [f"r{i:05d}" for i in range(MAX_BARS)]
    texts = chart_texts(comparison)
    assert texts[0] == f"发展党员：前 {MAX_BARS} 名（共 1908 份报告有数字，从高到低）"
    assert texts[1] == ("未提及：第1908党支部（r01908）、第1909党支部（r01909）、"
                        "第1910党支部（r01910）等 1443 份")
    png = render_comparison_png(comparison)
    assert check_photo(png) is None  # 1,908 bars made a 177,600-pixel-tall, 17 MB PNG
    assert len(png) < 1_000_000


def test_a_unit_with_many_years_draws_its_latest() -> None:
    comparison = _many(30, 0, order="year")
    assert [r.report.report_id for r in chart_rows(comparison)] == \
        [f"r{i:05d}" for i in range(30 - MAX_BARS, 30)]
    assert chart_title(comparison) == f"第1党支部·发展党员：最近 {MAX_BARS} 年（共 30 年，按年份）"
    assert check_photo(render_comparison_png(comparison)) is None


def test_a_small_comparison_is_drawn_whole() -> None:
    comparison = _many(5, 2)
    assert len(chart_rows(comparison)) == 5
    assert chart_title(comparison) == "发展党员：各报告对比（从高到低）"
    assert chart_footnote(comparison) == "未提及：第5党支部（r00005）、第6党支部（r00006）"


@pytest.mark.parametrize(("width", "height", "error"), [
    (1080, 2040, None), (1080, 9000, "PHOTO_INVALID_DIMENSIONS"),
    (100, 2100, "PHOTO_INVALID_DIMENSIONS"), (100, 1900, None)])
def test_the_fake_refuses_photos_telegram_refuses(width: int, height: int,
                                                  error: str | None) -> None:
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") \
        + height.to_bytes(4, "big")
    assert check_photo(header + b"\x08\x02\x00\x00\x00") == error
    assert check_photo(header + bytes(11 * 1024 * 1024)) == "Request Entity Too Large"
