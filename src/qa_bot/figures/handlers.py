"""/compare, /figures and /export: the figures table in the chat (issue 11).

The FigureTable is built once per engine, in a thread, and dropped when a re-index swaps the
engine (bot/admin_files.swap_engine), so an uploaded report's figures count at once. Only what
needs every report waits for it (/compare across units, its metric list, /export): /figures reads
its one report, and one unit's years read that unit's reports (the whole table took 109 s at 10⁶
passages, ``bench/bench_ask.py --figures``).
"""

from __future__ import annotations

import asyncio
import io
import re
import weakref
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from telegram import CallbackQuery, InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import JobQueue

from qa import FigureTable, QAEngine, UnknownReportError, figures_store
from qa.figures import (
    Comparison,
    can_chart,
    extract_figures,
    figures_csv_parts,
    render_comparison_png,
    unit_trend,
)
from qa.language import library_names
from qa_bot.context import BotContext
from qa_bot.figures import render as rf
from qa_bot.library.handlers import FIGTABLE, find_report, reply
from qa_bot.render import clip
from qa_bot.runtime.send import with_retries

_PAGE = re.compile(r"^G:(?P<ref>[^:]{1,40}):(?P<page>\d{1,4})$")
EXPORT_NAME = "报告数字表.csv"
# Telegram's limit on a file a bot sends is 50 MB (Bot API, sendDocument), read as 10⁶ bytes
# and with room for the request's other fields; past it the upload fails.
MAX_UPLOAD_BYTES = 49_000_000
STALE = "按钮已失效，请重新发送命令。"
# A table nobody used for this long is let go: ≈ 300 MB at 10⁶ passages, of which the process
# gives back ≈ 180 MB (bench_ask --figures); the next figure command reads it back from the
# store (≈ 6 s at 10⁶).
TABLE_IDLE = timedelta(minutes=15)
IDLE_JOB = "figtable-idle"
# A table not ready this soon is being made (the first one of a 10⁶-passage library takes about
# a minute): the user is told, so that the wait does not read as a lost command.
NOTICE_AFTER = 3.0


async def figure_table(context: BotContext, message: Message | None = None) -> FigureTable:
    """Return the figures table of the current engine, built once (in a thread). Requests that
    come while it is built wait for that build: each used to start its own (≈ 70 s of CPU and
    ≈ 300 MB at 10⁶ passages, ``bench/bench_ask.py --figures``). A failed build is forgotten.
    Unchanged reports' figures are read from the library's store, not extracted again. A
    ``message`` waiting longer than ``NOTICE_AFTER`` is told that the table is being made."""
    engine = context.engine
    cached = context.bot_data.get(FIGTABLE)
    if cached is None or cached[0]() is not engine:
        store = figures_store(context.settings.reports_dir)
        build = asyncio.ensure_future(
            asyncio.to_thread(FigureTable.from_reports, engine.reports, store))
        ref: weakref.ref[QAEngine] = weakref.ref(engine)
        cached = context.bot_data[FIGTABLE] = (ref, build)
    # Shielded: one waiter cancelled (a stopping bot) does not cancel the others' build.
    waited = asyncio.shield(cached[1])
    try:
        if message is not None and not waited.done():
            done, _ = await asyncio.wait({waited}, timeout=NOTICE_AFTER)
            if not done:
                await reply(message, rf.render_table_building(len(engine.reports)))
        table: FigureTable = await waited
    except Exception:
        if context.bot_data.get(FIGTABLE) is cached:
            del context.bot_data[FIGTABLE]
        raise
    _keep_for_a_while(context, cached)
    return table


def _keep_for_a_while(context: BotContext, cached: object) -> None:
    """Let the table go once it has not been used for ``TABLE_IDLE``."""
    queue: JobQueue[Any] | None = context.application.job_queue
    if queue is None:  # PTB without its job-queue extra: kept until the library changes
        return
    for job in queue.get_jobs_by_name(IDLE_JOB):
        job.schedule_removal()
    queue.run_once(_let_go, TABLE_IDLE, data=cached, name=IDLE_JOB)


async def _let_go(context: BotContext) -> None:
    job = context.job
    if job is not None and context.bot_data.get(FIGTABLE) is job.data:
        del context.bot_data[FIGTABLE]


async def compare_command(update: Update, context: BotContext) -> None:
    """Compare a metric across reports; without one, offer the comparable metrics as buttons."""
    message = update.effective_message
    if message is None:
        return
    phrase = clip(" ".join(context.args or []).strip(), 40, "")
    if not phrase:
        metrics = (await figure_table(context, message)).metrics(min_reports=2)
        await reply(message, rf.render_metrics(metrics), reply_markup=rf.metrics_keyboard(metrics))
        return
    engine = context.engine  # issue 19: 「/compare 发展党员 县直机关工委」 is one unit by year
    names = library_names(engine.reports, engine.language.unit_aliases)
    by_year = await asyncio.to_thread(unit_trend, phrase, engine.reports, names)
    await send_comparison(message, context, phrase, by_year)


