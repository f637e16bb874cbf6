"""Writes that follow a sent answer (log row, inbox mark): tried at once, queued if the DB fails.

The answer is already on its way when these run, so a locked or full database must cost
nothing but a delay: a failed write waits in memory, in order, and is retried in the
background until it lands. An outage is logged once when it starts and once when it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections import deque
from collections.abc import Awaitable, Callable

from qa_bot.store.db import StoreError

logger = logging.getLogger(__name__)
Write = Callable[[], Awaitable[None]]
RETRY_SECONDS = 1.0
# About a day of a busy bot's answers; beyond it the oldest queued log rows are dropped.
MAX_QUEUED = 50_000


class Journal:
    """One queue of post-answer database writes, kept in order."""

    def __init__(self, retry_seconds: float = RETRY_SECONDS) -> None:
        self.retry_seconds = retry_seconds
        self._queue: deque[Write] = deque()
        self._retrying: asyncio.Task[None] | None = None
        self._dropped = 0

    @property
    def backlog(self) -> int:
        """Return how many writes wait for the database."""
        return len(self._queue)

    async def record(self, write: Write) -> bool:
        """Run the write now if nothing waits; return False if it was queued instead."""
        if not self._queue:
            try:
                await write()
                return True
            except (sqlite3.Error, StoreError) as exc:
                logger.warning("Database write failed (%s); answers continue, writes are "
                               "queued and retried", exc)
        self._enqueue(write)
        return False

    def _enqueue(self, write: Write) -> None:
        if len(self._queue) >= MAX_QUEUED:
            self._queue.popleft()
            self._dropped += 1
        self._queue.append(write)
        if self._retrying is None or self._retrying.done():
            self._retrying = asyncio.create_task(self._retry(), name="journal-retry")

    async def flush(self) -> bool:
        """Try the queued writes in order once; return True when none is left."""
        while self._queue:
            try:
                await self._queue[0]()
            except (sqlite3.Error, StoreError):
                return False
            self._queue.popleft()
        return True

    async def _retry(self) -> None:
        while True:
            await asyncio.sleep(self.retry_seconds)
            if await self.flush():
                logger.warning("Database writable again; queued writes saved%s",
                               f" ({self._dropped} dropped)" if self._dropped else "")
                return

    async def close(self) -> None:
        """Stop retrying and try what is left one last time; log what could not be saved."""
        if self._retrying is not None:
            self._retrying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retrying
        if not await self.flush():
            logger.error("Database still failing at shutdown; %d queued writes lost",
                         len(self._queue))
            self._queue.clear()
