"""Telegram HTML and buttons for figures (issue 11): /compare, metric buttons, /figures pages.

The wording follows qa.figformat (the CLI's text) so both front ends say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from qa import PATH_SEP, Comparison, ComparisonRow, Figure, Report
from qa.figures import STATUS_NAMES, value_text
from qa_bot.buttons import encode, fits
from qa_bot.render import clip, clip_html_lines, esc, short_id, utf16_len

MAX_CAPTION_UNITS = int(MessageLimit.CAPTION_LENGTH)  # 1024
SENTENCE_UNITS = 160  # a citation long enough to check, short enough for five reports a page
FIGURES_PER_PAGE = 12
MAX_METRIC_BUTTONS = 40


def _who(row: ComparisonRow) -> str:
    year = f"，{row.report.year}年" if row.report.year else ""
    return f"{row.report.name}（{short_id(row.report.report_id)}{year}）"


def _value(fig: Figure) -> str:
    return f"<b>{esc(fig.display_value + fig.measure)}</b>" + esc(value_text(fig)[
        len(fig.display_value + fig.measure):])


def _citation(row: ComparisonRow) -> str:
    assert row.figure is not None
    section = f"{PATH_SEP}{row.figure.section}" if row.figure.section else ""
    return (f"<blockquote>{esc(clip(row.figure.sentence, SENTENCE_UNITS))}</blockquote>"
            f"——{esc(f'《{row.report.title}》{section}')}")


def comparison_lines(comparison: Comparison, cited: bool = True) -> list[str]:
    """Return the lines of a comparison: ranked rows (extreme first), then the others."""
    if not comparison.found:
        return [f"没有报告提到「{esc(comparison.query)}」的数字。发送 /compare 查看可比较的指标。"]
    valued = comparison.valued
    lines = [f"📊 <b>{esc(comparison.metric)}</b>：{len(valued)} 份报告有数字，从高到低"]
    if comparison.order == "year":  # issue 19: one unit's figure year by year
        lines = [f"📊 <b>{esc(comparison.unit)}·{esc(comparison.metric)}</b>："
                 f"{len(valued)} 个年份有数字，按年份排列"]
    for rank, row in enumerate(valued, 1):
        assert row.figure is not None
        lines.append(f"{rank}. {esc(_who(row))} {_value(row.figure)}"
                     + (f"\n{_citation(row)}" if cited else ""))
    for status, name in STATUS_NAMES.items():
        rows = [r for r in comparison.rows if r.status == status]
        if status == "missing" and rows:
            lines.append(f"{esc(name)}：" + esc("、".join(_who(r) for r in rows)))
        elif rows:
            lines.append(f"{esc(name)}：")
            for row in rows:
                assert row.figure is not None
                lines.append(f"· {esc(_who(row))} {_value(row.figure)}"
                             + (f"\n{_citation(row)}" if cited else ""))
    return lines


def render_comparison(comparison: Comparison) -> str:
    """Render a comparison with citations, within one message."""
    return clip_html_lines(comparison_lines(comparison), MessageLimit.MAX_TEXT_LENGTH)


def render_caption(comparison: Comparison) -> tuple[str, bool]:
    """Return a photo caption and whether it holds the whole cited table (≤ 1024 units)."""
    full = "\n".join(comparison_lines(comparison))
    if utf16_len(full) <= MAX_CAPTION_UNITS:
        return full, True
    short = comparison_lines(comparison, cited=False) + ["<i>原句与出处见下一条消息。</i>"]
    return clip_html_lines(short, MAX_CAPTION_UNITS), False


def render_metrics(metrics: Sequence[str]) -> str:
    """Render the list of metrics found in two or more reports."""
    if not metrics:
        return "没有在两份以上报告中都出现的指标。可以直接发送 /compare 指标 试试。"
    return clip_html_lines(["📊 可比较的指标（出现在两份以上报告中），点按钮或发送 /compare 指标："]
                           + [f"· {esc(m)}" for m in metrics])


def metrics_keyboard(metrics: Sequence[str]) -> InlineKeyboardMarkup | None:
    """Return one button per metric (those whose name fits in callback data), two a row."""
    fitting = [m for m in metrics if fits(f"C:{m}")]
    buttons = [InlineKeyboardButton(clip(m, 24), callback_data=encode("C", m))
               for m in fitting[:MAX_METRIC_BUTTONS]]
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


@dataclass(frozen=True, slots=True)
class FiguresPage:
    """One message of a report's figures."""

    text: str
    number: int
    total: int


