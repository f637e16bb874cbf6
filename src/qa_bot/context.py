"""Typed access to what handlers share: engine, store, settings, guard, journal, shown pages."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot

from qa import QAEngine
from qa_bot.runtime.flooded import FloodedChats
from qa_bot.runtime.guard import FloodGuard
from qa_bot.runtime.inbox import Inbox
from qa_bot.runtime.journal import Journal
from qa_bot.runtime.outage import PollingOutage
from qa_bot.store.db import Store

from .config import Settings

ENGINE, STORE, SETTINGS, GUARD = "engine", "store", "settings", "guard"
INBOX, JOURNAL, PAGES, OUTAGE = "inbox", "journal", "pages", "outage"
FLOODED = "flooded"  # issue 21: coalesced answers of groups over Telegram's pace
MAX_REMEMBERED_PAGES = 10_000


class ShownPages:
    """Which page each recent answer message shows, so a double tap sends no no-op edit."""

    def __init__(self, limit: int = MAX_REMEMBERED_PAGES) -> None:
        self.limit = limit
        self._pages: OrderedDict[tuple[int, int], int] = OrderedDict()

    def get(self, chat_id: int, message_id: int) -> int | None:
        """Return the page shown in a message, if this process knows it."""
        return self._pages.get((chat_id, message_id))

    def set(self, chat_id: int, message_id: int, page: int) -> None:
        """Remember the page a message now shows (oldest entries are forgotten)."""
        self._pages[(chat_id, message_id)] = page
        self._pages.move_to_end((chat_id, message_id))
        while len(self._pages) > self.limit:
            self._pages.popitem(last=False)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with properties for the bot's shared objects (kept in bot_data)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def engine(self) -> QAEngine:
        """Return the question-answering engine."""
        return cast(QAEngine, self.bot_data[ENGINE])

    @property
    def store(self) -> Store:
        """Return the open query-log store."""
        return cast(Store, self.bot_data[STORE])

    @property
    def settings(self) -> Settings:
        """Return the bot settings."""
        return cast(Settings, self.bot_data[SETTINGS])

    @property
    def guard(self) -> FloodGuard:
        """Return the per-user flood guard."""
        return cast(FloodGuard, self.bot_data[GUARD])

    @property
    def inbox(self) -> Inbox:
        """Return the durable update inbox."""
        return cast(Inbox, self.bot_data[INBOX])

    @property
    def journal(self) -> Journal:
        """Return the queue of post-answer database writes."""
        return cast(Journal, self.bot_data[JOURNAL])

    @property
    def pages(self) -> ShownPages:
        """Return which page recent answers show."""
        return cast(ShownPages, self.bot_data[PAGES])

    @property
    def outage(self) -> PollingOutage:
        """Return the polling-outage notice (one warning per outage)."""
        return cast(PollingOutage, self.bot_data[OUTAGE])

    @property
    def flooded(self) -> FloodedChats:
        """Return the coalesced answers of groups asking faster than Telegram allows."""
        return cast(FloodedChats, self.bot_data[FLOODED])

    @property
    def username(self) -> str:
        """Return the bot's @username (without @), known after initialize()."""
        return self.bot.username
