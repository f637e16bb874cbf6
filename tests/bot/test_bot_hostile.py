"""Issue 21 through the fake Bot API: a paragraph bomb costs a worker, not the bot."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from qa_bot.app import BotApp
from qa_bot.library.handlers import library_state
from qa_bot.library.uploads import restore_pending
from qa_bot.store import pending as waiting_uploads
from qa_bot.store.db import Store
from qa_bot.store.pending import PendingRow
from tests import hostile
from tests.bot.test_bot_uploads import (  # noqa: F401 - fixtures
    ADMIN,
    QUESTION,
    ROWS,
    STAFF,
    library_bot,
    library_dir,
)
from tests.fakebot import FakeTelegram, private_chat
from tests.peak_rss import PeakRss
from tests.uploads import make_docx

MB = 1024 * 1024


async def test_a_paragraph_bomb_is_refused_while_another_user_is_answered(
        fake_tg: FakeTelegram, library_bot: BotApp) -> None:  # noqa: F811
    bomb = hostile.paragraph_bomb(60)
    with PeakRss() as rss:
        mark = fake_tg.mark()
        fake_tg.send_document(private_chat(ADMIN), ADMIN, "段落炸弹.docx", bomb)
        fake_tg.send_text(private_chat(STAFF), STAFF, QUESTION)
        calls = await fake_tg.wait_for(mark, "sendMessage", count=2, timeout=60)
    by_chat = {int(c.params["chat_id"]): c.params["text"] for c in calls}
    assert by_chat[ADMIN["id"]] == (
        "⚠️ 无法收录《段落炸弹.docx》：Word 文档解压后约 60 MB，远超正常报告（可能是压缩炸弹）。"
        "请删去图片、拆分文档，或另存为新的 .docx 后再发送")
    assert "处理您的请求时出错了" not in by_chat[STAFF["id"]]  # answered meanwhile
    assert rss.growth <= 300 * MB, f"bot grew {rss.growth / MB:.0f} MB"


async def test_a_waiting_preview_is_stored_converted(
        fake_tg: FakeTelegram, library_bot: BotApp, library_dir: Path) -> None:  # noqa: F811
    mark = fake_tg.mark()
    fake_tg.send_document(private_chat(ADMIN), ADMIN, "第三党支部.docx", make_docx(ROWS))
    await fake_tg.wait_for(mark, "sendMessage", timeout=30)
    store = library_bot.bot_data["store"]
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        async with store.db.execute("SELECT text, fmt FROM pending_uploads") as cursor:
            row = await cursor.fetchone()
        if row is not None:
            break
        assert asyncio.get_running_loop().time() < deadline, "preview never stored"
        await asyncio.sleep(0.05)
    assert row[1] == "docx" and "红色观影活动7次" in row[0]  # a restart parses, never converts


async def test_a_restart_restores_a_waiting_preview_from_its_text_without_converting(
        tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    try:
        # The stored bytes would not even convert: the preview can only come from the text.
        text = "第三党支部2024年党建工作总结\n一、主要工作\n全年组织党员开展红色观影活动7次。\n"
        await waiting_uploads.save(store, PendingRow(
            "tok1", ADMIN["id"], 42, ADMIN["id"], "李书记", "总结.docx", b"PK\x03\x04 broken",
            "第三党支部2024年党建工作总结", "第三党支部", "2024", "", text=text, fmt="docx"))
        bot_data: dict[Any, Any] = {}
        assert await restore_pending(bot_data, store) == 1
    finally:
        await store.close()
    preview = library_state(bot_data).uploads["tok1"].preview
    assert (preview.title, preview.passages, preview.source.fmt) == (
        "第三党支部2024年党建工作总结", 1, "docx")
