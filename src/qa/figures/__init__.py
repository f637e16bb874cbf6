"""Figures: numbers extracted from reports, the figure table across reports, comparisons,
exports (CSV/JSON/text) and charts.
"""

from __future__ import annotations

from qa.language import parse_chinese_number

from .chart import can_chart, chart_font_path, render_comparison_png, safe_label
from .export import (
    STATUS_NAMES,
    comparison_json,
    figure_json,
    figures_csv,
    figures_csv_parts,
    render_comparison,
    render_figures,
    render_metrics,
    value_text,
)
from .extract import Figure, extract_figures, find_figures
from .table import Comparison, ComparisonRow, FigureTable, ReportInfo
from .trend import compare_by_year, compare_unit, unit_reports, unit_trend

__all__ = [
    "Comparison",
    "ComparisonRow",
    "Figure",
    "FigureTable",
    "ReportInfo",
    "STATUS_NAMES",
    "can_chart",
    "compare_by_year",
    "compare_unit",
    "chart_font_path",
    "comparison_json",
    "extract_figures",
    "figure_json",
    "figures_csv",
    "figures_csv_parts",
    "find_figures",
    "parse_chinese_number",
    "render_comparison",
    "render_comparison_png",
    "render_figures",
    "render_metrics",
    "safe_label",
    "unit_reports",
    "unit_trend",
    "value_text",
]
