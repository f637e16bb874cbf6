"""End-to-end failure handling: flood limits, network errors, the error handler, restarts."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from qa import QAEngine
from qa_bot.app import BotApp
from tests.conftest_bot import logged_query
from tests.fakebot import FakeTelegram, group_chat, private_chat, user
from tests.fakebot.runner import make_settings, running_bot

EVE = user(5005, "小叶")
CHAT = private_chat(EVE)


async def _ask(fake: FakeTelegram, text: str, count: int = 1) -> list[Any]:
    mark = fake.mark()
    fake.send_text(CHAT, EVE, text)
    return await fake.wait_for(mark, "sendMessage", count=count)


async def test_retry_after_does_not_lose_the_answer(fake_tg: FakeTelegram, bot_app: BotApp
                                                    ) -> None:
    fake_tg.inject("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    failed, delivered = await _ask(fake_tg, "理论学习", count=2)
    assert failed.status == 429 and delivered.status == 200
    assert delivered.at - failed.at >= 0.9


async def test_network_error_is_retried(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    fake_tg.inject("sendMessage", 502, "Bad Gateway")
    failed, delivered = await _ask(fake_tg, "理论学习", count=2)
    assert failed.status == 502 and delivered.status == 200


async def test_rate_limiter_enabled_still_answers(fake_tg: FakeTelegram, seeds_engine: QAEngine,
                                                  tmp_path: Path) -> None:
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", rate_limit=True)
    async with running_bot(settings, seeds_engine) as app:
        assert app.bot.rate_limiter is not None
        fake_tg.inject("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        (_, delivered) = await _ask(fake_tg, "理论学习", count=2)
        assert delivered.status == 200


async def test_flood_guard_warns_once_then_stays_quiet(fake_tg: FakeTelegram,
                                                       seeds_engine: QAEngine,
                                                       tmp_path: Path) -> None:
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", flood_per_minute=2)
    async with running_bot(settings, seeds_engine):
        mark = fake_tg.mark()
        for _ in range(4):
            fake_tg.send_text(CHAT, EVE, "理论学习")
        fake_tg.send_text(private_chat(user(6006)), user(6006), "理论学习")  # another user
        calls = await fake_tg.wait_for(mark, "sendMessage", count=4)
    # Chats are answered concurrently: only the order within each chat is guaranteed.
    texts = [c.params["text"] for c in calls if c.params["chat_id"] == CHAT["id"]]
    assert sum("太频繁" in t for t in texts) == 1 and "太频繁" in texts[2]
    (other,) = [c for c in calls if c.params["chat_id"] == 6006]
    assert "太频繁" not in other.params["text"]


async def test_allowlist_ignores_other_chats(fake_tg: FakeTelegram, seeds_engine: QAEngine,
                                             tmp_path: Path) -> None:
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", allowed_chats=frozenset({5005}))
    async with running_bot(settings, seeds_engine):
        mark = fake_tg.mark()
        fake_tg.send_text(group_chat(-100999), EVE, "/ask 理论学习")
        fake_tg.send_text(CHAT, EVE, "理论学习")
        (call,) = await fake_tg.wait_for(mark, "sendMessage")
        assert call.params["chat_id"] == EVE["id"]


class BrokenEngine:
    """An engine whose every answer fails, to exercise the error handler."""

    reports: tuple[Any, ...] = ()

    def ask(self, question: str, k: int | None = None, context: str | None = None,
            reports: Any = None) -> Any:
        raise RuntimeError("index corrupted")


async def test_error_handler_logs_then_apologises(fake_tg: FakeTelegram, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3")
    with caplog.at_level(logging.ERROR):
        async with running_bot(settings, BrokenEngine()):  # type: ignore[arg-type]
            (call,) = await _ask(fake_tg, "理论学习")
    assert "抱歉" in call.params["text"]
    record = next(r for r in caplog.records if r.name == "qa_bot.ask.handlers")
    assert record.exc_info is not None and "index corrupted" in str(record.exc_info[1])


async def test_restart_keeps_the_log_and_old_buttons_work(fake_tg: FakeTelegram,
                                                          seeds_engine: QAEngine,
                                                          tmp_path: Path) -> None:
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3")
    async with running_bot(settings, seeds_engine):
        (first,) = await _ask(fake_tg, "理论学习")
    message = fake_tg.messages[(CHAT["id"], first.result["message_id"])]
    vote = first.params["reply_markup"]["inline_keyboard"][-1][0]["callback_data"]
    async with running_bot(settings, seeds_engine) as app:
        mark = fake_tg.mark()
        fake_tg.press(message, vote, EVE)
        (answer,) = await fake_tg.wait_for(mark, "answerCallbackQuery")
        assert answer.params["text"] == "感谢反馈！"
        (second,) = await _ask(fake_tg, "发展党员")
        await logged_query(app, second.params["reply_markup"]["inline_keyboard"][-1][0][
            "callback_data"])
        assert await app.bot_data["store"].count_queries() == 2
    assert fake_tg.rejected == []
