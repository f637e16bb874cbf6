"""The reports library from the chat: who may change it, the one re-index lock, /reports, /report,
/remove and /reload.

Every change of the corpus runs under one ``asyncio.Lock``: write the folder (qa.library) and
build the next engine from the *current* one (qa.reindex) in a thread, then swap
``bot_data[ENGINE]`` in one assignment. Questions keep using the old engine until then.
Upload previews waiting for 确认 are also kept in the store (``qa.pending``), so a restart
keeps them; removal confirmations live in memory only (a restart drops them, and their buttons
then answer "按钮已失效"). Nothing is written to the reports folder before 确认.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import CallbackQuery, Message, Update, User
from telegram.error import BadRequest

from qa import QAEngine, Report, UnknownReportError
from qa.errors import QAError
from qa.figures import unit_reports as trend_unit_reports
from qa.language import library_names
from qa.library import Library, LibraryEntry, Preview
from qa.reindex import engine_with
from qa_bot.context import ENGINE, BotContext
from qa_bot.keyboards import outline_keyboard
from qa_bot.library import render as rl
from qa_bot.render import clip, clip_html_lines, render_error, render_outline
from qa_bot.runtime.degraded import reload_tolerant
from qa_bot.runtime.send import with_retries

logger = logging.getLogger(__name__)
LIBRARY = "library"  # bot_data key of the LibraryState
FIGTABLE = "figtable"  # bot_data key of the figures table cache (bot/figures_bot.py)
MAX_PENDING = 200  # unconfirmed previews kept; the oldest is forgotten first
_YEAR = re.compile(r"^((?:19|20)\d{2})(?:年度?)?$")


@dataclass
class PendingUpload:
    """A preview waiting for 确认收录, bound to its chat, message and uploader."""

    chat_id: int
    user_id: int
    added_by: str
    preview: Preview
    message_id: int = 0  # known once the preview is sent
    replace: str = ""


@dataclass
class PendingRemoval:
    """A /remove waiting for 确认删除, bound to its chat, message and admin."""

    chat_id: int
    user_id: int
    removed_by: str
    entry: LibraryEntry
    message_id: int = 0


# A step waiting for a button: an upload's preview or a /remove.
Pending = TypeVar("Pending", PendingUpload, PendingRemoval)


@dataclass
class LibraryState:
    """The re-index lock and what waits for a button (uploads are restored at start)."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    uploads: OrderedDict[str, PendingUpload] = field(default_factory=OrderedDict)
    removals: OrderedDict[str, PendingRemoval] = field(default_factory=OrderedDict)

    def hold(self, table: OrderedDict[str, Any], item: Any) -> str:
        """Keep an item under a fresh random token (short: it goes into callback data)."""
        token = secrets.token_urlsafe(9)
        table[token] = item
        while len(table) > MAX_PENDING:
            table.popitem(last=False)
        return token

    def upload_at(self, chat_id: int, message_id: int) -> tuple[str, PendingUpload] | None:
        """Return the pending preview shown in a message, if any."""
        for token, item in self.uploads.items():
            if (item.chat_id, item.message_id) == (chat_id, message_id):
                return token, item
        return None


def library_state(bot_data: dict[Any, Any]) -> LibraryState:
    """Return the bot's LibraryState (created on first use)."""
    state = bot_data.get(LIBRARY)
    if state is None:
        state = bot_data[LIBRARY] = LibraryState()
    assert isinstance(state, LibraryState)
    return state


def is_admin(context: BotContext, user_id: int | None) -> bool:
    """Tell whether a user is in QA_ADMIN_IDS (the only people who may change the corpus)."""
    return user_id is not None and user_id in context.settings.admin_ids


def who(user: User | None) -> str:
    """Return how the audit names a user: full name and Telegram id."""
    if user is None:
        return "未知"
    return f"{user.full_name} ({user.id})"


def library(context: BotContext) -> Library:
    """Return the reports folder the engine was loaded from."""
    return Library(context.settings.reports_dir)


def swap_engine(context: BotContext, engine: QAEngine) -> None:
    """Put a new engine in service in one step; the figures table follows it."""
    context.bot_data[ENGINE] = engine
    context.bot_data.pop(FIGTABLE, None)


