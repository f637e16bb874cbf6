"""Concurrent update processing that keeps each chat's updates in arrival order."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from .inbox import Inbox

# Enough to overlap the engine with in-flight HTTP and SQLite round trips; the engine is
# CPU-bound, so more only adds waiting updates (and updates in flight at a crash).
MAX_CONCURRENT_UPDATES = 16


def order_key(update: object) -> int | None:
    """Return the chat (for inline queries, the user) whose updates must not overlap."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


def _discard(coroutine: Awaitable[Any]) -> None:
    if inspect.iscoroutine(coroutine):
        coroutine.close()  # never ran: no "never awaited" warning


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Run updates of different chats concurrently, but one at a time per chat, in order.

    Within a chat, order matters: an edited question must find the answer its original
    produced, a second 更多 press must edit after the first, and votes must not interleave.
    PTB starts update tasks in arrival order and its semaphore is FIFO, so each update joins
    its chat's queue here (before its first await) in arrival order. With an inbox, an update
    is handled only if the inbox hands it out (never a redelivered repeat), and marked done
    after its handlers finish.
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
                 inbox: Inbox | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self.inbox = inbox
        # The completion future of the last update queued for each busy chat.
        self._tails: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await the coroutine once every earlier update of the same chat has finished."""
        update_id = update.update_id if isinstance(update, Update) else None
        if self.inbox is not None and update_id is not None and not self.inbox.claim(update_id):
            _discard(coroutine)  # a repeat of an update this process already has
            return
        await self._in_chat_order(order_key(update), coroutine)
        if self.inbox is not None and update_id is not None:
            await self.inbox.done(update_id)

    async def _in_chat_order(self, key: int | None, coroutine: Awaitable[Any]) -> None:
        if key is None:
            await coroutine
            return
        previous = self._tails.get(key)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = done
        started = False
        try:
            if previous is not None:
                # wait() rather than await: cancelling this update must not cancel the chain.
                await asyncio.wait([previous])
            started = True
            await coroutine
        finally:
            if not started:
                _discard(coroutine)  # cancelled while queued
            done.set_result(None)
            if self._tails.get(key) is done:
                del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB awaits in-flight updates before shutting down."""
