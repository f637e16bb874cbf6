"""Start and keep answering from what can be read when the reports folder is damaged.

A read-only reports folder (or a full disk) cannot hold the on-disk index and caches; a bad
``reports.toml`` loses the titles it held (qa.ingest then skips it and says so). Neither may
stop the bot: the engine is built in memory instead, and each problem is logged and sent to
the admins once, at start, in one line each.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError

from qa import QAEngine
from qa.reindex import reload_engine
from qa.reports import MANIFEST_NAME
from qa_bot.config import Settings
from qa_bot.render import esc

from .send import with_retries

logger = logging.getLogger(__name__)
NO_CACHE = ("报告目录无法写入（{why}），索引改为只放在内存里：照常回答，"
            "但每次启动都要重新建立索引；请检查目录权限或磁盘空间。")


def load_engine_tolerant(settings: Settings, load: Callable[[Settings], QAEngine]
                         ) -> tuple[QAEngine, list[str]]:
    """Load the engine with ``load`` (qa_bot.__main__.load_engine); if its caches cannot be
    written, load again without them. Return the engine and the problems found (Chinese)."""
    problems: list[str] = []
    try:
        engine = load(settings)
    except OSError as exc:
        logger.error("Cannot write the index beside the reports (%s); indexing in memory", exc)
        problems.append(NO_CACHE.format(why=exc.strerror or exc))
        engine = QAEngine.from_directory(settings.reports_dir, top_k=settings.top_k)
        engine.segmenter.initialize()
    problems += manifest_problems(engine.skipped)
    return engine, problems


def reload_tolerant(old: QAEngine, folder: Path) -> tuple[QAEngine, list[str]]:
    """Reload the folder as ``qa.reindex.reload_engine`` does, in memory if its index and
    caches cannot be written; return the engine and the problems found."""
    try:
        return reload_engine(old, folder), []
    except OSError as exc:
        logger.error("Cannot write the index beside the reports (%s); indexing in memory", exc)
        engine = QAEngine.from_directory(folder, old.top_k, old.segmenter)
        return engine, [NO_CACHE.format(why=exc.strerror or exc)]


def manifest_problems(skipped: Iterable[tuple[str, str]]) -> list[str]:
    """Return the skipped-file lines that concern the manifest (logged at load already)."""
    found = [why for name, why in skipped if name == MANIFEST_NAME]
    for why in found:
        logger.error("%s", why)
    return found


async def tell_admins(bot: Bot, admin_ids: Iterable[int], problems: Sequence[str]) -> None:
    """Send each admin the start-up problems in one message (an admin who never opened a
    private chat with the bot cannot be reached: logged, not fatal)."""
    text = "⚠️ 机器人已启动，但发现以下问题：\n" + "\n".join(f"• {esc(p)}" for p in problems)
    for admin_id in admin_ids:
        try:
            await with_retries(partial(bot.send_message, admin_id, text), once=True)
        except TelegramError as exc:
            logger.warning("Could not tell admin %d about start-up problems (%s)", admin_id, exc)


def start_telling(bot: Bot, admin_ids: Iterable[int], problems: Sequence[str]
                  ) -> asyncio.Task[None] | None:
    """Tell the admins in the background, so start-up never waits for Telegram."""
    if not problems or not admin_ids:
        return None
    return asyncio.get_running_loop().create_task(
        tell_admins(bot, list(admin_ids), list(problems)), name="startup-problems")
