"""Admin insight in the chat: /stats (numbers and a chart), /gaps (paged, 已处理), digest switch."""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from telegram import Chat, Message, Update
from telegram.error import BadRequest

from qa_bot.context import BotContext
from qa_bot.render import clip_html_lines
from qa_bot.runtime import quarantine
from qa_bot.runtime.send import with_retries
from qa_bot.store.insight import Gap, mark_handled, open_gaps, remember_chat_title, usage_stats
from qa_bot.store.usagechart import render_usage_png, usage_title

from .render import (
    NOT_ADMIN,
    gaps_keyboard,
    gaps_page_count,
    render_digest_switch,
    render_gaps,
    render_stats,
    topic_hash,
)

STATS_DAYS = (7, 30)
DIGEST_KEY = "digest"  # chat_settings key in an admin's private chat: "on" / "off"
TITLES_KEY = "chat_titles"  # bot_data: the group titles already stored (one write per change)


def now_local(context: BotContext) -> datetime:
    """Return the current time in the configured digest time zone."""
    return datetime.now(ZoneInfo(context.settings.digest_tz))


async def current_gaps(context: BotContext) -> list[Gap]:
    """Return the open gap topics now."""
    engine = context.engine
    return await open_gaps(context.store, lambda q: engine.understand(q).terms,
                           now_local(context))


async def digest_on(context: BotContext, admin_id: int) -> bool:
    """Tell whether an admin still wants the weekly digest."""
    return await context.store.get_chat_setting(admin_id, DIGEST_KEY, "on") != "off"


async def note_chat_title(context: BotContext, chat: Chat) -> None:
    """Keep a group's title for /stats and /gaps, written only when new or changed (queued)."""
    if chat.type == Chat.PRIVATE or not chat.title:
        return
    known: dict[int, str] = context.bot_data.setdefault(TITLES_KEY, {})
    if known.get(chat.id) == chat.title:
        return
    known[chat.id] = chat.title
    await context.journal.record(partial(remember_chat_title, context.store, chat.id,
                                         chat.title, now_local(context)))


def _is_admin(context: BotContext, update: Update) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.settings.admin_ids


async def stats_command(update: Update, context: BotContext) -> None:
    """Send usage over 7 or 30 days: the numbers, then the chart of questions per day."""
    message = update.effective_message
    if message is None:
        return
    if not _is_admin(context, update):
        await with_retries(lambda: message.reply_text(NOT_ADMIN), once=True)
        return
    arg = (context.args or ["7"])[0]
    days = int(arg) if arg in {str(d) for d in STATS_DAYS} else STATS_DAYS[0]
    now = now_local(context)
    engine = context.engine
    stats = await usage_stats(context.store, lambda q: engine.understand(q).terms, days,
                              now, now.tzinfo or ZoneInfo(context.settings.digest_tz))
    text = render_stats(stats, now, context.settings.digest_tz)
    skipped = await quarantine.stats_lines(context.store, now, days)  # issue 21: poison updates
    if skipped:  # near the top: a long report of questions must not push it out
        lines = text.split("\n")
        text = clip_html_lines([*lines[:3], *skipped, *lines[3:]])
    await with_retries(lambda: message.reply_text(text), once=True)
    png = await asyncio.to_thread(render_usage_png, stats)  # ~0.3 s of matplotlib
    await with_retries(lambda: message.reply_photo(png, caption=usage_title(stats)), once=True)


async def gaps_command(update: Update, context: BotContext) -> None:
    """Show the first page of unanswered or 👎 questions, grouped by topic."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if not _is_admin(context, update):
        await with_retries(lambda: message.reply_text(NOT_ADMIN), once=True)
        return
    gaps = await current_gaps(context)
    markup = gaps_keyboard(gaps, 0, await digest_on(context, user.id))
    await with_retries(lambda: message.reply_text(render_gaps(gaps, 0), reply_markup=markup),
                       once=True)


async def on_admin_button(update: Update, context: BotContext) -> None:
    """Handle gp (page), gh (已处理) and dg (digest switch) buttons; admins only."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    if query.from_user.id not in context.settings.admin_ids:
        await with_retries(lambda: query.answer(NOT_ADMIN, show_alert=True))
        return
    kind, *args = (query.data or "").split(":")
    notice = None
    page = int(args[-1]) if args and args[-1].isdigit() else 0
    if kind == "dg":
        on = args == ["1"]
        await context.store.set_chat_setting(query.from_user.id, DIGEST_KEY,
                                             "on" if on else "off")
        notice = render_digest_switch(on)
    gaps = await current_gaps(context)
    if kind == "gh" and args:
        hit = next((g for g in gaps if topic_hash(g.topic) == args[0]), None)
        if hit is not None:
            await mark_handled(context.store, hit.topic, query.from_user.id, now_local(context))
            gaps = [g for g in gaps if g is not hit]
            notice = "已标记为已处理。"
    page = min(page, gaps_page_count(gaps) - 1)
    markup = gaps_keyboard(gaps, page, await digest_on(context, query.from_user.id))
    message = query.message
    try:
        await with_retries(lambda: message.edit_text(render_gaps(gaps, page), reply_markup=markup))
    except BadRequest as exc:
        if "not modified" not in str(exc):  # a double tap on the page already shown
            raise
    await with_retries(lambda: query.answer(notice))