async def send_comparison(message: Message, context: BotContext, phrase: str,
                          comparison: Comparison | None = None) -> None:
    """Send the sorted table; with two numbers or more, a bar chart with the table as caption."""
    comparison = comparison or (await figure_table(context, message)).compare(phrase)
    if not can_chart(comparison):
        await reply(message, rf.render_comparison(comparison))
        return
    png = await asyncio.to_thread(render_comparison_png, comparison)
    caption, whole = rf.render_caption(comparison)
    photo = InputFile(png, filename="compare.png")
    await with_retries(lambda: message.reply_photo(photo, caption=caption), once=True)
    if not whole:
        await reply(message, rf.render_comparison(comparison))


async def figures_command(update: Update, context: BotContext) -> None:
    """Show a report's figures grouped by section, page 1 (buttons page in place)."""
    message = update.effective_message
    if message is None:
        return
    ref = clip(" ".join(context.args or []).strip(), 64, "")
    if not ref:
        await reply(message, "用法：/figures 编号，例如 /figures 000（/reports 查看编号）")
        return
    report = await find_report(message, context, ref)
    if report is None:
        return
    pages = rf.figures_pages(report, await asyncio.to_thread(extract_figures, report))
    await reply(message, pages[0].text, reply_markup=rf.figures_keyboard(report, pages[0]))


async def export_command(update: Update, context: BotContext) -> None:
    """Send the whole figures table, with citations, as a CSV file (open to everyone)."""
    message = update.effective_message
    if message is None:
        return
    table = await figure_table(context, message)
    data, name = await asyncio.to_thread(export_file, table)
    if len(data) > MAX_UPLOAD_BYTES:
        await reply(message, rf.render_export_too_large(len(table.figures), len(data) / 2**20))
        return
    document = InputFile(data, filename=name)
    caption = rf.render_export_caption(len(table.figures), len(table.reports),
                                       zipped=name != EXPORT_NAME)
    await with_retries(lambda: message.reply_document(document, caption=caption), once=True)


def export_file(table: FigureTable) -> tuple[bytes, str]:
    """Return the figures CSV and its file name, zipped when Telegram would refuse it as it is
    (a CSV grows ≈ 400 bytes a figure: 21 MB at 10⁵ passages, ≈ 210 MB at 10⁶; zipped ≈ 8×
    smaller). The CSV is made in parts: past the limit they go straight into the ZIP, so the
    whole CSV is never held (≈ 450 MB at 10⁶ when it was, as text and as bytes)."""
    held = io.BytesIO()
    # A byte-order mark, or Excel (the staff's tool) reads UTF-8 as the local code page.
    held.write("\ufeff".encode())
    parts = (part.encode("utf-8") for part in figures_csv_parts(table.figures))
    for part in parts:
        held.write(part)
        if held.tell() > MAX_UPLOAD_BYTES:
            return _zipped(held, parts), EXPORT_NAME.removesuffix(".csv") + ".zip"
    return held.getvalue(), EXPORT_NAME


def _zipped(start: io.BytesIO, rest: Iterator[bytes]) -> bytes:
    """Return a ZIP of one CSV member: the bytes held so far, then the rest as it comes."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(EXPORT_NAME, "w", force_zip64=True) as member:
        with start.getbuffer() as view:
            member.write(view)
        start.close()  # only the ZIP is kept from here on
        for part in rest:
            member.write(part)
    return packed.getvalue()


async def on_figures_button(update: Update, context: BotContext) -> None:
    """Answer C:<metric> (compare it) and G:<report>:<page> (page a report's figures)."""
    query = update.callback_query
    if query is None:
        return
    data = query.data or ""
    if not isinstance(query.message, Message):
        await query.answer(STALE)
        return
    if data.startswith("C:") and len(data) > 2:
        await query.answer()
        await send_comparison(query.message, context, data[2:])
        return
    await show_figures_page(query, query.message, data, context)


async def show_figures_page(query: CallbackQuery, message: Message, data: str,
                            context: BotContext) -> None:
    """Edit a /figures message in place to show another page."""
    match = _PAGE.match(data)
    try:
        report = context.engine.report(match["ref"]) if match else None
    except UnknownReportError:
        report = None
    if match is None or report is None:
        await query.answer(STALE)
        return
    pages = rf.figures_pages(report, await asyncio.to_thread(extract_figures, report))
    number = int(match["page"])
    if number >= len(pages):
        await query.answer(STALE)
        return
    await query.answer()
    page = pages[number]
    try:
        await with_retries(lambda: message.edit_text(
            page.text, reply_markup=rf.figures_keyboard(report, page)))
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise
