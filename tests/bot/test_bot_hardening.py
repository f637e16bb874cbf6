"""Answer first (locked or full database), bound buttons, allowlist answers, replies that fit."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from qa import QAEngine
from qa_bot.app import BotApp
from qa_bot.ask.callbacks import STALE
from qa_bot.render import NOT_AVAILABLE
from tests.conftest_bot import logged_query
from tests.fakebot import Call, FakeTelegram, group_chat, private_chat, user
from tests.fakebot.runner import make_settings, running_bot

ANN, BEN = user(6101, "小安"), user(6102, "小本")


def _buttons(call: Call) -> dict[str, str]:
    return {b["text"]: b["callback_data"]
            for row in call.params["reply_markup"]["inline_keyboard"] for b in row}


async def _ask(fake: FakeTelegram, person: dict[str, Any], text: str,
               timeout: float = 10.0) -> tuple[Call, dict[str, Any]]:
    mark = fake.mark()
    fake.send_text(private_chat(person), person, text)
    (call,) = await fake.wait_for(mark, "sendMessage", timeout=timeout)
    return call, fake.messages[(person["id"], call.result["message_id"])]


async def _press(fake: FakeTelegram, message: dict[str, Any], data: str,
                 person: dict[str, Any]) -> str:
    mark = fake.mark()
    fake.press(message, data, person)
    (answer,) = await fake.wait_for(mark, "answerCallbackQuery")
    return str(answer.params.get("text") or "")


def _vote(call: Call) -> str:
    return _buttons(call)["👍 有用"]


async def test_a_locked_database_still_answers_then_logs(
        fake_tg: FakeTelegram, bot_app: BotApp, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    locker = sqlite3.connect(tmp_path / "qa.sqlite3", isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    journal = bot_app.bot_data["journal"]
    try:
        with caplog.at_level(logging.WARNING):
            call, _ = await _ask(fake_tg, ANN, "理论学习", timeout=20)
            assert "<blockquote>" in call.params["text"]
            while journal.backlog == 0:  # the log write gave up waiting and was queued
                await asyncio.sleep(0.05)
    finally:
        locker.execute("COMMIT")
        locker.close()
    record = await logged_query(bot_app, _vote(call))  # the queued write lands afterwards
    assert record.answer_message_id == call.result["message_id"]
    failures = [r for r in caplog.records if "write failed" in r.getMessage()]
    assert len(failures) == 1 and not [r for r in caplog.records if r.exc_info]


async def test_a_database_refusing_writes_still_answers(
        fake_tg: FakeTelegram, bot_app: BotApp, caplog: pytest.LogCaptureFixture) -> None:
    """As when the disk is full: every write fails, every question is still answered."""
    db = bot_app.bot_data["store"].db
    for table in ("inbox", "queries"):
        await db.execute(f"CREATE TEMP TRIGGER full_{table} BEFORE INSERT ON main.{table}"
                         " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with caplog.at_level(logging.WARNING):
        first, _ = await _ask(fake_tg, ANN, "理论学习")
        second, _ = await _ask(fake_tg, BEN, "发展党员")
    assert "<blockquote>" in first.params["text"] and "<blockquote>" in second.params["text"]
    messages = [r.getMessage() for r in caplog.records]
    assert sum("write failed" in m for m in messages) == 1, messages
    assert sum("inbox not writable" in m for m in messages) == 1, messages
    assert not [r for r in caplog.records if r.exc_info]
    for table in ("inbox", "queries"):
        await db.execute(f"DROP TRIGGER temp.full_{table}")
    await logged_query(bot_app, _vote(first))  # the queued writes land once it can write
    await logged_query(bot_app, _vote(second))


async def test_forged_and_stale_buttons_are_refused(fake_tg: FakeTelegram, bot_app: BotApp
                                                    ) -> None:
    ann_call, ann_message = await _ask(fake_tg, ANN, "理论学习")
    ben_call, ben_message = await _ask(fake_tg, BEN, "发展党员")
    await logged_query(bot_app, _vote(ben_call))
    store = bot_app.bot_data["store"]
    # Ben's buttons pressed in Ann's chat (a forged callback): nothing shown, nothing counted.
    for data in _buttons(ben_call).values():
        assert await _press(fake_tg, ann_message, data, ANN) == STALE
    ben_query = int(_vote(ben_call).split(":")[1])
    assert await store.feedback_counts(ben_query) == (0, 0)
    # A button of this chat's earlier answer pressed under a later answer: refused too.
    _, later = await _ask(fake_tg, ANN, "三会一课")
    assert await _press(fake_tg, later, _vote(ann_call), ANN) == STALE
    # Under its own message it works, and a user's vote counts once.
    assert await _press(fake_tg, ann_message, _vote(ann_call), ANN) == "感谢反馈！"
    assert await _press(fake_tg, ann_message, _vote(ann_call), ANN) == "您已评价过了。"
    ann_query = int(_vote(ann_call).split(":")[1])
    assert await store.feedback_counts(ann_query) == (1, 0)
    assert fake_tg.rejected == []


async def test_buttons_from_before_a_database_reset_are_stale(
        fake_tg: FakeTelegram, seeds_engine: QAEngine, tmp_path: Path) -> None:
    async with running_bot(make_settings(fake_tg, tmp_path / "old.sqlite3"), seeds_engine):
        old_call, old_message = await _ask(fake_tg, ANN, "理论学习")
    async with running_bot(make_settings(fake_tg, tmp_path / "new.sqlite3"), seeds_engine):
        await _ask(fake_tg, ANN, "发展党员")  # a new query in the fresh database
        for data in _buttons(old_call).values():
            assert await _press(fake_tg, old_message, data, ANN) == STALE
    assert fake_tg.rejected == []


async def test_double_tap_on_more_edits_once(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    call, message = await _ask(fake_tg, ANN, "今年发展了多少党员")
    more = next(d for t, d in _buttons(call).items() if t.startswith("更多"))
    mark = fake_tg.mark()
    fake_tg.press(message, more, ANN)
    fake_tg.press(message, more, ANN)  # the second tap still sees page 1
    await fake_tg.wait_for(mark, "answerCallbackQuery", count=2)
    assert len(fake_tg.since(mark, "editMessageText")) == 1
    assert fake_tg.rejected == []


async def test_outside_the_allowlist_buttons_and_inline_get_an_answer(
        fake_tg: FakeTelegram, seeds_engine: QAEngine, tmp_path: Path) -> None:
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", allowed_chats=frozenset({ANN["id"]}))
    async with running_bot(settings, seeds_engine):
        call, message = await _ask(fake_tg, ANN, "理论学习")
        group = group_chat(-100555)
        foreign = fake_tg.new_message(group, ANN, "x")
        mark = fake_tg.mark()
        fake_tg.press(foreign, _vote(call), BEN)
        fake_tg.inline(BEN, "理论学习")
        fake_tg.send_text(group, BEN, "/ask 理论学习")
        (pressed,) = await fake_tg.wait_for(mark, "answerCallbackQuery")
        (inline,) = await fake_tg.wait_for(mark, "answerInlineQuery")
        assert pressed.params["text"] == NOT_AVAILABLE
        assert inline.params["results"] == [] and inline.params["button"]["text"] == NOT_AVAILABLE
        await _ask(fake_tg, ANN, "发展党员")  # in order: the group's /ask was handled by now
        assert [c for c in fake_tg.since(mark, "sendMessage")
                if c.params["chat_id"] == group["id"]] == []
    assert fake_tg.rejected == []


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice"])  # a document is an upload
async def test_unsupported_messages_in_private_get_one_line(
        fake_tg: FakeTelegram, bot_app: BotApp, kind: str) -> None:
    mark = fake_tg.mark()
    fake_tg.send_media(private_chat(ANN), ANN, kind)
    (call,) = await fake_tg.wait_for(mark, "sendMessage")
    assert "暂不支持" in call.params["text"] and "\n" not in call.params["text"]


async def test_a_huge_report_number_is_not_echoed_back(fake_tg: FakeTelegram, bot_app: BotApp
                                                       ) -> None:
    call, _ = await _ask(fake_tg, ANN, "/report " + "9" * 10_000)
    assert len(call.params["text"]) < 200 and fake_tg.rejected == []


async def test_a_polling_outage_is_one_warning(fake_tg: FakeTelegram, bot_app: BotApp,
                                               caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            fake_tg.inject("getUpdates", 502, "Bad Gateway")
        await _ask(fake_tg, ANN, "理论学习", timeout=30)
    lines = [r.getMessage() for r in caplog.records if r.name.startswith(("qa_bot", "telegram"))]
    assert sum("Cannot reach Telegram" in m for m in lines) == 1, lines
    assert sum("reachable again" in m for m in lines) == 1, lines
    ours = [r for r in caplog.records if r.name.startswith(("qa_bot", "telegram"))]
    assert not [r for r in ours if r.levelno >= logging.ERROR or r.exc_info]
