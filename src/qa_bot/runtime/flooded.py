"""Answers to a group asking faster than Telegram lets a bot post there: coalesced, not queued.

A group gets about 20 messages a minute (bot/pacing.py). Three quarters of a window's slots
(``INDIVIDUAL_SHARE``) carry single answers as usual; after that, while they are spent, each
further question is answered inside a coalesced message (the best passage and its
source, one item per question) sent as soon as the group has a slot again. The first
coalesced message of an episode tells the group, once, that it asks faster than Telegram
allows. So the group's answers never wait minutes in a queue, and its queue never holds a
running slot that another chat's answer needs.

Each deferred question keeps its update unfinished in the inbox until its coalesced message
is sent (a crash before that answers it again after the restart).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from functools import partial

from telegram import Bot, Message, ReplyParameters, Update
from telegram.error import TelegramError

from qa import Answer
from qa_bot.render import MAX_UNITS, answer_items, clip, echo, esc, source_line, utf16_len
from qa_bot.store.db import QueryEntry, Store

from .journal import Journal
from .pacing import ChatPace
from .send import with_retries

logger = logging.getLogger(__name__)
# The share of a group's window spent on single answers; the rest carries coalesced ones.
INDIVIDUAL_SHARE = 0.75
# After the first deferred question, wait this long for more to fill the same message.
GATHER_SECONDS = 1.0
# A group told it asks too fast is told again only after this long.
RETELL_SECONDS = 600.0
BRIEF_UNITS = 110
FLOOD_NOTICE = ("⚠️ 本群提问太快了：Telegram 只允许机器人在一个群里每分钟发送约 20 条消息。"
                "下面把其余问题合并回答，每题只列最相关的一段；要看完整回答，请稍后再问或私聊我。")
CONTINUED = "📋 合并回答（续）："
SKIPPED = "（提问太多，这个问题没有处理，请稍后再问）"


@dataclass(frozen=True, slots=True)
class Deferred:
    """A group question answered in a coalesced message (``answer`` None: not handled)."""

    update_id: int
    message: Message
    question: str
    answer: Answer | None
    entry: QueryEntry | None


def brief(answer: Answer | None) -> str:
    """Return one item's answer: the best passage, clipped, with its source."""
    if answer is None:
        return esc(SKIPPED)
    if answer.smalltalk:
        return esc(clip(answer.notice, BRIEF_UNITS))
    items = answer_items(answer)
    if not items:
        return "🤔 " + esc(clip(answer.notice or "报告中没有找到相关内容。", BRIEF_UNITS))
    quote = items[0]
    return f"{esc(clip(quote.text, BRIEF_UNITS))}\n——{source_line(quote.passage, 1)}"


def render_batch(items: list[Deferred], first: bool) -> tuple[str, int]:
    """Render as many items as fit in one message; return the text and how many it holds."""
    lines = [FLOOD_NOTICE if first else CONTINUED]
    count = 0
    for item in items:
        block = f"\n<b>{count + 1}. {echo(item.question)}</b>\n{brief(item.answer)}"
        if count and utf16_len("\n".join(lines) + block) > MAX_UNITS - 40:
            break
        lines.append(block)
        count += 1
    return "\n".join(lines), count


class FloodedChats:
    """The coalesced answers of each group over its pace, and the tasks that send them."""

    def __init__(self, pace: ChatPace, store: Store, journal: Journal) -> None:
        self.pace, self.store, self.journal = pace, store, journal
        self.bot: Bot | None = None  # set once the Application is built
        self._waiting: dict[int, list[Deferred]] = {}
        self._senders: dict[int, asyncio.Task[None]] = {}
        self._told: dict[int, float] = {}

    def should_defer(self, chat_id: int) -> bool:
        """Tell whether a group's next answer goes into a coalesced message."""
        if not self.pace.paced(chat_id):
            return False
        share = int(self.pace.limit * INDIVIDUAL_SHARE)
        return chat_id in self._waiting or self.pace.used(chat_id) >= share

    def defer(self, item: Deferred) -> None:
        """Queue an answer for the chat's next coalesced message."""
        chat_id = item.message.chat_id
        self._waiting.setdefault(chat_id, []).append(item)
        task = self._senders.get(chat_id)
        if task is None or task.done():
            self._senders[chat_id] = asyncio.get_running_loop().create_task(
                self._send_all(chat_id), name=f"coalesced-{chat_id}")

    async def overflow(self, update: object) -> None:
        """Take a question beyond the chat's backlog bound: it is listed, not answered."""
        message = update.effective_message if isinstance(update, Update) else None
        if message is None or not message.text or not isinstance(update, Update):
            logger.warning("Dropped an update of an overflowing chat: %s", update)
            return
        self.defer(Deferred(update.update_id, message, message.text, None, None))

    def close(self) -> None:
        """Stop sending at shutdown; the unsent questions stay unfinished in the inbox."""
        for task in self._senders.values():
            task.cancel()

    async def _send_all(self, chat_id: int) -> None:
        await asyncio.sleep(GATHER_SECONDS)
        while items := self._waiting.get(chat_id):
            await asyncio.sleep(self.pace.wait(chat_id))
            first = time.monotonic() - self._told.get(chat_id, -RETELL_SECONDS) >= RETELL_SECONDS
            text, count = render_batch(items, first)
            batch = items[:count]
            del items[:count]  # before the send: what is deferred meanwhile joins the next one
            try:
                await self._send(batch[0].message, text)
            except TelegramError as exc:  # refused for good: the log says which chat
                logger.error("Could not send coalesced answers to chat %d (%s)", chat_id, exc)
            if first:
                self._told[chat_id] = time.monotonic()
            for item in batch:
                await self.journal.record(partial(self._log, item))
        self._waiting.pop(chat_id, None)

    async def _send(self, first: Message, text: str) -> None:
        assert self.bot is not None
        bot = self.bot
        await with_retries(partial(bot.send_message, first.chat_id, text,
                                   reply_parameters=ReplyParameters(first.message_id)),
                           once=True)

    async def _log(self, item: Deferred) -> None:
        """Log the question (not linked: an edit must not rewrite a shared message), then mark
        its update done."""
        entry = item.entry
        if entry is not None:
            await self.store.log_query(
                chat_id=entry.chat_id, chat_type=entry.chat_type, user_id=entry.user_id,
                command=entry.command, question=entry.question, intent=entry.intent,
                found=entry.found, passage_ids=entry.passage_ids, latency_ms=entry.latency_ms)
        await self.store.mark_done(item.update_id)
