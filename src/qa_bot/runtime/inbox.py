"""The durable update inbox: every update is in SQLite before Telegram is told it arrived.

Polling: PTB's Updater confirms a batch of updates only with its *next* getUpdates call
(``offset`` = last id + 1), which it makes after ``Bot.get_updates`` has returned. InboxBot
writes each batch to the inbox inside ``get_updates``, so the confirming call can only follow
a committed write. Webhook: the POST is answered 200 after the write (bot/webhook.py).

An update is marked done once its handlers have finished (the answer's own log write marks
it in the same transaction). At start-up unfinished updates go first into PTB's update queue,
oldest first; the per-chat processor keeps each chat's order. Telegram redelivers updates we
stored but never confirmed (a crash between the write and the next getUpdates): those are
already in the inbox, so they are dropped, not answered twice.

A duplicate answer remains possible in one window only: a crash after Telegram accepted the
answer and before the transaction that logs it and marks the update done.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

from qa_bot.store.db import Store, StoreError

from .journal import Journal

logger = logging.getLogger(__name__)


class Inbox:
    """Which updates this process may handle, and their state in the database."""

    def __init__(self, store: Store, journal: Journal) -> None:
        self.store = store
        self.journal = journal
        self._claimable: set[int] = set()
        self._settled: set[int] = set()
        self._failing = False
        # Run after each successful getUpdates (the polling-outage notice listens here).
        self.on_fetched: list[Callable[[], None]] = []

    async def receive(self, updates: Sequence[Update]) -> None:
        """Persist newly arrived updates; only those never seen before will be handled."""
        if not updates:
            return
        pairs = [(u.update_id, u.to_json()) for u in updates]
        try:
            fresh = await self.store.receive_updates(pairs)
        except (sqlite3.Error, StoreError) as exc:
            # Answering from memory beats not answering; only a crash now would lose them.
            if not self._failing:
                logger.warning("Update inbox not writable (%s); answering without it", exc)
            self._failing = True
            fresh = [u.update_id for u in updates]
        else:
            if self._failing:
                logger.warning("Update inbox writable again")
            self._failing = False
        self._claimable.update(fresh)

    def claim(self, update_id: int) -> bool:
        """Return True once for an update this process should handle (never for a repeat)."""
        if update_id in self._claimable:
            self._claimable.discard(update_id)
            return True
        return False

    def settle(self, update_id: int) -> None:
        """Note that the answer's log write already marked the update done."""
        self._settled.add(update_id)

    async def done(self, update_id: int) -> None:
        """Mark a handled update done (queued if the database fails)."""
        if update_id in self._settled:
            self._settled.discard(update_id)
            return
        await self.journal.record(lambda: self.store.mark_done(update_id))

    async def recover(self, bot: ExtBot[Any]) -> list[Update]:
        """Return the unfinished updates of an earlier run, oldest first, claimable."""
        updates = [Update.de_json(json.loads(p), bot) for p in await self.store.pending_updates()]
        self._claimable.update(u.update_id for u in updates)
        if updates:
            logger.info("Handling %d unfinished updates from the inbox first", len(updates))
        return updates


class InboxBot(ExtBot[None]):
    """ExtBot whose get_updates stores each batch before returning it to the Updater."""

    __slots__ = ("_inbox",)

    def __init__(self, inbox: Inbox, **kwargs: Any) -> None:
        self._inbox = inbox
        super().__init__(**kwargs)

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        """Fetch updates, then write them to the inbox: the Updater confirms them only after."""
        updates = await super().get_updates(*args, **kwargs)
        await self._inbox.receive(updates)
        for callback in self._inbox.on_fetched:
            callback()
        return updates
