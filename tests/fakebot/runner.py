"""Run a real PTB Application against the fake server inside the current event loop."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from telegram.error import TelegramError

from qa import QAEngine
from qa_bot.app import BotApp, build_application
from qa_bot.config import Settings
from qa_bot.store.db import Store

from .server import TOKEN

ROOT = Path(__file__).resolve().parents[2]


class _HasBaseUrl(Protocol):
    @property
    def base_url(self) -> str: ...


def make_settings(fake: _HasBaseUrl, db_path: Path, **overrides: Any) -> Settings:
    """Return settings pointing the bot at the fake server (rate limiter off unless asked)."""
    values: dict[str, Any] = {"token": TOKEN, "base_url": fake.base_url, "db_path": db_path,
                              "rate_limit": False}
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_bot(settings: Settings, engine: QAEngine) -> AsyncIterator[BotApp]:
    """Start the Application the way run_polling does (post_init included), then stop it."""
    app = build_application(settings, engine, Store(settings.db_path))
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None

    def error_callback(exc: TelegramError) -> None:
        # What run_polling passes: a failed getUpdates goes to the error handlers.
        app.create_task(app.process_error(error=exc, update=None))

    try:
        await app.updater.start_polling(poll_interval=0, timeout=timedelta(seconds=1),
                                        error_callback=error_callback)
        await app.start()
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


def qa_bot_env(base_url: str, db_path: Path, **settings: str) -> dict[str, str]:
    """Return the environment for a ``python -m qa_bot`` process against a fake server.

    The caller's QA_* / TELEGRAM_* variables are dropped so only ``settings`` apply.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QA_", "TELEGRAM_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=base_url, QA_DB_PATH=str(db_path),
               QA_REPORTS_DIR=str(ROOT / "seeds"),
               PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'src'}")
    env.update(settings)
    return env


async def start_qa_bot(env: dict[str, str], cwd: Path, pipe: bool = True, module: str = "qa_bot"
                       ) -> asyncio.subprocess.Process:
    """Start ``python -m qa_bot`` (qa-bot) with this environment; output piped or discarded.

    ``module="tests.faultbot"`` runs the same bot with a planted fault (see that module).
    """
    stream = asyncio.subprocess.PIPE if pipe else asyncio.subprocess.DEVNULL
    return await asyncio.create_subprocess_exec(sys.executable, "-m", module, cwd=cwd, env=env,
                                                stdout=stream, stderr=stream)
