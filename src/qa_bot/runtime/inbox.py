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

Poison updates: each start of an update's handling is counted in its row before any handler
runs. At start-up, an unfinished update started ``MAX_ATTEMPTS`` times (its handling killed
the process each time: an out-of-memory kill, a crash in a native library) is quarantined:
marked in the inbox, never handled again, its sender told in one line and the admins in
/stats (bot/quarantine.py). Unfinished updates started once are suspects: they run first,
one at a time, so a second crash is charged to the update that caused it and not to updates
that happened to be in flight beside it.
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
# Starts of an update's handling that ended in a crash before it is set aside.
MAX_ATTEMPTS = 2


class Inbox:
    """Which updates this process may handle, and their state in the database."""

    def __init__(self, store: Store, journal: Journal) -> None:
        self.store = store
        self.journal = journal
        self._claimable: set[int] = set()
        self._settled: set[int] = set()
        self._failing = False
        # Unfinished updates of an earlier run whose handling had started (see recover).
        self.suspects: set[int] = set()
        # Updates set aside at this start, for their senders to be told (bot/quarantine.py).
        self.quarantined: list[Update] = []
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

    async def begin(self, update_id: int) -> None:
        """Count a start of the update's handling; a failing database only costs the count."""
        try:
            await self.store.begin_attempt(update_id)
        except (sqlite3.Error, StoreError) as exc:
            logger.warning("Could not count the start of update %d (%s)", update_id, exc)

    async def stopped_cleanly(self) -> None:
        """Forget the starts of unfinished updates: a clean stop is not a crash."""
        try:
            await self.store.forget_attempts()
        except (sqlite3.Error, StoreError) as exc:
            logger.warning("Could not reset the inbox's attempt counts (%s)", exc)

    async def recover(self, bot: ExtBot[Any]) -> list[Update]:
        """Return the unfinished updates of an earlier run, claimable: suspects first (oldest
        first), then the rest. Updates that crashed the bot ``MAX_ATTEMPTS`` times are set
        aside in ``quarantined`` instead."""
        self.quarantined = [Update.de_json(json.loads(p), bot)
                            for p in await self.store.quarantine(MAX_ATTEMPTS)]
        for update in self.quarantined:
            logger.error("Update %d crashed the bot %d times; quarantined (not handled again)",
                         update.update_id, MAX_ATTEMPTS)
        rows = [(Update.de_json(json.loads(p), bot), attempts)
                for p, attempts in await self.store.unfinished_updates()]
        self.suspects = {u.update_id for u, attempts in rows if attempts > 0}
        updates = [u for u, _ in rows if u.update_id in self.suspects]
        updates += [u for u, _ in rows if u.update_id not in self.suspects]
        self._claimable.update(u.update_id for u in updates)
        if updates:
            logger.info("Handling %d unfinished updates from the inbox first (%d cut off by a "
                        "crash, run one at a time)", len(updates), len(self.suspects))
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
