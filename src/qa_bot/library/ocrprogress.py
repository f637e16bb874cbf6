"""Show how far a long conversion has come (OCR of a scan) in one chat message, edited in place.

The converter runs in a worker thread (asyncio.to_thread) and calls back from there after each
page; the calls are handed to the event loop, which sends the first line and edits it after.
Other users' questions are answered meanwhile: the loop only relays the callbacks.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future

from telegram import Message
from telegram.error import TelegramError

from qa_bot.runtime.send import with_retries

from .handlers import reply

logger = logging.getLogger(__name__)


def progress_text(done: int, total: int) -> str:
    """Word the progress of a scan being read: 正在识别扫描件：第 3/10 页……"""
    if done >= total:
        return f"✅ 扫描件识别完成，共 {total} 页，正在生成预览……"
    return f"⏳ 正在识别扫描件（共 {total} 页），已完成 {done} 页……"


class ChatProgress:
    """Relay a converter's (pages done, pages in all) to one message in the uploader's chat."""

    def __init__(self, message: Message, loop: asyncio.AbstractEventLoop) -> None:
        self.message = message
        self.loop = loop
        self.shown: Message | None = None
        self.lock = asyncio.Lock()
        self.pending: list[Future[None]] = []

    def __call__(self, done: int, total: int) -> None:
        """Called from the worker thread: queue the update on the event loop."""
        self.pending.append(asyncio.run_coroutine_threadsafe(self._show(done, total), self.loop))

    async def _show(self, done: int, total: int) -> None:
        text = progress_text(done, total)
        async with self.lock:  # in order: the first call sends, the later ones edit
            try:
                if self.shown is None:
                    self.shown = await reply(self.message, text)
                else:
                    shown = self.shown
                    await with_retries(lambda: shown.edit_text(text))
            except TelegramError as exc:  # progress is a courtesy: never fail the upload
                logger.warning("progress message not shown: %s", exc)

    async def settle(self) -> None:
        """Wait until every queued update is shown, so the preview comes after them."""
        for future in self.pending:
            await asyncio.wrap_future(future)
