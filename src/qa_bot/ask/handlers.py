"""Message and command handlers: parse → core → render → send, nothing else."""

from __future__ import annotations

import logging
import time
from functools import partial

from telegram import Message, Update
from telegram.error import BadRequest, NetworkError, TelegramError

from qa import Answer
from qa_bot import render
from qa_bot.admin.handlers import note_chat_title
from qa_bot.apologies import apology_for
from qa_bot.chatprefs.handlers import chat_answer
from qa_bot.context import BotContext
from qa_bot.keyboards import answer_keyboard
from qa_bot.runtime.flooded import Deferred
from qa_bot.runtime.send import maybe_sent, with_retries
from qa_bot.store.db import QueryEntry, new_query_id

from .followups import earlier_question, remember_question, revise_question
from .routing import Request, is_addressed, parse_request

logger = logging.getLogger(__name__)
MAX_REPORT_REF = 64  # a report number is a few characters; anything longer is never one


def _entry(message: Message, request: Request, answer: Answer, started: float) -> QueryEntry:
    return QueryEntry(
        chat_id=message.chat_id, chat_type=message.chat.type,
        user_id=message.from_user.id if message.from_user else None,
        command=request.command, question=request.text, intent=answer.intent,
        found=answer.found,
        passage_ids=tuple(q.passage.passage_id for q in render.answer_items(answer)),
        latency_ms=(time.perf_counter() - started) * 1000)


async def _log_answer(context: BotContext, update_id: int, query_id: int, entry: QueryEntry,
                      question: Message, answer_message_id: int) -> None:
    """Log a sent answer (with its update's done mark); queued if the database fails."""
    write = partial(context.store.log_answer, query_id, entry, question.message_id,
                    answer_message_id, update_id)
    if await context.journal.record(write):
        context.inbox.settle(update_id)


async def answer_request(update: Update, message: Message, context: BotContext,
                         request: Request) -> None:
    """Answer one question: guard, ask the core, send page 1, then log it (answer first)."""
    user_id = message.from_user.id if message.from_user else None
    verdict = context.guard.check(user_id)
    if not verdict.allowed:
        if verdict.notify:
            await with_retries(lambda: message.reply_text(
                render.render_flood_notice(verdict.wait_seconds)), once=True)
        return
    started = time.perf_counter()
    earlier = await earlier_question(message, context) if request.command == "ask" else None
    # The chat's /settings: which reports, brief or full, 👍/👎 shown or not.
    answer, prefs = await chat_answer(context, message.chat, request, earlier)
    pages = render.render_answer(answer)  # a brief answer is cut once, in ask_in_chat
    if context.flooded.should_defer(message.chat_id):
        # Issue 21: the group's slots are spent; its answer joins a coalesced message and the
        # update stays unfinished until that is sent (qa_bot/runtime/flooded.py).
        context.flooded.defer(Deferred(update.update_id, message, request.text, answer,
                                       _entry(message, request, answer, started)))
        context.inbox.settle(update.update_id)
        return
    query_id = new_query_id()  # known before sending: the log write comes after the answer
    # A greeting or thanks gets a friendly line: nothing to page, quote or vote on.
    keyboard = None if answer.smalltalk else answer_keyboard(query_id, pages[0], prefs.votes)
    # At most once: a reply Telegram may already have shown is not sent again.
    sent = await with_retries(lambda: message.reply_text(pages[0].text, reply_markup=keyboard),
                              once=True)
    context.pages.set(message.chat_id, sent.message_id, 0)
    entry = _entry(message, request, answer, started)
    await _log_answer(context, update.update_id, query_id, entry, message, sent.message_id)
    if request.command == "ask":
        await remember_question(context, message, answer, request.text, sent.message_id)
    await note_chat_title(context, message.chat)


async def question_command(update: Update, context: BotContext) -> None:
    """Answer /ask, /problems, /plans and /highlights (with @botname or not)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    request = parse_request(message.text, context.username)
    if request is not None:
        await answer_request(update, message, context, request)


async def private_text(update: Update, context: BotContext) -> None:
    """Treat any text in a private chat as a question."""
    message = update.effective_message
    if message is not None and message.text:
        await answer_request(update, message, context, Request("ask", message.text.strip()))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Tell a private user that a command does not exist and where the list is."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.render_unknown_command())


async def unsupported_message(update: Update, context: BotContext) -> None:
    """Say in one line that files, photos, stickers and voice are not read (yet)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.render_unsupported())


async def group_text(update: Update, context: BotContext) -> None:
    """Answer group messages that @mention the bot or reply to it; ignore other chatter."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if is_addressed(message, context.bot.id, context.username):
        await question_command(update, context)


async def edited_question(update: Update, context: BotContext) -> None:
    """Re-answer an edited question by editing the bot's earlier answer in place."""
    message = update.edited_message
    if message is None or not message.text:
        return
    link = await context.store.find_answer(message.chat_id, message.message_id)
    request = parse_request(message.text, context.username)
    if link is None or request is None:
        return  # never answered (chatter, or asked before the log existed): stay quiet
    started = time.perf_counter()
    # A follow-up ("那002呢") is read again against what it followed when first asked.
    earlier = (await earlier_question(message, context, link.answer_message_id)
               if request.command == "ask" else None)
    answer, prefs = await chat_answer(context, message.chat, request, earlier)
    pages = render.render_answer(answer)  # a brief answer is cut once, in ask_in_chat
    query_id = new_query_id()
    try:
        await with_retries(lambda: context.bot.edit_message_text(
            pages[0].text, chat_id=message.chat_id, message_id=link.answer_message_id,
            reply_markup=answer_keyboard(query_id, pages[0], prefs.votes)))
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise
    context.pages.set(message.chat_id, link.answer_message_id, 0)
    entry = _entry(message, request, answer, started)
    await _log_answer(context, update.update_id, query_id, entry, message,
                      link.answer_message_id)
    if request.command == "ask":
        await revise_question(context, message, answer, request.text, link.answer_message_id)


async def error_handler(update: object, context: BotContext) -> None:
    """Log the error with its traceback, then apologise briefly to the user."""
    if update is None and isinstance(context.error, NetworkError):
        # getUpdates failed: PTB retries it; log the outage once, not a traceback per try.
        context.outage.report(context.error)
        return
    # Log before anything else, so the error is visible even if replying fails too.
    logger.error("Exception while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or (
            context.error is not None and maybe_sent(context.error)):
        return  # a reply that may have arrived gets no apology after it (nor a second copy)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(apology_for(update))
        elif update.effective_message is not None and update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, apology_for(update))
    except TelegramError:
        logger.warning("Could not send the apology", exc_info=True)