async def add_to_corpus(context: BotContext, pending: PendingUpload) -> LibraryEntry:
    """Store a confirmed upload, then re-index from the current engine (one change at a time)."""
    folder = library(context)
    async with library_state(context.bot_data).lock:
        entry = await asyncio.to_thread(folder.add, pending.preview, pending.added_by,
                                        pending.replace)
        report = await asyncio.to_thread(folder.read, entry.report_id)
        removed = [pending.replace] if pending.replace else []
        engine = await asyncio.to_thread(engine_with, context.engine, [report], removed)
        swap_engine(context, engine)
    logger.info("Report %s added by %s", entry.report_id, pending.added_by)
    return entry


async def remove_from_corpus(context: BotContext, pending: PendingRemoval) -> LibraryEntry:
    """Move a report to removed/ and re-index; refuse to remove the last report."""
    report_id = pending.entry.report_id
    async with library_state(context.bot_data).lock:
        if not [r for r in context.engine.reports if r.report_id != report_id]:
            raise QAError("这是最后一份报告，不能删除（至少要保留一份）")
        entry = await asyncio.to_thread(library(context).remove, report_id, pending.removed_by)
        engine = await asyncio.to_thread(engine_with, context.engine, (), [report_id])
        swap_engine(context, engine)
    logger.info("Report %s removed by %s", report_id, pending.removed_by)
    return entry


# -- commands --------------------------------------------------------------------------------


async def reply(message: Message, text: str, **kwargs: Any) -> Message:
    """Send a new reply once (never twice: Telegram may already show it)."""
    return await with_retries(lambda: message.reply_text(text, **kwargs), once=True)


async def reports_command(update: Update, context: BotContext) -> None:
    """List the reports with unit, year, passages and audit; ``/reports 2023`` filters."""
    message = update.effective_message
    if message is None:
        return
    arg = " ".join(context.args or []).strip()
    match = _YEAR.match(arg)
    year = match.group(1) if match else ""
    reports = [r for r in context.engine.reports if not arg or r.year == year
               or (not year and arg in r.unit)]
    entries = await asyncio.to_thread(_entries, context)
    heading = rl.reports_heading(len(reports), year, "" if year else arg)
    await reply(message, rl.render_report_list(reports, entries, heading))


def _entries(context: BotContext) -> dict[str, LibraryEntry]:
    try:
        return {e.report_id: e for e in library(context).entries()}
    except QAError:  # a broken reports.toml: list without the audit rather than fail
        logger.warning("Could not read the library's manifest", exc_info=True)
        return {}


def unit_reports(reports: Sequence[Report], ref: str, aliases: Sequence[tuple[str, str]] = ()
                 ) -> list[Report]:
    """Return the reports of a unit: its exact name, else the units that contain it, else the
    unit any learned name means (「3支部」, 「宜东支部」, 「上海」; qa/unitnames.py)."""
    exact = [r for r in reports if r.unit and r.unit == ref]
    contained = [r for r in reports if r.unit and len(ref) >= 2 and ref in r.unit]
    return exact or contained or named_unit_reports(reports, ref, aliases)


def named_unit_reports(reports: Sequence[Report], ref: str,
                       aliases: Sequence[tuple[str, str]]) -> list[Report]:
    """Return the reports of the one unit a learned name means, or nothing."""
    _, own = trend_unit_reports(reports, library_names(reports, aliases), ref)
    return own


async def report_command(update: Update, context: BotContext) -> None:
    """Show a report's outline (``/report 000``) or list a unit's reports (``/report 工委``)."""
    message = update.effective_message
    if message is None:
        return
    ref = clip(" ".join(context.args or []).strip(), 64)
    engine = context.engine
    of_unit = (unit_reports(engine.reports, ref, engine.language.unit_aliases)
               if not ref.isdigit() else [])
    if of_unit:
        entries = await asyncio.to_thread(_entries, context)
        heading = rl.reports_heading(len(of_unit), unit=ref)
        await reply(message, rl.render_report_list(of_unit, entries, heading))
        return
    report = await find_report(message, context, ref)
    if report is not None:
        await reply(message, render_outline(report), reply_markup=outline_keyboard(report))


async def find_report(message: Message, context: BotContext, ref: str) -> Report | None:
    """Return the report a user named by number, or tell them it does not exist."""
    try:
        return context.engine.report(ref)
    except UnknownReportError as exc:
        await reply(message, render_error(str(exc)))
        return None


