"""An update whose handling kills the process: twice, then quarantined, never a crash loop."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import Chat, Message, Update

from qa_bot.runtime.inbox import Inbox
from qa_bot.runtime.journal import Journal
from qa_bot.runtime.ordering import PerChatUpdateProcessor
from qa_bot.runtime.quarantine import SKIPPED_FILE
from qa_bot.store.db import Store
from tests.fakebot import FakeTelegram, private_chat, user
from tests.fakebot.runner import qa_bot_env, start_qa_bot

ADMIN = user(8100, "管理员")
SENDER = user(8101, "王干事")
ASKERS = [user(8200 + i) for i in range(6)]
QUESTIONS = ["理论学习", "发展党员", "三会一课", "意识形态工作", "清廉机关建设", "志愿服务"]
BOMB = "bomb.docx"


def _send_file(fake: FakeTelegram, person: dict[str, Any], name: str) -> dict[str, Any]:
    message = fake.new_message(private_chat(person), person, "")
    del message["text"]
    message["document"] = {"file_id": "bomb1", "file_unique_id": "ubomb1", "file_name": name,
                           "file_size": 6_100_000}
    fake.push({"message": message})
    return message


def _replies(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [str(c.params["text"]) for c in fake.calls if c.method == "sendMessage"
            and c.status == 200 and int(c.params["chat_id"]) == chat_id]


async def _until(condition: Any, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_poison_update_is_quarantined_after_two_kills(fake_tg: FakeTelegram,
                                                            tmp_path: Path) -> None:
    db = tmp_path / "qa.sqlite3"
    env = qa_bot_env(fake_tg.base_url, db, QA_RATE_LIMIT="off", QA_FLOOD_PER_MINUTE="0",
                     LOG_LEVEL="WARNING", QA_ADMIN_IDS=str(ADMIN["id"]), QA_TEST_KILL_ON=BOMB)
    mark = fake_tg.mark()
    proc = await start_qa_bot(env, tmp_path, pipe=False, module="tests.faultbot")
    await fake_tg.wait_for(mark, "setMyCommands", timeout=60)
    for person, question in zip(ASKERS[:3], QUESTIONS, strict=False):
        fake_tg.send_text(private_chat(person), person, question)
    _send_file(fake_tg, SENDER, BOMB)
    for person, question in zip(ASKERS[3:], QUESTIONS[3:], strict=False):
        fake_tg.send_text(private_chat(person), person, question)
    assert await asyncio.wait_for(proc.wait(), 60) == -signal.SIGKILL  # the first crash

    proc = await start_qa_bot(env, tmp_path, pipe=False, module="tests.faultbot")
    # The poison update runs first and alone (a suspect), so it kills the restart too.
    assert await asyncio.wait_for(proc.wait(), 90) == -signal.SIGKILL

    mark = fake_tg.mark()
    proc = await start_qa_bot(env, tmp_path, module="tests.faultbot")
    await fake_tg.wait_for(mark, "setMyCommands", timeout=60)
    await _until(lambda: all(_replies(fake_tg, p["id"]) for p in ASKERS), 60)
    await _until(lambda: bool(_replies(fake_tg, SENDER["id"])), 30)
    # Still alive and answering: a new question, then the admin's /stats.
    (answer,), _ = await fake_tg.say(private_chat(ASKERS[0]), ASKERS[0], "主题教育")
    (stats,), _ = await fake_tg.say(private_chat(ADMIN), ADMIN, "/stats")
    proc.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, (out + err).decode()

    assert _replies(fake_tg, SENDER["id"]) == [SKIPPED_FILE]  # told once, in one line
    assert "抱歉" not in answer.params["text"]
    assert "已跳过 1 条" in stats.params["text"] and BOMB in stats.params["text"]
    assert "Traceback" not in err.decode()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT attempts, quarantined_at IS NOT NULL FROM inbox"
                            " WHERE payload LIKE ?", (f"%{BOMB}%",)).fetchall()
        unfinished = conn.execute("SELECT COUNT(*) FROM inbox WHERE done_at IS NULL").fetchone()
    assert rows == [(2, 1)]
    assert unfinished == (0,)


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, datetime.now(UTC), chat, text="x"))


async def test_suspects_run_alone_but_a_hanging_one_stops_nobody() -> None:
    store = Store(":memory:")
    await store.open()
    try:
        inbox = Inbox(store, Journal())
        suspect, other = _update(1, 11), _update(2, 22)
        await inbox.receive([suspect, other])
        inbox.suspects = {1}
        processor = PerChatUpdateProcessor(4, inbox)
        processor.suspect_grace = 0.3
        processor.expect_suspects()
        release, ran = asyncio.Event(), []

        async def hangs() -> None:
            await release.wait()

        async def quick() -> None:
            ran.append(2)

        first = asyncio.create_task(processor.process_update(suspect, hangs()))
        second = asyncio.create_task(processor.process_update(other, quick()))
        await asyncio.sleep(0.1)
        assert ran == []  # held back while the suspect runs alone
        await asyncio.wait_for(second, 10)
        assert ran == [2]  # the grace ran out: the others go on
        release.set()
        await first
        assert [a for _, a in await store.unfinished_updates()] == []
    finally:
        await store.close()


async def test_a_clean_stop_does_not_count_towards_quarantine() -> None:
    store = Store(":memory:")
    await store.open()
    try:
        inbox = Inbox(store, Journal())
        await inbox.receive([_update(5, 55)])
        await inbox.begin(5)  # started, then the bot was stopped (SIGTERM) before it finished
        assert [a for _, a in await store.unfinished_updates()] == [1]
        await inbox.stopped_cleanly()
        assert [a for _, a in await store.unfinished_updates()] == [0]
        assert await store.quarantine(1) == []
    finally:
        await store.close()
