"""Button presses (更多, 原文, 👍/👎, report sections) and inline queries."""

from __future__ import annotations

import logging

from telegram import (
    CallbackQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.error import BadRequest

from qa import UnknownReportError
from qa_bot import render
from qa_bot.chatprefs.handlers import chat_answer
from qa_bot.context import BotContext
from qa_bot.keyboards import CallbackData, answer_keyboard, parse_callback
from qa_bot.runtime.send import with_retries
from qa_bot.store.db import QueryRecord, UnknownQueryError
from qa_bot.teach.render import ASK_IN_PRIVATE, inline_title

from .followups import earlier_for_page
from .routing import Request, run_request

logger = logging.getLogger(__name__)
STALE = "按钮已失效（答案已过期或不属于这条消息），请重新提问。"
REPORT_GONE = "这段原文所在的报告已被删除或替换，无法显示；请重新提问查看现有报告。"
VOTE_REPLIES = {"new": "感谢反馈！", "changed": "已更新您的评价。", "same": "您已评价过了。"}
MAX_INLINE_RESULTS = 10


async def refuse(update: Update) -> None:
    """Answer a button press or inline query from outside the allowlist: not available here."""
    if update.callback_query is not None:
        await with_retries(lambda: update.callback_query.answer(  # type: ignore[union-attr]
            render.NOT_AVAILABLE))
    elif update.inline_query is not None:
        button = InlineQueryResultsButton(text=render.NOT_AVAILABLE, start_parameter="na")
        await with_retries(lambda: update.inline_query.answer(  # type: ignore[union-attr]
            [], cache_time=60, is_personal=True, button=button))


async def on_button(update: Update, context: BotContext) -> None:
    """Dispatch a button press; unknown, forged or outdated buttons get a short notice."""
    query = update.callback_query
    if query is None:
        return
    data = parse_callback(query.data)
    handler = {"m": show_page, "p": show_passage, "f": vote, "s": show_section}.get(
        data.kind if data else "")
    if data is None or handler is None or not isinstance(query.message, Message):
        await query.answer(STALE)
        return
    notice = await handler(query, query.message, data, context)
    await query.answer(notice)


async def bound_query(message: Message, data: CallbackData,
                      context: BotContext) -> QueryRecord | None:
    """Return the logged query behind an answer button, only under the message it was sent with."""
    record = await context.store.get_query(data.query_id)
    if record is None or record.chat_id != message.chat_id:
        return None  # another database's button, or a forged id from another chat
    if record.answer_message_id != message.message_id:
        return None
    return record


async def show_page(query: CallbackQuery, message: Message, data: CallbackData,
                    context: BotContext) -> str | None:
    """Edit the answer in place to show another page (re-asking the logged question)."""
    record = await bound_query(message, data, context)
    if record is None:
        return STALE
    if context.pages.get(message.chat_id, message.message_id) == data.arg:
        return None  # a double tap: the page is already shown, an edit would change nothing
    # Re-asked within the chat's current /settings (and as the follow-up it was), as page 1 was.
    earlier = await earlier_for_page(message, record.question, context)
    answer, prefs = await chat_answer(context, message.chat,
                                      Request(record.command, record.question), earlier)
    pages = render.render_answer(answer)  # a brief answer is cut once, in ask_in_chat
    if not 0 <= data.arg < len(pages):
        return STALE
    page = pages[data.arg]
    try:
        await with_retries(lambda: message.edit_text(
            page.text, reply_markup=answer_keyboard(record.query_id, page, prefs.votes)))
    except BadRequest as exc:
        if "not modified" not in str(exc):  # shown already by a process that forgot it
            raise
    context.pages.set(message.chat_id, message.message_id, data.arg)
    return None


async def show_passage(query: CallbackQuery, message: Message, data: CallbackData,
                       context: BotContext) -> str | None:
    """Send the full passage behind one quote of an answer."""
    record = await bound_query(message, data, context)
    if record is None or not 0 <= data.arg < len(record.passage_ids):
        return STALE
    passage_id = record.passage_ids[data.arg]
    passage = context.engine.passage(passage_id)
    if passage is None:
        # The answer outlived its source: say so rather than call the button stale.
        report_id = passage_id.rpartition("#")[0]
        known = {r.report_id for r in context.engine.reports}
        return REPORT_GONE if report_id not in known else STALE
    await with_retries(lambda: message.reply_text(render.render_passage(passage)), once=True)
    return None


async def vote(query: CallbackQuery, message: Message, data: CallbackData,
               context: BotContext) -> str | None:
    """Record a 👍/👎 vote, once per user and query; pressing the other one changes it."""
    record = await bound_query(message, data, context)
    if record is None or data.arg not in (-1, 1):
        return STALE
    try:
        outcome = await context.store.record_feedback(record.query_id, query.from_user.id,
                                                      data.arg)
    except UnknownQueryError:
        return STALE
    return VOTE_REPLIES[outcome]


async def show_section(query: CallbackQuery, message: Message, data: CallbackData,
                       context: BotContext) -> str | None:
    """Send one section of a report opened from its outline."""
    try:
        report = context.engine.report(data.ref)
    except UnknownReportError:
        return STALE
    sections = {s.index: s for s in report.sections}
    if data.arg not in sections:
        return STALE
    text = render.render_section(report, sections[data.arg])
    await with_retries(lambda: message.reply_text(text), once=True)
    return None


def _article(result_id: str, title: str, description: str, text: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id, title=render.clip(title, 100), description=render.clip(description, 200),
        input_message_content=InputTextMessageContent(text),
    )


async def inline_query(update: Update, context: BotContext) -> None:
    """Offer up to 10 quoted passages for ``@bot 关键词``; a private-chat button when empty."""
    query = update.inline_query
    if query is None:
        return
    text = query.query.strip()
    if not text:
        # Nothing typed: offer the private chat (start=ask), never post command text.
        button = InlineQueryResultsButton(text=ASK_IN_PRIVATE, start_parameter="ask")
        await with_retries(lambda: query.answer([], cache_time=300, button=button))
        return
    answer = run_request(context.engine, Request("ask", text))
    units = {r.report_id: r.unit for r in context.engine.reports}
    results = [
        _article(f"q{i}", inline_title(q.hit, units.get(q.hit.passage.report_id, "")), q.text,
                 render.render_quote(q))
        for i, q in enumerate(render.answer_items(answer)[:MAX_INLINE_RESULTS])
    ] or [_article("none", "没有找到相关内容", answer.notice or "换个关键词试试",
                   render.render_not_found(answer))]
    await with_retries(lambda: query.answer(results, cache_time=30))
