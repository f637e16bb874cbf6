"""Draw a comparison as a bar chart PNG (matplotlib, Agg) with a shipped Chinese font.

The font is Noto Sans SC cut to GB2312 (data/fonts, SIL OFL 1.1; tools/make_font_subset.py), so
labels render the same on every install. A character the font lacks becomes □, never tofu or a
warning. Returns bytes: the caller decides where a chart goes (a file, a Telegram photo).
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from qa.data import data_path

from .table import Comparison, ComparisonRow

FONT_FILE = "NotoSansSC-Subset.otf"
MIN_CHART_VALUES = 2
# Bars a chart draws at most: read on a phone, and within Telegram's photo limits (width +
# height ≤ 10,000 px, ratio ≤ 20). A library of 3,351 reports drew 1,908 bars: a 17 MB PNG
# 177,600 px tall, 82 s to render, which Telegram refuses. The table beside it lists every row.
MAX_BARS = 20
# Reports named per status under the chart; the rest are counted.
MAX_NAMED = 3
PLACEHOLDER = "□"
_BAR = "#c0392b"  # party red for exact values
_BAR_APPROX = "#e6a19a"  # lighter: 余/多/近/约/超过 values are not exact
_STATUS_NOTE = {"redacted": "数字已隐去", "other": "计量单位不同", "missing": "未提及"}


def chart_font_path() -> Path:
    """Return the path of the font every chart label is drawn with."""
    return data_path(f"fonts/{FONT_FILE}")


@lru_cache(maxsize=1)
def _font_chars() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(str(chart_font_path())).get_charmap())


def missing_glyphs(text: str) -> str:
    """Return the characters of text the chart font cannot draw (whitespace aside), in order."""
    chars = _font_chars()
    return "".join(c for c in dict.fromkeys(text) if not c.isspace() and ord(c) not in chars)


def safe_label(text: str) -> str:
    """Replace characters the font lacks by □, and escape $ (matplotlib would read mathtext)."""
    missing = set(missing_glyphs(text))
    drawn = "".join(PLACEHOLDER if c in missing else c for c in text)
    return drawn.replace("$", r"\$")


def can_chart(comparison: Comparison) -> bool:
    """Tell whether a comparison has enough numbers (two) to be worth a chart."""
    return len(comparison.valued) >= MIN_CHART_VALUES


def row_label(row: ComparisonRow) -> str:
    """Return a bar's label: the unit, then id and year (two units may share a name)."""
    short = row.report.report_id.split("_")[0]
    year = f"（{row.report.year}年）" if row.report.year else ""
    return f"{row.report.name}\n{short}{year}"


def value_label(row: ComparisonRow) -> str:
    """Return the number written at a bar's end, approximations kept: 300余名, 超过95%."""
    assert row.figure is not None
    return row.figure.display_value + row.figure.measure


def chart_rows(comparison: Comparison) -> tuple[ComparisonRow, ...]:
    """Return the rows a chart draws: the ``MAX_BARS`` highest, or a unit's latest years."""
    valued = comparison.valued
    return valued[-MAX_BARS:] if comparison.order == "year" else valued[:MAX_BARS]


def chart_texts(comparison: Comparison) -> list[str]:
    """Return every text a chart of the comparison draws (the glyph test checks these)."""
    texts = [chart_title(comparison), chart_footnote(comparison)]
    for row in chart_rows(comparison):
        texts += [row_label(row), value_label(row)]
    return [t for t in texts if t]


def chart_title(comparison: Comparison) -> str:
    """Return the chart's title (saying so when it draws only some of the numbers)."""
    valued, drawn = len(comparison.valued), len(chart_rows(comparison))
    if comparison.order == "year":
        what = f"{comparison.unit}·{comparison.metric}"
        if drawn < valued:
            return f"{what}：最近 {drawn} 年（共 {valued} 年，按年份）"
        return f"{what}：历年对比（按年份）"
    if drawn < valued:
        return f"{comparison.metric}：前 {drawn} 名（共 {valued} 份报告有数字，从高到低）"
    return f"{comparison.metric}：各报告对比（从高到低）"


def chart_footnote(comparison: Comparison) -> str:
    """Return the line under the chart: reports not drawn and why, and what light bars mean."""
    parts = []
    for status, note in _STATUS_NOTE.items():
        names = [
            f"{r.report.name}（{r.report.report_id.split('_')[0]}）"
            for r in comparison.rows
            if r.status == status
        ]
        if names:
            more = f"等 {len(names)} 份" if len(names) > MAX_NAMED else ""
            parts.append(f"{note}：{'、'.join(names[:MAX_NAMED])}{more}")
    if any(r.figure and r.figure.approx for r in chart_rows(comparison)):
        parts.append("浅色为约数")
    return "；".join(parts)


def render_comparison_png(comparison: Comparison) -> bytes:
    """Render a comparison's valued rows as a horizontal bar chart, the extreme on top."""
    if not can_chart(comparison):
        raise ValueError("a chart needs at least two numeric values")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(chart_font_path()))
    rows = chart_rows(comparison)
    values = [r.figure.value or 0.0 if r.figure else 0.0 for r in rows]
    figure = Figure(figsize=(7.2, 1.2 + 0.62 * len(rows)), dpi=150)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    colors = [_BAR_APPROX if r.figure and r.figure.approx else _BAR for r in rows]
    bars = ax.barh(range(len(rows)), values, color=colors, height=0.6)
    ax.invert_yaxis()  # the extreme on top, as in the table
    ax.set_yticks(range(len(rows)), [safe_label(row_label(r)) for r in rows], fontproperties=font)
    for bar, row in zip(bars, rows, strict=True):
        ax.annotate(safe_label(value_label(row)), (bar.get_width(), bar.get_y() + 0.3),
                    xytext=(4, 0), textcoords="offset points", va="center", fontproperties=font)
    _style(ax, max(values), font)
    ax.set_title(safe_label(chart_title(comparison)), fontproperties=font, fontsize=13, loc="left")
    note = chart_footnote(comparison)
    if note:
        figure.text(0.01, 0.01, safe_label(note), fontproperties=font, fontsize=8, color="#555555",
                    wrap=True)
    figure.tight_layout(rect=(0, 0.05 if note else 0, 1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _style(ax: object, top: float, font: object) -> None:
    from matplotlib.axes import Axes
    from matplotlib.font_manager import FontProperties

    assert isinstance(ax, Axes) and isinstance(font, FontProperties)
    ax.set_xlim(0, top * 1.18 or 1)  # room for the value written after the longest bar
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    for label in ax.get_xticklabels():
        label.set_fontproperties(font)
