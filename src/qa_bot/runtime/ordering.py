"""Concurrent update processing that keeps each chat's updates in arrival order."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from .inbox import Inbox

# Enough to overlap the engine with in-flight HTTP and SQLite round trips; the engine is
# CPU-bound, so more only adds waiting updates (and updates in flight at a crash).
MAX_CONCURRENT_UPDATES = 16
# PTB's own semaphore is taken before an update may wait for its chat's turn, so it only bounds
# the updates held in memory; the slots that matter are taken after that wait (see below).
MAX_HELD_UPDATES = 100_000
# Updates one chat may have waiting for their turn; beyond it they go to ``overflow``.
MAX_CHAT_BACKLOG = 200
# How long updates cut off by a crash may run alone at start before the others join them.
SUSPECT_GRACE = 60.0
logger = logging.getLogger(__name__)


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
    PTB starts update tasks in arrival order, so each update joins its chat's queue here
    (before its first await) in arrival order.

    Fairness: an update takes one of the ``max_concurrent_updates`` running slots only once
    every earlier update of its chat has finished, so a chat whose answers wait (a group held
    back by Telegram's flood limit) holds one slot at most, never all of them. PTB's semaphore
    (which it takes before calling us) is sized to hold updates, not to limit them.

    With an inbox, an update is handled only if the inbox hands it out (never a redelivered
    repeat), each start is counted (a poison update is quarantined at the next start, see
    bot/inbox.py), and it is marked done after its handlers finish. Suspects (updates whose
    handling was cut off by a crash) run first, alone, so a second crash names its culprit.
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
                 inbox: Inbox | None = None,
                 overflow: Callable[[object], Awaitable[None]] | None = None,
                 chat_backlog: int = MAX_CHAT_BACKLOG) -> None:
        super().__init__(MAX_HELD_UPDATES)
        self.inbox = inbox
        self.chat_backlog = chat_backlog
        self.suspect_grace = SUSPECT_GRACE
        # Called instead of the handlers for an update beyond its chat's backlog bound.
        self.overflow = overflow
        self._running = asyncio.Semaphore(max_concurrent_updates)
        # The completion future of the last update queued for each busy chat, and how many
        # updates each busy chat has queued.
        self._tails: dict[int, asyncio.Future[None]] = {}
        self._backlog: dict[int, int] = {}
        self._alone = asyncio.Lock()
        self._suspects_done = asyncio.Event()
        self._suspects_done.set()

    def expect_suspects(self) -> None:
        """Hold ordinary updates back until the inbox's suspects have run (called at start),
        or for ``suspect_grace`` seconds at most: a suspect that hangs must not stop the bot."""
        if self.inbox is not None and self.inbox.suspects:
            self._suspects_done.clear()
            asyncio.get_running_loop().call_later(self.suspect_grace, self._end_grace)

    def _end_grace(self) -> None:
        if not self._suspects_done.is_set():
            logger.warning("Suspect updates still running after %.0f s; handling the others "
                           "alongside them", self.suspect_grace)
            self._suspects_done.set()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await the coroutine once every earlier update of the same chat has finished."""
        update_id = update.update_id if isinstance(update, Update) else None
        if self.inbox is not None and update_id is not None and not self.inbox.claim(update_id):
            _discard(coroutine)  # a repeat of an update this process already has
            return
        key = order_key(update)
        if key is not None and self._backlog.get(key, 0) >= self.chat_backlog:
            _discard(coroutine)  # this chat asks far faster than it can be answered
            if self.overflow is not None:
                await self.overflow(update)
        elif self.inbox is not None and update_id in self.inbox.suspects:
            await self._as_suspect(update_id, key, coroutine)
        else:
            await self._suspects_done.wait()
            await self._in_chat_order(key, update_id, coroutine)
        if self.inbox is not None and update_id is not None:
            await self.inbox.done(update_id)

    async def _as_suspect(self, update_id: int | None, key: int | None,
                          coroutine: Awaitable[Any]) -> None:
        try:
            async with self._alone:
                await self._in_chat_order(key, update_id, coroutine)
        finally:
            assert self.inbox is not None
            self.inbox.suspects.discard(update_id)
            if not self.inbox.suspects:
                self._suspects_done.set()

    async def _run(self, update_id: int | None, coroutine: Awaitable[Any]) -> None:
        """Count the start (durably, before any handler code), then run the handlers."""
        try:
            if self.inbox is not None and update_id is not None:
                await self.inbox.begin(update_id)
        except BaseException:
            _discard(coroutine)
            raise
        await coroutine

    async def _in_chat_order(self, key: int | None, update_id: int | None,
                             coroutine: Awaitable[Any]) -> None:
        if key is None:
            async with self._running:
                await self._run(update_id, coroutine)
            return
        previous = self._tails.get(key)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = done
        self._backlog[key] = self._backlog.get(key, 0) + 1
        started = False
        try:
            if previous is not None:
                # wait() rather than await: cancelling this update must not cancel the chain.
                await asyncio.wait([previous])
            # The chat's turn first, a running slot second: waiting for the turn takes none.
            async with self._running:
                started = True
                await self._run(update_id, coroutine)
        finally:
            if not started:
                _discard(coroutine)  # cancelled while queued
            done.set_result(None)
            self._backlog[key] -= 1
            if not self._backlog[key]:
                del self._backlog[key]
            if self._tails.get(key) is done:
                del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB awaits in-flight updates before shutting down."""