async def remove_command(update: Update, context: BotContext) -> None:
    """Ask an admin to confirm ``/remove 编号``; the files move to removed/ on 确认."""
    message = update.effective_message
    if message is None:
        return
    user = message.from_user
    if not is_admin(context, user.id if user else None):
        await reply(message, rl.ADMINS_ONLY)
        return
    ref = clip(" ".join(context.args or []).strip(), 64)
    try:
        entry = await asyncio.to_thread(library(context).entry, ref) if ref else None
    except UnknownReportError as exc:
        await reply(message, render_error(str(exc)))
        return
    if entry is None:
        await reply(message, "用法：/remove 编号，例如 /remove 005（/reports 查看编号）")
        return
    state = library_state(context.bot_data)
    pending = PendingRemoval(message.chat_id, user.id if user else 0, who(user), entry)
    token = state.hold(state.removals, pending)
    sent = await reply(message, rl.render_confirm_removal(entry),
                       reply_markup=rl.removal_keyboard(token))
    pending.message_id = sent.message_id


async def admin_message(update: Update, context: BotContext) -> Message | None:
    """Return the message of an admin's command; anyone else is told it is for admins."""
    message = update.effective_message
    if message is None:
        return None
    if not is_admin(context, message.from_user.id if message.from_user else None):
        await reply(message, rl.ADMINS_ONLY)
        return None
    return message


async def reload_command(update: Update, context: BotContext) -> None:
    """Pick up report files an admin dropped into the folder, without a restart."""
    message = await admin_message(update, context)
    if message is None:
        return
    folder = context.settings.reports_dir
    notes: list[str] = []
    async with library_state(context.bot_data).lock:
        old = context.engine
        try:
            await asyncio.to_thread(library(context).recover)
        except QAError as exc:  # a read-only folder, a bad reports.toml: read what is there
            logger.error("Reload: could not tidy the reports folder (%s)", exc)
            notes.append(f"⚠️ {render_error(str(exc))}")
        try:
            engine, problems = await asyncio.to_thread(
                reload_tolerant, old, folder)
        except QAError as exc:
            logger.error("Reload failed (%s); the old reports stay in service", exc)
            await reply(message, render_error(
                f"重新载入失败：{exc}。继续使用原来的 {len(old.reports)} 份报告。"))
            return
        swap_engine(context, engine)
    notes += [f"⚠️ {render_error(p)}" for p in problems]
    before = {r.report_id for r in old.reports}
    added = [r for r in engine.reports if r.report_id not in before]
    removed = sorted(before - {r.report_id for r in engine.reports})
    text = rl.render_reloaded(added, removed, len(engine.reports), engine.skipped)
    await reply(message, clip_html_lines([*notes, *text.split("\n")]) if notes else text)


async def answer_press(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press; a press replayed after a restart is too old to answer, which
    must not stop the work it asked for."""
    try:
        await with_retries(lambda: query.answer(text))
    except BadRequest as exc:
        logger.info("Could not answer a button press (%s)", exc)


async def pressed_pending(query: CallbackQuery, message: Message, table: Mapping[str, Pending],
                          token: str, context: BotContext) -> Pending | None:
    """Return the pending step a press may act on: it exists, on this very message, and the
    admin who started it pressed. Otherwise answer the press with why not and return None."""
    pending = table.get(token)
    if pending is None or (pending.chat_id, pending.message_id) != (
            message.chat_id, message.message_id):
        await answer_press(query, rl.STALE)
        return None
    if query.from_user.id != pending.user_id or not is_admin(context, query.from_user.id):
        await answer_press(query, rl.NOT_YOURS)
        return None
    return pending


async def on_removal_button(query: CallbackQuery, message: Message, token: str, action: str,
                            context: BotContext) -> None:
    """Carry out or cancel a /remove from its bound confirmation message."""
    state = library_state(context.bot_data)
    pending = await pressed_pending(query, message, state.removals, token, context)
    if pending is None:
        return
    del state.removals[token]  # before any await: a double tap finds nothing to do
    if action != "ok":
        await query.answer()
        await with_retries(lambda: message.edit_text("已取消，没有删除任何报告。"))
        return
    await query.answer("正在删除并更新索引…")
    try:
        entry = await remove_from_corpus(context, pending)
    except QAError as exc:
        failed = render_error(str(exc))
        await with_retries(lambda: message.edit_text(failed))
        return
    text = rl.render_removed(entry, len(context.engine.reports))
    await with_retries(lambda: message.edit_text(text))