def figures_pages(report: Report, figures: Sequence[Figure]) -> list[FiguresPage]:
    """Split a report's figures into pages, grouped by section, each within 4096 units."""
    head = f"🔢 《{esc(report.title)}》<code>{esc(short_id(report.report_id))}</code> 中的数字"
    if not figures:
        return [FiguresPage(head + "\n这份报告里没有找到数字。", 0, 1)]
    chunks = [figures[i : i + FIGURES_PER_PAGE] for i in range(0, len(figures), FIGURES_PER_PAGE)]
    pages = []
    for n, chunk in enumerate(chunks):
        lines = [f"{head}（共 {len(figures)} 个）"]
        for section, of_section in groupby(chunk, key=lambda f: f.section):
            lines.append(f"<b>{esc(section or '（前言）')}</b>")
            lines += [f"· {esc(f.metric_raw or f.metric or '（未识别）')}：{_value(f)}\n"
                      f"  「{esc(clip(f.sentence, SENTENCE_UNITS))}」" for f in of_section]
        footer = f"\n<i>第 {n + 1}/{len(chunks)} 页</i>" if len(chunks) > 1 else ""
        pages.append(FiguresPage(clip_html_lines(lines, MessageLimit.MAX_TEXT_LENGTH - 40)
                                 + footer, n, len(chunks)))
    return pages


def figures_keyboard(report: Report, page: FiguresPage) -> InlineKeyboardMarkup | None:
    """Return ◀ / ▶ buttons that page a report's figures in place."""
    ref = report.report_id[:40]
    nav = []
    if page.number > 0:
        nav.append(InlineKeyboardButton(
            "◀ 上一页", callback_data=encode("G", ref, page.number - 1)))
    if page.number + 1 < page.total:
        nav.append(InlineKeyboardButton(
            f"下一页 ▶ ({page.number + 2}/{page.total})",
            callback_data=encode("G", ref, page.number + 1)))
    return InlineKeyboardMarkup([nav]) if nav else None


def render_export_caption(count: int, reports: int, zipped: bool = False) -> str:
    """Describe the exported figures file (zipped when too large for Telegram as it is)."""
    if zipped:
        return (f"📎 {reports} 份报告中的 {count} 个数字。表格超过 Telegram 的 50 MB 上限，"
                "已压缩为 ZIP，解压后是 CSV（UTF-8 带 BOM，Excel 可直接打开）；"
                "每行含原句与段落编号，可核对出处。")
    return (f"📎 {reports} 份报告中的 {count} 个数字（CSV，UTF-8 带 BOM，Excel 可直接打开）；"
            "每行含原句与段落编号，可核对出处。")


def render_table_building(reports: int) -> str:
    """Say that the figures of every report are being gathered, before the answer comes."""
    return (f"正在汇总全部 {reports} 份报告的数字，请稍候，完成后自动发送结果，"
            "请勿重复发送。")


def render_export_too_large(count: int, megabytes: float) -> str:
    """Say why no file came: even zipped, the table is over Telegram's limit for bots."""
    return (f"数字表共 {count} 个数字，压缩后仍有 {megabytes:.0f} MB，超过 Telegram 的 50 MB "
            "上限，无法发送。请用 /compare 指标 查看单项，或请管理员在服务器上导出。")
