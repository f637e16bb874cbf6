"""The weekly digest: last week in numbers and the open gaps, sent to each admin (JobQueue)."""

from __future__ import annotations

import logging
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import Application, Job

from qa_bot.config import Settings
from qa_bot.context import SETTINGS, BotContext
from qa_bot.runtime.send import with_retries
from qa_bot.store.insight import usage_stats

from .handlers import current_gaps, digest_on, now_local
from .render import gaps_keyboard, render_digest

logger = logging.getLogger(__name__)
DIGEST_JOB = "weekly-digest"


def schedule_digest(application: Application[Any, Any, Any, Any, Any, Any]) -> Job[Any] | None:
    """Run send_digest weekly (day, hour, zone from settings); None without admins."""
    settings: Settings = application.bot_data[SETTINGS]
    if not settings.admin_ids:
        return None
    if application.job_queue is None:  # PTB without its job-queue extra
        logger.warning("No JobQueue: the weekly digest is off (install python-telegram-bot"
                       "[job-queue])")
        return None
    at = time(settings.digest_hour, tzinfo=ZoneInfo(settings.digest_tz))
    # PTB numbers days 0 = Sunday … 6 = Saturday; the setting is ISO (1 = Monday … 7 = Sunday).
    return application.job_queue.run_daily(send_digest, at, days=(settings.digest_weekday % 7,),
                                           name=DIGEST_JOB)


async def send_digest(context: BotContext) -> None:
    """Send the digest to each admin who has not turned it off."""
    now = now_local(context)
    engine = context.engine
    stats = await usage_stats(context.store, lambda q: engine.understand(q).terms, 7, now,
                              ZoneInfo(context.settings.digest_tz))
    gaps = await current_gaps(context)
    text = render_digest(stats, gaps)
    for admin_id in sorted(context.settings.admin_ids):
        if not await digest_on(context, admin_id):
            continue
        try:
            await _send(context, admin_id, text, gaps_keyboard(gaps, 0, True))
        except TelegramError as exc:
            # An admin who never opened a private chat with the bot cannot be messaged.
            logger.warning("Digest not delivered to admin %s: %s", admin_id, exc)


async def _send(context: BotContext, chat_id: int, text: str, markup: InlineKeyboardMarkup
                ) -> None:
    await with_retries(lambda: context.bot.send_message(chat_id, text, reply_markup=markup),
                       once=True)
