"""Render admin insight (/stats, /gaps, the weekly digest) and /settings: HTML and keyboards.

Callback data (each well under Telegram's 64 bytes):
    gp:<page>              /gaps: show another page in place
    gh:<topic hash>:<page> /gaps: mark a topic 已处理 (hidden until asked again)
    dg:<0|1>               weekly digest off / on for the admin who presses it
    cs:a | cs:u:<i> | cs:y:<i> | cs:l | cs:v
                           /settings: all reports, toggle unit i / year i, length, 👍/👎
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from qa import Report
from qa_bot.buttons import encode
from qa_bot.chatprefs.prefs import ChatPrefs
from qa_bot.render import clip, clip_html_lines, esc
from qa_bot.store.insight import Gap, Stats

GAPS_PER_PAGE = 5
TOP_SHOWN = 5
NOT_ADMIN = "抱歉，这个命令只对机器人管理员开放。"
WEEKDAYS = "一二三四五六日"


def chat_label(chat_id: int, chat_type: str = "", title: str = "") -> str:
    """Return a short plain name for a chat: a group's title when known, else its id."""
    if chat_type == "private" or chat_id > 0:
        return f"私聊 {chat_id}"  # private chats keep no name in the admins' lists
    return f"群「{clip(title, 20)}」" if title else f"群 {chat_id}"


def render_stats(stats: Stats, now: datetime, tz_name: str) -> str:
    """Render /stats in numbers: totals, votes, per day, busiest chats, top questions, gaps."""
    votes = stats.up + stats.down
    liked = f"（好评 {stats.up / votes:.0%}）" if votes else ""
    lines = [f"📊 <b>近 {stats.days} 天使用统计</b>（截至 {now:%m-%d %H:%M}，{esc(tz_name)}）",
             f"提问 {stats.total} 次 · 找到 {stats.found} 次（{stats.found_rate:.0%}）"
             f" · 没找到 {stats.total - stats.found} 次",
             f"评价 👍 {stats.up} / 👎 {stats.down}{liked}", "", "<b>每日提问</b>"]
    lines += [f"{d.day:%m-%d} 周{WEEKDAYS[d.day.weekday()]}  {d.questions} 问"
              f"（找到 {d.found}）" for d in stats.per_day if d.questions or stats.days <= 7]
    sections = (
        ("最活跃的会话", [f"{esc(chat_label(c.chat_id, c.chat_type, c.title))} · {c.questions} 问"
                      for c in stats.chats]),
        ("问得最多", [f"{esc(clip(q, 40))} × {n}" for q, n in stats.top_questions]),
        ("没答上的话题", [f"{esc(clip(t, 30))} × {n}" for t, n in stats.gap_topics]),
    )
    for title, items in sections:
        lines += ["", f"<b>{title}</b>"]
        lines += [f"{i}. {item}" for i, item in enumerate(items, 1)] or ["（无）"]
    if stats.gap_topics:
        lines.append("\n用 /gaps 查看没答上的问题并标记已处理。")
    return clip_html_lines(lines)


def topic_hash(topic: str) -> str:
    """Return a short stable id of a gap topic, for callback data."""
    return hashlib.sha1(topic.encode()).hexdigest()[:12]


def _gap_block(number: int, gap: Gap) -> str:
    titles = gap.titles or ("",) * len(gap.chats)
    named = list(zip(gap.chats, titles, strict=True))[:3]
    chats = "、".join(chat_label(c, title=t) for c, t in named) + (
        f" 等 {len(gap.chats)} 个会话" if len(gap.chats) > 3 else "")
    asked = "".join(f"「{clip(q, 30)}」" for q in gap.questions[:3])
    return (f"<b>{number}. {esc(clip(gap.topic, 40))}</b> · {gap.count} 次 · {esc(chats)}\n"
            f"    {esc(asked)}")


def gaps_page_count(gaps: Sequence[Gap]) -> int:
    """Return how many pages the gaps take (at least one)."""
    return max(1, -(-len(gaps) // GAPS_PER_PAGE))


def render_gaps(gaps: Sequence[Gap], page: int, title: str = "没答上或被点 👎 的问题") -> str:
    """Render one page of gap topics (近 30 天, grouped, biggest first)."""
    if not gaps:
        return f"✅ <b>{esc(title)}</b>\n近 30 天没有待处理的问题。"
    total = gaps_page_count(gaps)
    shown = gaps[page * GAPS_PER_PAGE:(page + 1) * GAPS_PER_PAGE]
    lines = [f"🕳 <b>{esc(title)}</b>（近 30 天，按话题归并，共 {len(gaps)} 个话题）", ""]
    lines += [_gap_block(page * GAPS_PER_PAGE + i + 1, g) for i, g in enumerate(shown)]
    lines.append(f"\n<i>第 {page + 1}/{total} 页 · 已处理的话题会隐藏，再有人问时重新出现</i>")
    return clip_html_lines(lines)


def gaps_keyboard(gaps: Sequence[Gap], page: int, digest_on: bool) -> InlineKeyboardMarkup:
    """Return 已处理 buttons for the page's topics, paging, and the digest switch."""
    start = page * GAPS_PER_PAGE
    shown = gaps[start:start + GAPS_PER_PAGE]
    rows = [[InlineKeyboardButton(f"✅ 已处理 {start + i + 1}",
                                  callback_data=encode("gh", topic_hash(g.topic), page))
             for i, g in enumerate(shown)]] if shown else []
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ 上一页", callback_data=encode("gp", page - 1)))
    if page + 1 < gaps_page_count(gaps):
        nav.append(InlineKeyboardButton("下一页 ▶", callback_data=encode("gp", page + 1)))
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("🔕 关闭每周摘要", callback_data=encode("dg", 0)) if digest_on
                 else InlineKeyboardButton("🔔 开启每周摘要", callback_data=encode("dg", 1))])
    return InlineKeyboardMarkup(rows)


def render_digest(stats: Stats, gaps: Sequence[Gap]) -> str:
    """Render the weekly digest: last week in one line, then the first page of gaps."""
    summary = (f"📮 <b>每周摘要</b>：近 7 天提问 {stats.total} 次，找到 {stats.found_rate:.0%}，"
               f"👍 {stats.up} / 👎 {stats.down}。")
    return summary + "\n\n" + render_gaps(gaps, 0)


def render_digest_switch(on: bool) -> str:
    """Confirm a digest switch in one short line (a button toast)."""
    return "已开启每周摘要。" if on else "已关闭每周摘要，可在 /gaps 下方重新开启。"


# -- /settings ---------------------------------------------------------------------------

def choices(reports: Sequence[Report]) -> tuple[list[str], list[str]]:
    """Return the units and years a chat can choose from, in a stable order."""
    units = sorted({r.unit for r in reports if r.unit})
    years = sorted({r.year for r in reports if r.year}, reverse=True)
    return units, years


def render_settings(prefs: ChatPrefs, reports: Sequence[Report], can_edit: bool,
                    group: bool) -> str:
    """Render a chat's settings and what they mean, in words."""
    allowed = prefs.report_ids(reports)
    chosen = [r for r in reports if allowed is None or r.report_id in allowed]
    where = "本群" if group else "本聊天"
    scope = "全部报告" if allowed is None else "、".join(prefs.units + prefs.years)
    lines = [f"⚙️ <b>{where}设置</b>",
             f"检索范围：{esc(scope)}（{len(chosen)}/{len(reports)} 份报告）"]
    lines += [f"  • 《{esc(clip(r.title, 40))}》" for r in chosen[:8]]
    if len(chosen) > 8:
        lines.append(f"  …… 另有 {len(chosen) - 8} 份")
    length = "简短（事实一行 + 一条原文）" if prefs.brief else "完整（含 更多 翻页）"
    lines.append("回答长度：" + length)
    lines.append("评价按钮 👍/👎：" + ("显示" if prefs.votes else "不显示"))
    lines.append("\n点按下方按钮修改，立即生效。" if can_edit
                 else "\n只有群管理员（或机器人管理员）可以修改这些设置。")
    return clip_html_lines(lines)


def settings_keyboard(prefs: ChatPrefs, reports: Sequence[Report]) -> InlineKeyboardMarkup:
    """Return toggles: all reports, each unit and year, answer length, vote buttons."""
    units, years = choices(reports)

    def mark(on: bool, text: str) -> str:
        return ("✅ " if on else "") + clip(text, 24)

    rows = [[InlineKeyboardButton(mark(not prefs.units and not prefs.years, "全部报告"),
                                  callback_data=encode("cs", "a"))]]
    toggles = [InlineKeyboardButton(mark(u in prefs.units, u), callback_data=encode("cs", "u", i))
               for i, u in enumerate(units)][:30]
    toggles += [InlineKeyboardButton(mark(y in prefs.years, f"{y}年"),
                                     callback_data=encode("cs", "y", i))
                for i, y in enumerate(years)][:20]
    rows += [toggles[i:i + 2] for i in range(0, len(toggles), 2)]
    length = "简短 → 改为完整" if prefs.brief else "完整 → 改为简短"
    rows.append([InlineKeyboardButton("回答：" + length, callback_data=encode("cs", "l"))])
    rows.append([InlineKeyboardButton("👍/👎：" + ("显示 → 隐藏" if prefs.votes else "隐藏 → 显示"),
                                      callback_data=encode("cs", "v"))])
    return InlineKeyboardMarkup(rows)


def only_searching(prefs: ChatPrefs, label: str, group: bool) -> str:
    """Return the plain-text notice for a question about a report outside the chat's choice."""
    where = "本群" if group else "这里"
    chosen = "、".join(prefs.units + tuple(f"{y}年" for y in prefs.years))
    return (f"{where}只检索{chosen}的报告，「{label}」的报告不在范围内。"
            "如需查看，请私聊机器人提问，或请群管理员用 /settings 调整检索范围。")
