"""Figures and comparisons as plain text, JSON-ready dicts and CSV (the CLI and exports)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

from qa.models import PATH_SEP

from .extract import Figure
from .table import Comparison, ComparisonRow, ReportInfo

# CSV column → JSON key, in order. Chinese headers: the file is opened by people, in Excel.
CSV_COLUMNS = (
    ("报告编号", "report_id"), ("单位", "unit"), ("年份", "year"), ("章节", "section"),
    ("指标", "metric"), ("原文指标", "metric_raw"), ("数值", "value"), ("计量单位", "measure"),
    ("约数", "approx"), ("数字已隐去", "redacted"), ("原文数字", "text"), ("原句", "sentence"),
    ("段落编号", "passage_id"),
)
STATUS_NAMES = {
    "redacted": "数字已隐去",
    "other": "计量单位不同（不参与排序）",
    "missing": "未提及",
}


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value


def figure_json(fig: Figure) -> dict[str, Any]:
    """Return the JSON contract for one figure (other tools rely on these keys)."""
    return {
        "report_id": fig.report_id, "unit": fig.unit, "year": fig.year, "section": fig.section,
        "metric": fig.metric, "metric_raw": fig.metric_raw, "value": _number(fig.value),
        "measure": fig.measure, "approx": fig.approx, "redacted": fig.redacted,
        "text": fig.text, "sentence": fig.sentence, "passage_id": fig.passage_id,
    }


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """Return the JSON contract for a comparison: rows in order, each with rank and status."""
    rows = []
    for rank, row in enumerate(comparison.rows, 1):
        rows.append({
            "rank": rank if row.status == "value" else None,
            "report_id": row.report.report_id, "unit": row.report.unit,
            "title": row.report.title, "year": row.report.year, "status": row.status,
            "figure": figure_json(row.figure) if row.figure else None,
        })
    return {
        "query": comparison.query, "metric": comparison.metric, "measure": comparison.measure,
        "found": comparison.found, "rows": rows, "order": comparison.order,
        "others": [figure_json(f) for f in comparison.others],
    }


def figures_csv(figures: Iterable[Figure]) -> str:
    """Return figures as CSV text with Chinese headers (write it with utf-8-sig for Excel)."""
    return "".join(figures_csv_parts(figures))


def figures_csv_parts(figures: Iterable[Figure], rows: int = 4096) -> Iterator[str]:
    """Yield ``figures_csv``'s text a few thousand rows at a time: a 10⁶-passage library's CSV
    is ≈ 200 MB, which a file sent in pieces need never hold whole."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header for header, _ in CSV_COLUMNS)
    for count, fig in enumerate(figures, 1):
        data = figure_json(fig)
        writer.writerow("是" if data[k] is True else "" if data[k] in (False, None) else data[k]
                        for _, k in CSV_COLUMNS)
        if count % rows == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def render_figures(figures: Sequence[Figure], reports: Sequence[ReportInfo]) -> str:
    """Render figures grouped by report, then by section, one line each."""
    titles = {r.report_id: r.title for r in reports}
    lines: list[str] = []
    for report_id, of_report in groupby(figures, key=lambda f: f.report_id):
        lines.append(f"《{titles.get(report_id, report_id)}》 {report_id}")
        for section, of_section in groupby(of_report, key=lambda f: f.section):
            lines.append(f"  {section or '（前言）'}")
            lines.extend(f"    {figure_line(f)}" for f in of_section)
    return "\n".join(lines) if lines else "没有找到数字。"


def figure_line(fig: Figure) -> str:
    """Return "metric：value+measure（约数）  「sentence」"."""
    return f"{fig.metric_raw or fig.metric or '（未识别）'}：{value_text(fig)}  「{fig.sentence}」"


def value_text(fig: Figure) -> str:
    """Return a figure's value for reading: 87名, 300余名（约数）, **名（数字已隐去）."""
    text = fig.display_value + fig.measure
    if fig.redacted:
        return text + "（数字已隐去）"
    return text + ("（约数）" if fig.approx else "")


def render_comparison(comparison: Comparison) -> str:
    """Render a comparison: ranked lines with citations, then redacted, other and missing."""
    if not comparison.found:
        return f"没有报告提到「{comparison.query}」的数字。"
    valued = comparison.valued
    lines = [f"{comparison.metric}：{len(valued)} 份报告有数字，从高到低"]
    if comparison.order == "year":
        lines = [f"{comparison.unit}·{comparison.metric}：{len(valued)} 个年份有数字，按年份排列"]
    for rank, row in enumerate(valued, 1):
        lines += _cited(f"{rank}. {_who(row.report)} {value_text(_fig(row))}", row)
    for status, name in STATUS_NAMES.items():
        rows = [r for r in comparison.rows if r.status == status]
        if status == "missing" and rows:
            lines.append(f"{name}：" + "、".join(_who(r.report) for r in rows))
        elif rows:
            lines.append(f"{name}：")
            for row in rows:
                lines += _cited(f"  · {_who(row.report)} {value_text(_fig(row))}", row)
    return "\n".join(lines)


def render_metrics(metrics: Sequence[str]) -> str:
    """Render the metrics found in several reports, as `qa compare` lists them."""
    if not metrics:
        return "没有在两份以上报告中都出现的指标。"
    return "可比较的指标（出现在两份以上报告中）：\n" + "\n".join(f"  · {m}" for m in metrics)


def _fig(row: ComparisonRow) -> Figure:
    assert row.figure is not None
    return row.figure


def _who(report: ReportInfo) -> str:
    year = f"，{report.year}年" if report.year else ""
    return f"{report.name}（{report.report_id.split('_')[0]}{year}）"


def _cited(head: str, row: ComparisonRow) -> list[str]:
    fig = _fig(row)
    section = f"{PATH_SEP}{fig.section}" if fig.section else ""
    return [head, f"     「{fig.sentence}」——《{row.report.title}》{section}"]
