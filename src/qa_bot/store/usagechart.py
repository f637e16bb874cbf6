"""Draw questions per day (answered / not found, stacked) as a PNG, with the shipped CJK font."""

from __future__ import annotations

import io

from qa.figures import chart_font_path, safe_label

from .insight import Stats

_FOUND = "#c0392b"  # party red, as the comparison charts
_MISSED = "#bbbbbb"


def usage_title(stats: Stats) -> str:
    """Return the chart's title: the window, the total and the found rate."""
    return (f"近 {stats.days} 天每日提问：共 {stats.total} 问，"
            f"找到 {stats.found_rate:.0%}")


def render_usage_png(stats: Stats) -> bytes:
    """Render questions per day as stacked bars (找到 / 没找到), one bar per local day."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    font = FontProperties(fname=str(chart_font_path()))
    days = stats.per_day
    found = [d.found for d in days]
    missed = [d.questions - d.found for d in days]
    figure = Figure(figsize=(7.2 if len(days) <= 10 else 9.6, 3.6), dpi=150)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    xs = range(len(days))
    ax.bar(xs, found, color=_FOUND, label=safe_label("找到"), width=0.7)
    ax.bar(xs, missed, bottom=found, color=_MISSED, label=safe_label("没找到"), width=0.7)
    for x, day in zip(xs, days, strict=True):
        if day.questions:
            ax.annotate(str(day.questions), (x, day.questions), xytext=(0, 2),
                        textcoords="offset points", ha="center", fontsize=7)
    step = 1 if len(days) <= 10 else 3
    ax.set_xticks(list(xs)[::step], [f"{d.day.month}/{d.day.day}" for d in days][::step])
    ax.set_ylim(0, max([d.questions for d in days] + [1]) * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # questions are whole numbers
    # Above the plot, right: never over a bar, whichever days are busy.
    ax.legend(prop=font, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2)
    ax.set_title(safe_label(usage_title(stats)), fontproperties=font, fontsize=12, loc="left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
