"""QA_WORKERS > 1: one poller, forked bot processes, per-chat order, clean stop, no repeats."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import psutil
import pytest

from bot.config import ConfigError, Settings
from bot.workers import route_key, worker_index
from tests.fakebot import TOKEN, FakeTelegram, group_chat, private_chat, user
from tests.fakebot.runner import qa_bot_env, start_qa_bot

ROOT = Path(__file__).resolve().parent.parent


def test_route_key_is_the_chat_else_the_user() -> None:
    chat = {"id": -100123, "type": "supergroup"}
    person = {"id": 42, "is_bot": False, "first_name": "小李"}
    message = {"message_id": 1, "chat": chat, "from": person, "text": "x", "date": 0}
    assert route_key({"update_id": 1, "message": message}) == -100123
    assert route_key({"update_id": 2, "edited_message": message}) == -100123
    assert route_key({"update_id": 3, "callback_query": {
        "id": "c", "from": person, "message": message, "data": "p:1"}}) == -100123
    assert route_key({"update_id": 4, "inline_query": {
        "id": "i", "from": person, "query": "", "offset": ""}}) == 42
    assert route_key({"update_id": 5}) == 0


def test_every_update_of_a_chat_goes_to_one_worker() -> None:
    chats = [{"message": {"chat": {"id": cid}}} for cid in (-1001, -1002, 7, 8, 9)]
    for update in chats:
        assert 0 <= worker_index(update, 3) < 3
        assert worker_index(update, 3) == worker_index({"edited_message": update["message"]}, 3)


@pytest.mark.parametrize("env, fragment", [
    ({"QA_WORKERS": "0"}, "QA_WORKERS"),
    ({"QA_WORKERS": "99"}, "QA_WORKERS"),
    ({"QA_WORKERS": "2", "QA_WEBHOOK_URL": "https://x.example"}, "轮询"),
])
def test_bad_worker_settings_are_one_chinese_line(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:a", **env})


def _answered(fake: FakeTelegram, mark: int) -> list[Any]:
    return fake.since(mark, "sendMessage", "editMessageText")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork")
async def test_two_workers_answer_every_chat_in_order_and_stop_cleanly(
        fake_tg: FakeTelegram, tmp_path: Path) -> None:
    env = qa_bot_env(fake_tg.base_url, tmp_path / "qa.sqlite3", LOG_LEVEL="INFO",
                     QA_WORKERS="2", QA_RATE_LIMIT="off")
    mark = fake_tg.mark()
    proc = await start_qa_bot(env, tmp_path)
    try:
        await fake_tg.wait_for(mark, "setMyCommands", timeout=30)
        assert len(psutil.Process(proc.pid).children()) == 2
        # Twelve private chats and a group, enough to reach both workers.
        people = [user(8000 + i) for i in range(12)]
        asked = [fake_tg.send_text(private_chat(p), p, "发展党员") for p in people]
        group, carol = group_chat(-1002000, "机关党支部"), user(8100)
        fake_tg.send_text(group, carol, "@djqa_bot 清廉机关建设")
        calls = await fake_tg.wait_for(mark, "sendMessage", count=13, timeout=20)
        assert {int(c.params["chat_id"]) for c in calls} == {p["id"] for p in people} | {
            group["id"]}
        # An edit right behind a new question in the same chat: the edit must find the answer
        # its original produced, so both ran on one worker, in order.
        edit_mark = fake_tg.mark()
        first = people[0]
        fake_tg.send_text(private_chat(first), first, "理论学习")
        fake_tg.edit_text(asked[0], "意识形态工作")
        await fake_tg.wait_for(edit_mark, "sendMessage", "editMessageText", count=2, timeout=20)
        edit = fake_tg.since(edit_mark, "editMessageText")[0]
        original = next(c for c in calls if int(c.params["chat_id"]) == first["id"])
        assert int(edit.params["message_id"]) == int(original.result["message_id"])
        assert fake_tg.rejected == []
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    text = (out + err).decode()
    assert proc.returncode == 0, text
    assert "Traceback" not in text and TOKEN not in text
    assert fake_tg.updates == []  # the last getUpdates confirmed everything handed out
    with sqlite3.connect(tmp_path / "qa.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM queries").fetchone()[0] == 15


@pytest.mark.parametrize("workers", ["1", "2"])
async def test_a_stop_signal_right_after_start_never_hangs(fake_tg: FakeTelegram, tmp_path: Path,
                                                           workers: str) -> None:
    """SIGTERM just as polling begins: the process must still shut down and exit 0."""
    for attempt in range(3):
        env = qa_bot_env(fake_tg.base_url, tmp_path / f"qa{attempt}.sqlite3",
                         QA_WORKERS=workers, LOG_LEVEL="WARNING")
        mark = fake_tg.mark()
        proc = await start_qa_bot(env, tmp_path)
        await fake_tg.wait_for(mark, "deleteWebhook", timeout=30)
        proc.send_signal(signal.SIGTERM)
        try:
            out, err = await asyncio.wait_for(proc.communicate(), 15)
        except TimeoutError:
            for child in psutil.Process(proc.pid).children(recursive=True):
                child.kill()
            proc.kill()
            raise AssertionError(f"qa-bot (QA_WORKERS={workers}) hung after SIGTERM") from None
        assert proc.returncode == 0, (out + err).decode()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork")
async def test_a_dead_worker_stops_the_bot_with_exit_1(fake_tg: FakeTelegram,
                                                       tmp_path: Path) -> None:
    env = qa_bot_env(fake_tg.base_url, tmp_path / "qa.sqlite3", QA_WORKERS="2",
                     LOG_LEVEL="WARNING")
    mark = fake_tg.mark()
    proc = await start_qa_bot(env, tmp_path)
    await fake_tg.wait_for(mark, "setMyCommands", timeout=30)
    psutil.Process(proc.pid).children()[0].kill()
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    text = (out + err).decode()
    assert proc.returncode == 1, text
    assert "exited unexpectedly" in text and "Traceback" not in text
