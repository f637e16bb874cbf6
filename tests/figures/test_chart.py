"""Charts: PNG bytes, every label's characters drawn by the shipped font, never tofu."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from matplotlib.ft2font import FT2Font

from qa import FigureTable, load_reports, parse_report
from qa.figures.chart import (
    PLACEHOLDER,
    can_chart,
    chart_font_path,
    chart_texts,
    missing_glyphs,
    render_comparison_png,
    safe_label,
)
from qa.reports.ingest import ReportMeta

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
