"""``qa-bot`` / ``python -m bot``: configure logging, load the engine, then poll (or webhook)."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Mapping

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from qa import QAEngine, QAError, open_engine
from qa_bot.runtime.degraded import load_engine_tolerant
from qa_bot.runtime.stopping import GracefulStop
from qa_bot.store.db import Store

from .app import (
    ALLOWED_UPDATES,
    DEFAULT_BASE_URL,
    STARTUP_PROBLEMS,
    build_application,
    make_request,
)
from .config import ConfigError, RedactFilter, Settings, load_env

logger = logging.getLogger("qa_bot")
BAD_TOKEN = "Telegram 拒绝了 TELEGRAM_BOT_TOKEN（401 Unauthorized）：请向 @BotFather 核对令牌。"


def configure_logging(settings: Settings) -> RedactFilter:
    """Set up the only logging configuration of the process, with secrets redacted."""
    logging.basicConfig(
        format="%(asctime)s - %(name)s - %(levelname)s - %(message)s", level=settings.log_level
    )
    redact = RedactFilter(settings.token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)  # on handlers, so records from every logger pass through it
    # httpx logs every request URL (with the token) at INFO; httpcore's DEBUG adds nothing.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # aiosqlite's DEBUG lines print every SQL parameter: user questions and kept secrets.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    return redact


def load_engine(settings: Settings) -> QAEngine:
    """Load the segmenter and index the reports now, so the first user never waits for it."""
    # The engine's tokenizer loads here, with the domain lexicon; tokens of unchanged reports
    # come from the same index the qa CLI keeps beside them.
    engine = open_engine(settings.reports_dir, top_k=settings.top_k)
    engine.segmenter.initialize()
    return engine


def warm_up(engine: QAEngine) -> threading.Thread:
    """Read the word weights and learn the units' names in a thread while polling starts, so
    the first question rarely waits for them and start-up does not wait at all."""
    thread = threading.Thread(target=warm_and_settle, args=(engine,), name="qa-warm-up",
                              daemon=True)
    thread.start()
    return thread


def warm_and_settle(engine: QAEngine) -> None:
    """Warm the engine, then collect once and freeze what survives.

    The library opened with the collector paused (qa.gcpause): its few hundred thousand
    objects all live until exit, and the first full collection walks every one of them
    (0.1–0.3 s at 10⁵ passages), on whichever user's question triggers it. Done here, that
    walk happens before the first question; frozen, no later collection walks them again.
    """
    engine.warm_up()
    gc.collect()
    gc.freeze()


async def preflight(settings: Settings) -> tuple[str, int] | None:
    """Check the database and the token; return (Chinese message, exit code) or None."""
    store = Store(settings.db_path)
    try:
        await store.open()  # creates the file and migrates it, so a bad path fails here
    except (QAError, sqlite3.Error, OSError) as exc:
        return f"无法打开数据库 {settings.db_path}：{exc}（检查 QA_DB_PATH）", 2
    finally:
        await store.close()
    try:
        await check_token(settings)
    except InvalidToken:
        return BAD_TOKEN, 2
    except TelegramError as exc:
        return f"无法连接 Telegram：{exc}。请检查网络，或用 TELEGRAM_PROXY 设置代理。", 1
    return None


async def check_token(settings: Settings) -> None:
    """Call getMe once; raises InvalidToken on 401 before PTB's start-up logs a traceback."""
    proxy = settings.proxy or None
    bot = Bot(settings.token, base_url=settings.base_url or DEFAULT_BASE_URL,
              request=make_request(1, proxy), get_updates_request=make_request(1, proxy))
    async with bot:  # initialize() calls getMe
        pass


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the bot until interrupted; return the process exit code."""
    try:
        settings = Settings.from_env(load_env() if env is None else env)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    redact = configure_logging(settings)
    # Opt in to timedelta durations now: without it PTB warns on every RetryAfter it builds.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    # One loop for the whole process: run_polling reuses the current loop, so set it here.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # The reports load in a thread while the database and the token are checked (a network
    # round trip to Telegram): start-up takes the longer of the two, not their sum.
    loading = loop.run_in_executor(None, load_engine_tolerant, settings, load_engine)
    problem = loop.run_until_complete(preflight(settings))
    try:
        engine, faults = loop.run_until_complete(loading)
    except QAError as exc:
        problem = problem or (f"无法加载报告：{exc}", 2)
    if problem is not None:
        loop.close()
        message, code = problem
        print(message, file=sys.stderr)
        return code
    logger.info("Loaded %d reports, %d passages", len(engine.reports), len(engine.passages))
    warm_up(engine)
    store = Store(settings.db_path)
    application = build_application(settings, engine, store,
                                     polling=not settings.webhook_url)
    application.bot_data[STARTUP_PROBLEMS] = faults  # told to the admins in post_init
    try:
        if settings.webhook_url:
            from qa_bot.runtime.webhook import run_webhook

            run_webhook(application, settings, redact, loop)
        else:
            # The store opens in post_init and closes in post_shutdown, which run_polling
            # runs on every way out (stop signal, error in post_init, polling refused).
            GracefulStop(application, loop).install()
            application.run_polling(allowed_updates=ALLOWED_UPDATES, stop_signals=None)
    except InvalidToken:
        print(BAD_TOKEN, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
