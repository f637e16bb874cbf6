"""Updates set aside because their handling crashed the bot twice: tell senders and admins.

bot/inbox.py decides what is quarantined (at start-up, from the attempt counts in the store);
this module says so: one line to each sender, at start, and a section in /stats.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from telegram import Bot, ReplyParameters, Update
from telegram.error import TelegramError

from qa_bot.admin.render import chat_label
from qa_bot.render import clip, esc
from qa_bot.store.db import Store

from .send import with_retries

logger = logging.getLogger(__name__)
SKIPPED_FILE = "这个文件处理失败，已跳过；请检查文件后重试。"
SKIPPED_MESSAGE = "这条消息处理失败，已跳过；请换个说法或稍后重试。"
SKIPPED_BUTTON = "刚才的按钮操作处理失败，已跳过；请稍后重试。"
SHOWN_IN_STATS = 5


def sender_notice(update: Update) -> tuple[int, int | None, str] | None:
    """Return (chat, message to reply to, line) telling the sender, or None (inline query)."""
    message = update.effective_message
    if update.callback_query is not None:
        if message is None:
            return None  # a button under an inline message: no chat to write to
        return message.chat_id, None, SKIPPED_BUTTON
    if message is None:
        return None
    line = SKIPPED_FILE if message.document is not None else SKIPPED_MESSAGE
    return message.chat_id, message.message_id, line


async def tell_senders(bot: Bot, updates: Sequence[Update]) -> None:
    """Tell each sender of a quarantined update, once, in one line (best effort)."""
    for update in updates:
        notice = sender_notice(update)
        if notice is None:
            continue
        chat_id, reply_to, line = notice
        reply = ReplyParameters(reply_to) if reply_to is not None else None
        try:
            await with_retries(partial(bot.send_message, chat_id, line, reply_parameters=reply),
                               once=True)
        except TelegramError as exc:
            logger.warning("Could not tell chat %d that update %d was skipped (%s)",
                           chat_id, update.update_id, exc)


def start_telling(bot: Bot, updates: Sequence[Update]) -> asyncio.Task[None] | None:
    """Tell the senders in the background, so start-up never waits for Telegram."""
    if not updates:
        return None
    return asyncio.get_running_loop().create_task(tell_senders(bot, list(updates)),
                                                  name="quarantine-notices")


def describe(payload: str) -> str:
    """Return what a quarantined update was, for the admins: where, and which file or text."""
    data = json.loads(payload)
    message = data.get("message") or data.get("edited_message")
    if message is None:
        query = data.get("callback_query") or {}
        chat = (query.get("message") or {}).get("chat") or {}
        where = chat_label(int(chat.get("id", 0)), str(chat.get("type", "")),
                           str(chat.get("title", ""))) if chat else "内联查询"
        return f"{where} 的按钮" if chat else where
    chat = message.get("chat") or {}
    where = chat_label(int(chat.get("id", 0)), str(chat.get("type", "")),
                       str(chat.get("title", "")))
    document = message.get("document")
    if document is not None:
        return f"{where} 的文件《{clip(str(document.get('file_name') or '未命名文件'), 40)}》"
    return f"{where} 的消息「{clip(str(message.get('text') or ''), 20)}」"


async def stats_lines(store: Store, now: datetime, days: int) -> list[str]:
    """Return the /stats section on skipped updates (empty when there were none)."""
    rows = await store.quarantined(now - timedelta(days=days))
    if not rows:
        return []
    lines = ["", f"<b>⚠️ 已跳过 {len(rows)} 条导致机器人崩溃的消息</b>（发送者已收到提示）"]
    for at, payload in rows[:SHOWN_IN_STATS]:
        when = datetime.fromisoformat(at).astimezone(now.tzinfo).strftime("%m-%d %H:%M")
        lines.append(f"{when} {esc(describe(payload))}")
    return lines
