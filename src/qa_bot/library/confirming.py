"""确认收录 as a durable step: recorded when pressed, finished or explained after any crash.

The press is written to the waiting upload's row (``qa.pending.confirm``) before any work;
the row is dropped only once the outcome is on screen. A restart finds confirmed rows and
finishes them: a report already stored from the same text is not stored again
(``Library.stored_text``), anything else is stored now. Every 「⏳」 ends in ✅ or a reason:
the report stored but the index not updated (a full disk), the folder not writable, a file
the converter no longer takes — never the generic apology, never silence.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import dataclass
from functools import partial
from typing import Any

from telegram.error import BadRequest, TelegramError

from qa.errors import QAError
from qa.library import LibraryEntry
from qa.reindex import engine_with
from qa_bot.context import BotContext
from qa_bot.render import render_error
from qa_bot.runtime.send import with_retries
from qa_bot.store import pending as waiting_uploads
from qa_bot.store.db import StoreError

from . import render as rl
from .handlers import PendingUpload, library, library_state, swap_engine

logger = logging.getLogger(__name__)
WORKING = "⏳ 正在收录并更新索引……"
INTERRUPTED = "interrupted_confirms"  # bot_data: confirms a restart cut off, to finish
# Starts of one confirm (the press, then each restart) before it is given up.
MAX_ATTEMPTS = 2
GIVEN_UP = "收录过程两次使机器人中断，已放弃（可用 /reports 查看是否已收录）"


async def mark_confirmed(context: BotContext, token: str, pending: PendingUpload) -> None:
    """Record the press durably; a failing database costs only the restart's safety net."""
    try:
        await waiting_uploads.confirm(context.store, token, pending.replace)
    except (sqlite3.Error, StoreError) as exc:
        logger.warning("Could not record the confirm of upload %s (%s)", token, exc)


@dataclass(frozen=True, slots=True)
class Stored:
    """A confirm's outcome: the entry, same unit/year reports kept beside it, index trouble."""

    entry: LibraryEntry
    alongside: tuple[str, ...] = ()
    index_problem: str = ""


async def store_once(context: BotContext, pending: PendingUpload) -> Stored:
    """Store the upload unless its text is stored already, then index it if the engine lacks
    it; return the entry and what went wrong with the index ("" if nothing)."""
    folder = library(context)
    preview = pending.preview
    alongside: tuple[str, ...] = ()
    async with library_state(context.bot_data).lock:
        entry = await asyncio.to_thread(folder.stored_text, preview.source.text)
        if entry is None:
            if not pending.replace:  # issue 19: a unit/year clash adds alongside, says so
                same = await asyncio.to_thread(folder.find_same, preview.unit, preview.year)
                alongside = tuple(e.report_id for e in same)
            entry = await asyncio.to_thread(folder.add, preview, pending.added_by,
                                            pending.replace)
            logger.info("Report %s added by %s", entry.report_id, pending.added_by)
        if any(r.report_id == entry.report_id for r in context.engine.reports):
            return Stored(entry, alongside)
        try:
            report = await asyncio.to_thread(folder.read, entry.report_id)
            removed = [pending.replace] if pending.replace else []
            engine = await asyncio.to_thread(engine_with, context.engine, [report], removed)
        except (QAError, OSError) as exc:
            logger.error("Report %s stored but not indexed (%s)", entry.report_id, exc)
            return Stored(entry, alongside, getattr(exc, "strerror", None) or str(exc))
        swap_engine(context, engine)
    return Stored(entry, alongside)


def outcome(stored: Stored, replaced: str, reports: int) -> str:
    """Render the end of a confirm: ✅, or ✅ stored with the index problem and what to do."""
    text = rl.render_added(stored.entry, replaced, reports, stored.alongside)
    if stored.index_problem:
        problem = render_error(stored.index_problem)
        text = text.split("，现在共")[0] + (
            f"，但更新索引失败（{problem}），暂时还不能回答其中的内容；"
            "请检查磁盘空间后发送 /reload。")
    return text


async def finish(context: BotContext, token: str, pending: PendingUpload) -> None:
    """Carry out a recorded confirm and show how it ended; drop its row only then."""
    try:
        stored = await store_once(context, pending)
        text = outcome(stored, pending.replace, len(context.engine.reports))
    except QAError as exc:  # nothing was stored: the folder refused (read-only, full, bad toml)
        text = render_error(f"收录失败：{exc}。没有收录这份报告，请处理后重新发送文件。")
    except Exception as exc:  # an ⏳ must never stay: say what failed, the log has the rest
        logger.exception("Confirm of upload %s failed", token)
        text = render_error(f"收录时出错（{type(exc).__name__}）：请用 /reports 查看是否已收录。")
    await edit(context, pending, text)
    await context.journal.record(partial(waiting_uploads.drop, context.store, token))


async def edit(context: BotContext, pending: PendingUpload, text: str, markup: Any = None
               ) -> None:
    """Edit the preview message; an unchanged text (shown before a restart) is fine."""
    try:
        await with_retries(lambda: context.bot.edit_message_text(
            text, chat_id=pending.chat_id, message_id=pending.message_id, reply_markup=markup))
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


@dataclass(frozen=True, slots=True)
class Unfinishable:
    """A recorded confirm whose upload can no longer be rebuilt after a restart."""

    chat_id: int
    message_id: int
    reason: str


async def finish_interrupted(context: BotContext,
                             confirmed: list[tuple[str, PendingUpload | Unfinishable]]) -> None:
    """Finish the confirms a restart cut off, or tell the admin why one cannot be."""
    for token, item in confirmed:
        try:
            if isinstance(item, PendingUpload):
                await _count_retry(context, token)
                await finish(context, token, item)
                continue
            text = render_error(f"收录未完成：{item.reason}。请检查文件后重新发送。")
            await with_retries(partial(context.bot.edit_message_text, text,
                                       chat_id=item.chat_id, message_id=item.message_id))
            await context.journal.record(partial(waiting_uploads.drop, context.store, token))
        except TelegramError as exc:
            logger.warning("Could not report the outcome of confirm %s (%s)", token, exc)


async def _count_retry(context: BotContext, token: str) -> None:
    try:
        await waiting_uploads.retry(context.store, token)
    except (sqlite3.Error, StoreError) as exc:
        logger.warning("Could not count the retry of confirm %s (%s)", token, exc)


def start_finishing(application: Any) -> asyncio.Task[None] | None:
    """Finish the interrupted confirms in the background, once the bot can edit messages."""
    confirmed = application.bot_data.pop(INTERRUPTED, [])
    if not confirmed:
        return None
    return asyncio.get_running_loop().create_task(
        finish_interrupted(BotContext(application), confirmed), name="interrupted-confirms")
