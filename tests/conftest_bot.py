"""Fixtures for the bot tests: the fake Telegram server and a running bot against it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from qa import QAEngine
from qa_bot.app import BotApp
from tests.fakebot import FakeTelegram
from tests.fakebot.runner import make_settings, running_bot

# As in bot/__main__.py: opt in to PTB's timedelta durations, or PTB's own RetryAfter
# constructor emits a deprecation warning (an error under this project's filterwarnings).
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture(autouse=True)
def no_table_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never tell a user that the figures table is being made, unless a test asks: the notice
    depends on how long a build takes, and a loaded machine must not add a message."""
    monkeypatch.setattr("qa_bot.figures.handlers.NOTICE_AFTER", 3600.0)


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


async def logged_query(app: BotApp, callback_data: str, timeout: float = 10.0) -> Any:
    """Return the log row behind an answer button, waiting for the write after the answer."""
    store = app.bot_data["store"]
    query_id = int(callback_data.split(":")[1])
    deadline = asyncio.get_running_loop().time() + timeout
    while (record := await store.get_query(query_id)) is None:
        assert asyncio.get_running_loop().time() < deadline, f"query {query_id} never logged"
        await asyncio.sleep(0.01)
    return record
