"""``qa-bot`` / ``python -m bot``: configure logging, load the engine, then poll (or webhook)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import sqlite3
import sys
from collections.abc import Mapping

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from qa import QAEngine, QAError
from qa.cache import default_cache_path
from qa.diskindex import default_index_dir
from qa.store import Store

from .app import ALLOWED_UPDATES, build_application
from .config import ConfigError, RedactFilter, Settings, load_env
from .request import AiohttpRequest
from .workers import run_workers

logger = logging.getLogger("bot")
BAD_TOKEN = "Telegram 拒绝了 TELEGRAM_BOT_TOKEN（401 Unauthorized）：请向 @BotFather 核对令牌。"


def configure_logging(settings: Settings) -> None:
    """Set up the only logging configuration of the process, with the token redacted."""
    logging.basicConfig(
        format="%(asctime)s - %(name)s - %(levelname)s - %(message)s", level=settings.log_level
    )
    redact = RedactFilter(settings.token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)  # on handlers, so records from every logger pass through it
    # Bot API calls go through aiohttp (bot/request.py), which logs no URLs; httpx, still
    # imported by PTB, would log every request URL (with the token) at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def load_engine(settings: Settings) -> QAEngine:
    """Load jieba and index the reports now, so the first user never waits for it."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # otherwise it prints "Building prefix dict" to stderr
    # The engine's own tokenizer (not jieba's global one) loads here, with the domain lexicon;
    # tokens of unchanged reports come from the same cache the qa CLI keeps beside them.
    folder = settings.reports_dir
    engine = QAEngine.from_directory(
        folder, top_k=settings.top_k, cache_path=default_cache_path(folder),
        index_dir=default_index_dir(folder),
    )
    engine.segmenter.initialize()
    return engine


async def preflight(settings: Settings) -> tuple[str, int] | None:
    """Migrate the database and check the token; return (Chinese message, exit code) or None."""
    try:
        # Migrations run here, once, before any worker or handler opens the database.
        await prepare_store(settings)
    except (QAError, sqlite3.Error, OSError) as exc:
        return f"无法打开数据库 {settings.db_path}：{exc}（检查 QA_DB_PATH）", 2
    try:
        await check_token(settings)
    except InvalidToken:
        return BAD_TOKEN, 2
    except TelegramError as exc:
        return f"无法连接 Telegram：{exc}。请检查网络，或用 TELEGRAM_PROXY 设置代理。", 1
    return None


async def prepare_store(settings: Settings) -> None:
    """Create the database if needed and apply pending migrations, then close it."""
    store = Store(settings.db_path)
    await store.open()
    await store.close()


async def check_token(settings: Settings) -> None:
    """Call getMe once; raises InvalidToken on 401 before PTB's retry loop logs a traceback."""
    bot = Bot(settings.token, base_url=settings.base_url or "https://api.telegram.org/bot",
              request=AiohttpRequest(1, proxy=settings.proxy))
    async with bot:  # initialize() calls getMe
        pass


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the bot until interrupted; return the process exit code."""
    try:
        settings = Settings.from_env(load_env() if env is None else env)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(settings)
    # Opt in to timedelta durations now: without it PTB warns on every RetryAfter it builds.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    try:
        engine = load_engine(settings)
    except QAError as exc:
        print(f"无法加载报告：{exc}", file=sys.stderr)
        return 2
    logger.info("Loaded %d reports, %d passages", len(engine.reports), len(engine.passages))
    # One loop for the whole process: run_polling reuses the current loop, so set it here.
    # asyncio's own loop, not uvloop: PTB's stop-signal handler raises SystemExit inside the
    # loop, and under uvloop a SIGTERM in the first milliseconds of polling left the loop
    # unable to run the shutdown (1 start in 8 hung). Worker processes, which handle their
    # own signals, do run on uvloop (bot/workers.py).
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    problem = loop.run_until_complete(preflight(settings))
    if problem is not None or settings.workers > 1:
        # Workers fork from a process with no live loop or SQLite thread (bot/workers.py).
        loop.close()
        asyncio.set_event_loop(None)
    if problem is not None:
        message, code = problem
        print(message, file=sys.stderr)
        return code
    if settings.workers > 1:
        return run_workers(settings, engine)
    application = build_application(settings, engine, Store(settings.db_path))
    try:
        if settings.webhook_url:
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.port,
                url_path="telegram",
                webhook_url=settings.webhook_url.rstrip("/") + "/telegram",
                # Telegram echoes this header, so forged POSTs to the public URL are refused.
                secret_token=hashlib.sha256(settings.token.encode()).hexdigest()[:32],
            )
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        print(BAD_TOKEN, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
