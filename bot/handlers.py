"""Message and command handlers: parse → core → render → send, nothing else."""

from __future__ import annotations

import logging
import time

from telegram import Message, Update
from telegram.error import BadRequest, TelegramError

from qa import UnknownReportError

from . import render
from .context import BotContext
from .keyboards import answer_keyboard, outline_keyboard
from .request import MaybeSent
from .routing import Request, is_addressed, parse_request, run_request
from .send import with_retries

logger = logging.getLogger(__name__)
APOLOGY = "抱歉，处理您的请求时出错了，请稍后再试。"


async def ask_and_log(
    message: Message, context: BotContext, request: Request
) -> tuple[int, list[render.Page]]:
    """Ask the core, render the pages and log the query; return (query id, pages)."""
    started = time.perf_counter()
    answer = run_request(context.engine, request)
    pages = render.render_answer(answer)
    query_id = await context.store.log_query(
        chat_id=message.chat_id, chat_type=message.chat.type,
        user_id=message.from_user.id if message.from_user else None,
        command=request.command, question=request.text, intent=answer.intent, found=answer.found,
        passage_ids=[q.passage.passage_id for q in render.answer_items(answer)],
        latency_ms=(time.perf_counter() - started) * 1000,
    )
    return query_id, pages


async def answer_request(message: Message, context: BotContext, request: Request) -> None:
    """Answer one question: guard, ask the core, log it, send page 1, remember the link."""
    user_id = message.from_user.id if message.from_user else None
    verdict = context.guard.check(user_id)
    if not verdict.allowed:
        if verdict.notify:
            await with_retries(lambda: message.reply_text(
                render.render_flood_notice(verdict.wait_seconds)), once=True)
        return
    query_id, pages = await ask_and_log(message, context, request)
    keyboard = answer_keyboard(query_id, pages[0])
    # At most once: a reply Telegram may already have shown is not sent again.
    sent = await with_retries(lambda: message.reply_text(pages[0].text, reply_markup=keyboard),
                              once=True)
    await context.store.link_answer(message.chat_id, message.message_id, sent.message_id, query_id)


async def start(update: Update, context: BotContext) -> None:
    """Greet the user and show the help text."""
    if update.effective_message is None:
        return
    name = update.effective_user.first_name if update.effective_user else ""
    await update.effective_message.reply_text(render.render_start(name, context.username))


async def help_command(update: Update, context: BotContext) -> None:
    """Show the commands, built from the registry."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.render_help(context.username))


async def question_command(update: Update, context: BotContext) -> None:
    """Answer /ask, /problems, /plans and /highlights (with @botname or not)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    request = parse_request(message.text, context.username)
    if request is not None:
        await answer_request(message, context, request)


async def reports_command(update: Update, context: BotContext) -> None:
    """List the reports."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.render_reports(context.engine.reports))


async def report_command(update: Update, context: BotContext) -> None:
    """Show a report's outline with a button per section."""
    message = update.effective_message
    if message is None:
        return
    try:
        report = context.engine.report(" ".join(context.args or []))
    except UnknownReportError as exc:
        await message.reply_text(render.esc(str(exc)))
        return
    await message.reply_text(render.render_outline(report), reply_markup=outline_keyboard(report))


async def private_text(update: Update, context: BotContext) -> None:
    """Treat any text in a private chat as a question."""
    message = update.effective_message
    if message is not None and message.text:
        await answer_request(message, context, Request("ask", message.text.strip()))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Tell a private user that a command does not exist and where the list is."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.render_unknown_command())


async def group_text(update: Update, context: BotContext) -> None:
    """Answer group messages that @mention the bot or reply to it; ignore other chatter."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if not is_addressed(message, context.bot.id, context.username):
        return
    request = parse_request(message.text, context.username)
    if request is not None:
        await answer_request(message, context, request)


async def edited_question(update: Update, context: BotContext) -> None:
    """Re-answer an edited question by editing the bot's earlier answer in place."""
    message = update.edited_message
    if message is None or not message.text:
        return
    link = await context.store.find_answer(message.chat_id, message.message_id)
    request = parse_request(message.text, context.username)
    if link is None or request is None:
        return  # never answered (chatter, or asked before the log existed): stay quiet
    query_id, pages = await ask_and_log(message, context, request)
    try:
        await with_retries(lambda: context.bot.edit_message_text(
            pages[0].text, chat_id=message.chat_id, message_id=link.answer_message_id,
            reply_markup=answer_keyboard(query_id, pages[0])))
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise
    await context.store.link_answer(message.chat_id, message.message_id,
                                    link.answer_message_id, query_id)


async def error_handler(update: object, context: BotContext) -> None:
    """Log the error with its traceback, then apologise briefly to the user."""
    # Log before anything else, so the error is visible even if replying fails too.
    logger.error("Exception while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or isinstance(context.error, MaybeSent):
        return  # a reply that may have arrived gets no apology after it (nor a second copy)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(APOLOGY)
        elif update.effective_message is not None and update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, APOLOGY)
    except TelegramError:
        logger.warning("Could not send the apology", exc_info=True)
