"""Reports sent in chat: admin check, size check, convert + preview in a thread, corrections by
reply, and the 确认收录 / 替换 / 取消 buttons (issue 10).

A document counts as an upload in a private chat, in a group when its caption mentions the bot,
or when ``/add`` replies to it. Only QA_ADMIN_IDS may add; everyone else gets one line.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from datetime import UTC, datetime
from functools import partial
from typing import Any

from telegram import CallbackQuery, Document, Message, MessageEntity, Update
from telegram.error import TelegramError
from telegram.ext import filters

from qa.documents import MAX_UPLOAD_BYTES, REFUSALS, Converted
from qa.errors import BadCorrectionError, FileRefusedError, QAError
from qa.library import Preview, apply_corrections, build_preview, preview_isolated
from qa_bot.context import BotContext
from qa_bot.library import render as rl
from qa_bot.render import render_error
from qa_bot.runtime.send import with_retries
from qa_bot.store import pending as waiting_uploads
from qa_bot.store.db import Store, StoreError
from qa_bot.store.pending import PendingRow

from . import confirming
from .confirming import INTERRUPTED, Unfinishable
from .handlers import (
    MAX_PENDING,
    LibraryState,
    PendingUpload,
    answer_press,
    is_admin,
    library,
    library_state,
    on_removal_button,
    pressed_pending,
    reply,
    who,
)
from .ocrprogress import ChatProgress

logger = logging.getLogger(__name__)
_BUTTON = re.compile(r"^(?P<kind>[LR]):(?P<token>[A-Za-z0-9_-]{1,20}):(?P<action>[a-z]{2})$")


def _mentions_bot(message: Message, username: str) -> bool:
    for entity, value in message.parse_caption_entities(
            [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            if entity.user.username and entity.user.username.lower() == username.lower():
                return True
        elif value.lower() == f"@{username.lower()}":
            return True
    return False


async def receive_document(update: Update, context: BotContext) -> None:
    """Take a document sent in private, or in a group with a caption that mentions the bot."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    if message.chat.type != "private" and not _mentions_bot(message, context.username):
        return  # a file shared among the members, not for the bot
    await take_upload(message, message.document, context)


async def add_command(update: Update, context: BotContext) -> None:
    """Take the document that ``/add`` replies to."""
    message = update.effective_message
    if message is None:
        return
    replied = message.reply_to_message
    if replied is None or replied.document is None:
        await reply(message, rl.ADD_USAGE)
        return
    await take_upload(message, replied.document, context)


async def take_upload(message: Message, document: Document, context: BotContext) -> None:
    """Check, fetch, convert and preview one upload; nothing is stored before 确认收录."""
    user = message.from_user
    if not is_admin(context, user.id if user else None):
        await reply(message, rl.ADMINS_ONLY)
        return
    name = document.file_name or "未命名文件"
    if document.file_size is not None and document.file_size > MAX_UPLOAD_BYTES:
        reason, hint = REFUSALS["too_large"]  # refused before a byte is downloaded
        await reply(message, rl.render_refusal(FileRefusedError(name, "too_large", reason, hint)))
        return
    try:
        telegram_file = await with_retries(lambda: context.bot.get_file(document.file_id))
        data = bytes(await with_retries(telegram_file.download_as_bytearray))
    except TelegramError as exc:
        logger.warning("Upload %r could not be downloaded: %s", name, exc)
        await reply(message, rl.DOWNLOAD_FAILED)
        return
    # In a limited child process (a hostile file kills the worker, not the bot), off the
    # event loop (a scan's OCR takes seconds a page); its pages are shown as they are read.
    progress = ChatProgress(message, asyncio.get_running_loop())
    try:
        preview = await asyncio.to_thread(preview_isolated, data, name, progress=progress)
    except FileRefusedError as exc:
        await progress.settle()
        logger.info("Upload %r refused: %s (%s)", name, exc.code, exc.reason)
        await reply(message, rl.render_refusal(exc))
        return
    await progress.settle()
    same = await asyncio.to_thread(library(context).find_duplicate, preview)
    if same is not None:  # issue 19: never a second copy of a stored report
        await reply(message, rl.render_duplicate(name, same))
        return
    state = library_state(context.bot_data)
    pending = PendingUpload(message.chat_id, user.id if user else 0, who(user), preview)
    token = state.hold(state.uploads, pending)
    sent = await reply(message, rl.render_preview(preview), reply_markup=rl.preview_keyboard(token))
    pending.message_id = sent.message_id
    await keep_pending(context, token, pending)


async def keep_pending(context: BotContext, token: str, pending: PendingUpload) -> None:
    """Store a new waiting preview with its file, so a restart keeps it (queued if the DB fails)."""
    source, preview = pending.preview.source, pending.preview
    row = PendingRow(token, pending.chat_id, pending.message_id, pending.user_id,
                     pending.added_by, source.name, source.data, preview.title, preview.unit,
                     preview.year, pending.replace, text=source.text, fmt=source.fmt,
                     removed_lines=source.removed_lines)
    await context.journal.record(partial(waiting_uploads.save, context.store, row))


async def keep_choices(context: BotContext, token: str, pending: PendingUpload) -> None:
    """Store a waiting preview's corrections and replace choice (the file is stored already)."""
    preview = pending.preview
    await context.journal.record(partial(waiting_uploads.revise, context.store, token,
                                         preview.title, preview.unit, preview.year,
                                         pending.replace))


