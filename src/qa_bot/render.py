"""Turn core values (Answer, Report, Passage) into Telegram HTML; the only place markup is built.

Every piece of user or report text goes through ``html.escape``. Pages hold whole quotes and are
measured in UTF-16 code units, the unit of Telegram's 4096 limit, so no tag is ever cut.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from telegram.constants import MessageLimit

from qa import (
    KIND_NAMES,
    PATH_SEP,
    Answer,
    Pairing,
    Passage,
    Quote,
    Report,
    Section,
    Suggestion,
    quoted_hits,
)
from qa.answer import highlight_spans

from .commands import COMMANDS, COMMANDS_BY_NAME

MAX_UNITS = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096
PER_PAGE = 3
PAIRS_PER_PAGE = 2  # problems (each with up to five items answering it) on one page
QUOTE_MAX_UNITS = 1200  # one quote block can never crowd a page past the limit
QUESTION_MAX_CHARS = 120
LEAD_MAX_CHARS = 600
SUGGESTION_MAX_CHARS = 40
PATH_PART_MAX_CHARS = 30


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def esc(text: str) -> str:
    """Escape report or user text for Telegram HTML."""
    return html.escape(text, quote=False)


def clip(text: str, max_units: int, ellipsis: str = "…") -> str:
    """Cut plain text to at most max_units UTF-16 units, never inside a surrogate pair."""
    if utf16_len(text) <= max_units:
        return text
    budget = max_units - utf16_len(ellipsis)
    out, used = [], 0
    for ch in text:
        used += utf16_len(ch)
        if used > budget:
            break
        out.append(ch)
    return "".join(out) + ellipsis


def highlight(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Escape text and wrap the given character spans in <b>; overlapping spans are merged."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, pos = [], 0
    for start, end in merged:
        parts.append(esc(text[pos:start]) + "<b>" + esc(text[start:end]) + "</b>")
        pos = end
    parts.append(esc(text[pos:]))
    return "".join(parts)


def answer_items(answer: Answer) -> tuple[Quote, ...]:
    """Return the quotes, then the remaining hits as whole-passage quotes (the 更多 pages).

    An outline's item passages are already shown by its headings: no page repeats them.
    """
    quoted = {h.passage.passage_id for h in quoted_hits(answer)}
    extra = tuple(
        Quote(h, h.passage.text, highlight_spans(h.passage.text, h.matched_terms, False))
        for h in answer.hits
        if h.passage.passage_id not in quoted
    )
    return answer.quotes + extra


def source_line(passage: Passage, depth: int | None = None) -> str:
    """Return the escaped 《title》› section path citation."""
    path = passage.section_path if depth is None else passage.section_path[:depth]
    # An item heading can be a whole sentence: a citation names it, it does not repeat it.
    return esc(f"《{passage.report_title}》"
               + "".join(PATH_SEP + clip(p, PATH_PART_MAX_CHARS) for p in path))


def render_quote(quote: Quote, number: int | None = None) -> str:
    """Render one quote: the quoted text (bold terms) in a blockquote, then its source."""
    prefix = f"<b>{number}.</b> " if number is not None else ""
    if quote.items:
        lines = ["• " + esc(clip(item, 200)) for item in quote.items]
        body = clip_html_lines(lines, QUOTE_MAX_UNITS)
        source = source_line(quote.passage, len(quote.items_under))
        return f"{prefix}{source}\n<blockquote>{body}</blockquote>"
    text = clip(quote.text, QUOTE_MAX_UNITS)
    spans = [(s, min(e, len(text))) for s, e in quote.spans if s < len(text)]
    source = source_line(quote.passage)
    return f"{prefix}<blockquote>{highlight(text, spans)}</blockquote>\n——{source}"


@dataclass(frozen=True, slots=True)
class Page:
    """One message worth of an answer and which answer items it shows."""

    text: str
    items: tuple[int, ...]
    number: int
    total: int


def render_pairing(pairing: Pairing, numbers: Sequence[int]) -> str:
    """Render a problem, then each item answering it under its section kind (numbered as
    the answer's 原文 buttons are), or a note that none does."""
    first, *rest = numbers
    lines = ["❓ <b>问题</b>", render_quote(pairing.problem, first + 1)]
    answering = [(KIND_NAMES[q.passage.kind], q) for q in pairing.remedies]
    answering += [("次年报告", q) for q in pairing.later]
    for (kind, quote), number in zip(answering, rest, strict=True):
        lines += [f"↳ <b>{esc(kind)}</b>", render_quote(quote, number + 1)]
    if len(numbers) == 1:
        lines.append("<i>↳ 计划和整改中没有与之直接对应的条目。</i>")
    return "\n".join(lines)


def _header(answer: Answer) -> str:
    if answer.pairings:
        return f"🛠 <b>问题与整改</b> · {esc(clip(answer.lead, LEAD_MAX_CHARS))}"
    title = KIND_NAMES.get(answer.intent, "")
    if answer.quotes and answer.quotes[0].items and title:  # a section's lists
        header = f"📋 <b>{esc(title)}</b> · 共 {len(answer.quotes)} 份报告"
        # 「谁家列的问题最多」 leads with each report's count.
        return header + (f"\n💡 {esc(clip(answer.lead, LEAD_MAX_CHARS))}" if answer.lead else "")
    # A follow-up ("那003呢") is shown as the question it re-asked, for the report it named.
    asked = (answer.follows + (f"（{answer.scope}）" if answer.scope else "")
             if answer.follows else answer.question)
    header = f"🔎 <b>{esc(clip(asked, QUESTION_MAX_CHARS))}</b>"
    if answer.lead:  # the fact first, in one line, before the quotes that prove it
        header += f"\n💡 {esc(clip(answer.lead, LEAD_MAX_CHARS))}"
    return header


def _per_page(answer: Answer) -> int:
    if answer.pairings:
        return PAIRS_PER_PAGE
    # An overview (one item list per report) shows every report on one page when it fits.
    return len(answer.quotes) if answer.quotes and answer.quotes[0].items else PER_PAGE


def _units(answer: Answer) -> list[tuple[str, list[int]]]:
    """Return what pages are made of: each quote, or each problem with its items, and the
    answer items each one shows."""
    if not answer.pairings:
        return [(render_quote(q, i + 1), [i]) for i, q in enumerate(answer_items(answer))]
    units, start = [], 0
    for pairing in answer.pairings:  # ``quotes`` holds the pairings' quotes in this order
        numbers = list(range(start, start + len(pairing.quotes)))
        units.append((render_pairing(pairing, numbers), numbers))
        start += len(numbers)
    return units


def paginate_answer(answer: Answer) -> list[Page]:
    """Split a found answer into pages of whole quotes, each within the 4096-unit limit."""
    header = _header(answer)
    notice = f"\n<i>{esc(answer.notice)}</i>" if answer.notice else ""
    groups: list[list[int]] = []
    blocks: list[list[str]] = []
    for block, shown in _units(answer):
        fits = blocks and len(blocks[-1]) < _per_page(answer) and utf16_len(
            "\n\n".join([header, *blocks[-1], block]) + notice) + 20 <= MAX_UNITS
        if fits:
            groups[-1].extend(shown)
            blocks[-1].append(block)
        else:
            groups.append(list(shown))
            blocks.append([block])
    total = len(blocks)
    pages = []
    for n, (group, page_blocks) in enumerate(zip(groups, blocks, strict=True)):
        footer = f"\n\n<i>第 {n + 1}/{total} 页</i>" if total > 1 else ""
        text = "\n\n".join([header, *page_blocks]) + (notice if n == 0 else "") + footer
        pages.append(Page(text, tuple(group), n, total))
    return pages


def render_suggestion(suggestion: Suggestion) -> str:
    """Render a suggestion the bot way: "/problems [关键词]：…" or a section title."""
    if suggestion.kind == "command":
        command = COMMANDS_BY_NAME[suggestion.value]
        return f"{command.usage}：{command.description}"
    return f"相近章节：{clip(suggestion.value, SUGGESTION_MAX_CHARS)}"


def render_not_found(answer: Answer) -> str:
    """Render an honest "not found" with the notice and the core's suggestions.

    When the topic is there but the asked fact is not (a hidden figure), show where it is.
    """
    lines = [f"🤔 {esc(answer.notice or '报告中没有找到相关内容。')}"]
    for quote in answer.quotes[:2]:
        lines.append("提到的地方：\n" + render_quote(quote))
    if answer.suggestions and not answer.quotes:  # the quotes already say where to look
        lines.append("\n可以试试：")
        lines.extend("• " + esc(render_suggestion(s)) for s in answer.suggestions)
    return clip_html_lines(lines)


def render_answer(answer: Answer) -> list[Page]:
    """Render any answer as pages (a not-found answer is a single page without items)."""
    if answer.smalltalk:
        hint = "（/help 查看用法）" if answer.smalltalk == "greeting" else ""
        return [Page(esc(answer.notice) + hint, (), 0, 1)]
    if not answer.found or not answer_items(answer):
        return [Page(render_not_found(answer), (), 0, 1)]
    return paginate_answer(answer)


def render_passage(passage: Passage) -> str:
    """Render a full passage in an expandable blockquote with its source."""
    body = highlight(clip(passage.text, MAX_UNITS - 600), ())
    return f"📄 {source_line(passage)}\n<blockquote expandable>{body}</blockquote>"


def clip_html_lines(lines: Sequence[str], max_units: int = MAX_UNITS) -> str:
    """Join complete lines (each valid HTML on its own) until the limit; note what was left."""
    kept: list[str] = []
    for i, line in enumerate(lines):
        candidate = "\n".join([*kept, line])
        if utf16_len(candidate) > max_units - 40:
            kept.append(f"……（另有 {len(lines) - i} 行未显示）")
            break
        kept.append(line)
    return "\n".join(kept)


def short_id(report_id: str) -> str:
    """Return the number users type for a report ("000_bbf0…" → "000")."""
    return report_id.split("_", 1)[0]


def render_reports(reports: Sequence[Report]) -> str:
    """List every report with its number, for /reports."""
    lines = [f"📚 共 {len(reports)} 份报告（用 /report 编号 查看提纲）："]
    for r in reports:
        meta = " · ".join(x for x in (r.unit, r.year) if x)
        lines.append(f"<code>{esc(short_id(r.report_id))}</code> 《{esc(r.title)}》"
                     + (f" {esc(meta)}" if meta else "") + f" · {r.size} 段")
    return clip_html_lines(lines)


def render_outline(report: Report) -> str:
    """Render a report's outline: its sections with their item headings."""
    lines = [f"📑 《{esc(report.title)}》 <code>{esc(short_id(report.report_id))}</code>"]
    for section in report.sections:
        lines.append(f"<b>{section.index + 1}. {esc(section_label(section))}</b>"
                     f" · {len(section.passages)} 段")
    lines.append("\n点击下方按钮查看某一部分原文。")
    return clip_html_lines(lines)


def section_label(section: Section) -> str:
    """Return a section's display title ("前言" for the untitled opening)."""
    return section.title or "前言"


def render_section(report: Report, section: Section) -> str:
    """Render one section's passages, as many whole passages as fit."""
    lines = [f"📑 《{esc(report.title)}》{esc(PATH_SEP + section_label(section))}"]
    shown: tuple[str, ...] = ()
    for passage in section.passages:
        # Sub-headings (e.g. "1.创新…") print once, above the first passage under them.
        sub = passage.section_path[len(section.path):]
        if sub and sub != shown:
            lines.append("<b>" + esc(PATH_SEP.join(sub)) + "</b>")
            shown = sub
        lines.append(f"<blockquote>{esc(clip(passage.text, QUOTE_MAX_UNITS))}</blockquote>")
    return clip_html_lines(lines)


def render_help(bot_username: str = "", admin: bool = True) -> str:
    """Render /help from the command registry (admin commands only for an admin)."""
    lines = ["<b>党建工作报告问答</b>：回答都引用报告原文并注明出处。", ""]
    for command in COMMANDS:
        if command.admin and not admin:
            continue  # as in the menus: others would only be refused
        example = f"（例：{esc(command.example)}）" if command.example else ""
        lines.append(f"{esc(command.usage)} — {esc(command.description)}{example}")
    lines.append("\n私聊时直接发送问题即可；在群里请用命令、@我 或回复我的消息。")
    if bot_username:
        lines.append(f"在任意聊天输入 @{esc(bot_username)} 关键词 可以内联搜索。")
    return "\n".join(lines)


def render_unknown_command() -> str:
    """Say that a command is unknown and point at /help."""
    return "没有这个命令。发送 /help 查看全部命令，或直接输入问题。"


def render_flood_notice(wait_seconds: int) -> str:
    """Render the per-user flood guard notice."""
    return f"⏳ 提问太频繁了，请 {wait_seconds} 秒后再试。"


ECHO_MAX_UNITS = 60  # user text quoted back in a notice: enough to recognise, never a wall
NOT_AVAILABLE = "本机器人在这里不可用。"


def echo(text: str) -> str:
    """Return user text cut short and escaped, for quoting it back in a notice."""
    return esc(clip(" ".join(text.split()), ECHO_MAX_UNITS))


def render_error(text: str) -> str:
    """Render a core error message (which may quote user input) short and escaped."""
    return esc(clip(text, 300))


def render_unsupported() -> str:
    """Say that files, photos, stickers and voice are not read, in one line."""
    return "暂不支持文件、图片、贴纸和语音，请直接用文字提问（发送 /help 查看用法）。"
