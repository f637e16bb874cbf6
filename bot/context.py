"""Typed access to what handlers share: engine, store, settings and the flood guard."""

from __future__ import annotations

from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot

from qa import QAEngine
from qa.store import Store

from .config import Settings
from .guard import FloodGuard

ENGINE, STORE, SETTINGS, GUARD = "engine", "store", "settings", "guard"


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
    def username(self) -> str:
        """Return the bot's @username (without @), known after initialize()."""
        return self.bot.username
