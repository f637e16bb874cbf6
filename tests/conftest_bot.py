"""Fixtures for the bot tests: the fake Telegram server and a running bot against it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import BotApp
from qa import QAEngine
from tests.fakebot import FakeTelegram
from tests.fakebot.runner import make_settings, running_bot

# As in bot/__main__.py: opt in to PTB's timedelta durations, or PTB's own RetryAfter
# constructor emits a deprecation warning (an error under this project's filterwarnings).
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture
async def fake_tg() -> AsyncIterator[FakeTelegram]:
    """Start a fake Bot API on 127.0.0.1 for one test."""
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot_app(fake_tg: FakeTelegram, seeds_engine: QAEngine, tmp_path: Path
                  ) -> AsyncIterator[BotApp]:
    """Run the real Application (seeds engine, tmp database) against the fake server."""
    async with running_bot(make_settings(fake_tg, tmp_path / "qa.sqlite3"), seeds_engine) as app:
        yield app