async def restore_pending(bot_data: dict[Any, Any], store: Store) -> int:
    """Bring back the previews that waited for 确认 when the bot stopped; return how many."""
    try:
        rows = await waiting_uploads.waiting(store, datetime.now(UTC), MAX_PENDING)
    except (StoreError, sqlite3.Error) as exc:
        logger.warning("waiting uploads unavailable: %s", exc)
        return 0
    state = library_state(bot_data)
    # Confirms a crash cut off: finished after start (bot/confirming.py), never pressable again.
    interrupted: list[tuple[str, PendingUpload | Unfinishable]] = []
    bot_data[INTERRUPTED] = interrupted
    for row in rows:
        if row.confirmed and row.confirm_attempts >= confirming.MAX_ATTEMPTS:
            # Started twice, cut off twice: it may be what kills the bot. Say so, not again.
            logger.error("Confirm of upload %s (%s) cut off %d times; given up", row.token,
                         row.file_name, row.confirm_attempts)
            interrupted.append((row.token, Unfinishable(row.chat_id, row.message_id,
                                                        confirming.GIVEN_UP)))
            continue
        try:
            preview = await asyncio.to_thread(_rebuilt, row)
        except QAError as exc:  # the converter no longer takes it: its buttons will say 已失效
            logger.warning("dropping waiting upload %s (%s)", row.token, row.file_name)
            if row.confirmed:
                interrupted.append((row.token, Unfinishable(row.chat_id, row.message_id,
                                                            str(exc))))
            continue
        pending = PendingUpload(row.chat_id, row.user_id, row.added_by, preview,
                                row.message_id, row.replace_id)
        if row.confirmed:
            interrupted.append((row.token, pending))
        else:
            state.uploads[row.token] = pending
    return len(state.uploads) + len(interrupted)


def _rebuilt(row: PendingRow) -> Preview:
    """Rebuild a waiting preview from its stored text: a restart never converts again."""
    if row.text is None:  # kept before texts were stored: converted once more, in the worker
        return preview_isolated(row.data, row.file_name)
    source = Converted(row.file_name, row.fmt, row.text, row.data, row.removed_lines)
    return build_preview(source, row.title, row.unit, row.year)


class PreviewReply(filters.MessageFilter):
    """Text that replies to a pending upload preview (a correction such as 标题：…)."""

    def __init__(self, bot_data: dict[Any, Any]) -> None:
        super().__init__(name="PreviewReply")
        self.bot_data = bot_data

    def filter(self, message: Message) -> bool:
        """Tell whether the message replies to a preview that still waits for 确认."""
        replied = message.reply_to_message
        if replied is None or not message.text:
            return False
        state = library_state(self.bot_data)
        return state.upload_at(message.chat_id, replied.message_id) is not None


async def correct_preview(update: Update, context: BotContext) -> None:
    """Apply 标题：/单位：/年份： lines replied to a preview and edit the preview in place."""
    message = update.effective_message
    if message is None or message.reply_to_message is None or not message.text:
        return
    found = library_state(context.bot_data).upload_at(
        message.chat_id, message.reply_to_message.message_id)
    if found is None:
        return
    token, pending = found
    if message.from_user is None or message.from_user.id != pending.user_id:
        await reply(message, rl.NOT_YOURS)
        return
    try:
        pending.preview = await asyncio.to_thread(apply_corrections, pending.preview, message.text)
    except BadCorrectionError as exc:
        await reply(message, render_error(str(exc)))
        return
    pending.replace = ""  # the unit or year may have changed: ask again on 确认
    text = rl.render_preview(pending.preview, "已按您的回复更正。")
    await confirming.edit(context, pending, text, rl.preview_keyboard(token))
    await keep_choices(context, token, pending)


async def on_library_button(update: Update, context: BotContext) -> None:
    """Dispatch 确认收录 / 替换 / 另存 / 取消 (L:…) and 确认删除 / 取消 (R:…)."""
    query = update.callback_query
    if query is None:
        return
    match = _BUTTON.match(query.data or "")
    if match is None or not isinstance(query.message, Message):
        await query.answer(rl.STALE)
        return
    if match["kind"] == "R":
        await on_removal_button(query, query.message, match["token"], match["action"], context)
    else:
        await on_upload_button(query, query.message, match["token"], match["action"], context)


async def on_upload_button(query: CallbackQuery, message: Message, token: str, action: str,
                           context: BotContext) -> None:
    """Confirm (asking about a same unit+year report first), replace, add as new, or cancel."""
    state = library_state(context.bot_data)
    pending = await pressed_pending(query, message, state.uploads, token, context)
    if pending is None:
        return
    if action == "ok" and await _ask_replace(query, state, token, pending, context):
        return
    del state.uploads[token]  # before any await: a double tap finds nothing to do
    if action == "no":
        await context.journal.record(partial(waiting_uploads.drop, context.store, token))
        await answer_press(query)
        await confirming.edit(context, pending, "已取消，没有收录任何报告。")
        return
    if action == "nw":
        pending.replace = ""
    # Durable from the press on: a restart finishes this confirm or says why it could not.
    await confirming.mark_confirmed(context, token, pending)
    await answer_press(query, "正在收录并更新索引…")
    try:
        await confirming.edit(context, pending, confirming.WORKING)
    except TelegramError as exc:  # the work goes on; its outcome edits the message again
        logger.warning("Could not show the confirm in progress (%s)", exc)
    await confirming.finish(context, token, pending)


async def _ask_replace(query: CallbackQuery, state: LibraryState, token: str,
                       pending: PendingUpload, context: BotContext) -> bool:
    """On 确认: if one stored report has the same unit and year, ask; return True if asked."""
    preview = pending.preview
    same = await asyncio.to_thread(library(context).find_same, preview.unit, preview.year)
    if len(same) != 1:
        return False  # none, or several (ambiguous): add as a new report
    pending.replace = same[0].report_id
    await keep_choices(context, token, pending)
    await answer_press(query)
    await confirming.edit(context, pending, rl.render_same_unit(preview, same[0]),
                rl.replace_keyboard(token))
    return True
