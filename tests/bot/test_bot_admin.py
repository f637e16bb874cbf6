"""Issue 12 end to end through the fake Bot API: /stats, /gaps, the weekly digest, menus."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from qa import QAEngine
from qa_bot.admin.digest import DIGEST_JOB, send_digest
from qa_bot.app import BotApp
from tests.fakebot import FakeTelegram, group_chat, private_chat, user
from tests.fakebot.runner import make_settings, running_bot

ADMIN, ADMIN2 = user(9001, "管理员"), user(9002, "副管理员")
GROUP = group_chat(-100555)
MEMBERS = [user(3000 + i, f"党员{i}") for i in range(10)]
ANSWERABLE = ["今年发展了多少党员", "理论学习", "存在哪些问题", "下一步计划", "主题党日"]
UNANSWERED = ["食堂菜单是什么", "食堂的菜单有哪些", "请问食堂菜单", "停车位怎么申请"]


@pytest.fixture
async def admin_bot(fake_tg: FakeTelegram, seeds_engine: QAEngine, tmp_path: Path
                    ) -> AsyncIterator[BotApp]:
    """Run the bot with two admins who have opened a private chat with it."""
    for person in (ADMIN, ADMIN2):
        fake_tg.chats[person["id"]] = private_chat(person)
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3",
                             admin_ids=frozenset({ADMIN["id"], ADMIN2["id"]}))
    async with running_bot(settings, seeds_engine) as app:
        yield app


async def _until_logged(app: BotApp, count: int, timeout: float = 60.0) -> None:
    """Wait for the log writes that follow the answers (answer first, then log)."""
    store = app.bot_data["store"]
    deadline = asyncio.get_running_loop().time() + timeout
    while await store.count_queries() < count:
        assert asyncio.get_running_loop().time() < deadline, "answers never logged"
        await asyncio.sleep(0.05)


async def _session(fake: FakeTelegram, app: BotApp, n: int = 100) -> list[Any]:
    """Ask n questions (private and group, answerable and not); return the answer calls."""
    mark = fake.mark()
    for i in range(n):
        person = MEMBERS[i % len(MEMBERS)]
        pool = UNANSWERED if i % 5 == 0 else ANSWERABLE
        question = pool[(i // 5) % len(pool)]
        if i % 3 == 0:
            fake.send_text(GROUP, person, f"/ask {question}")
        else:
            fake.send_text(private_chat(person), person, question)
    calls = await fake.wait_for(mark, "sendMessage", count=n, timeout=120)
    await _until_logged(app, n)
    return calls


async def _db(app: BotApp, sql: str) -> Any:
    async with app.bot_data["store"].db.execute(sql) as cursor:
        return await cursor.fetchone()


async def test_admin_stats_after_100_questions(fake_tg: FakeTelegram, admin_bot: BotApp) -> None:
    answers = await _session(fake_tg, admin_bot)
    # Two 👍 and one 👎, pressed under real answers.
    for call, vote in ((answers[1], "1"), (answers[2], "1"), (answers[4], "-1")):
        message = fake_tg.messages[(call.params["chat_id"], call.result["message_id"])]
        data = message["reply_markup"]["inline_keyboard"][-1][0]["callback_data"]
        mark = fake_tg.mark()
        fake_tg.press(message, data.rsplit(":", 1)[0] + f":{vote}", MEMBERS[0])
        await fake_tg.wait_for(mark, "answerCallbackQuery")
    total, found = await _db(admin_bot, "SELECT COUNT(*), SUM(found) FROM queries")
    up, down = await _db(admin_bot, "SELECT SUM(vote = 1), SUM(vote = -1) FROM feedback")
    (group_count,) = await _db(
        admin_bot, f"SELECT COUNT(*) FROM queries WHERE chat_id = {GROUP['id']}")
    assert (total, up, down) == (100, 2, 1) and 0 < found < 100
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(ADMIN), ADMIN, "/stats 7")
    (text_call,) = await fake_tg.wait_for(mark, "sendMessage")
    (photo,) = await fake_tg.wait_for(mark, "sendPhoto", timeout=30)
    text = text_call.params["text"]
    assert f"提问 {total} 次 · 找到 {found} 次（{found / total:.0%}）" in text
    assert f"👍 {up} / 👎 {down}" in text
    # The busiest chat is named by its title; private chats keep no name.
    assert f"群「{GROUP['title']}」 · {group_count} 问" in text and "党员1" not in text
    assert "食堂、菜单" in text or "菜单、食堂" in text  # top topic of unanswered questions
    today = datetime.now(UTC) + timedelta(hours=8)
    assert f"{today:%m-%d} " in text and f"{total} 问（找到 {found}）" in text
    assert fake_tg.photos[-1].startswith(b"\x89PNG") and "共 100 问" in photo.params["caption"]
    assert fake_tg.rejected == []


async def test_non_admin_gets_one_polite_line(fake_tg: FakeTelegram, admin_bot: BotApp) -> None:
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(MEMBERS[0]), MEMBERS[0], "/stats")
    fake_tg.send_text(GROUP, MEMBERS[0], "/gaps")
    calls = await fake_tg.wait_for(mark, "sendMessage", count=2)
    assert [c.params["text"] for c in calls] == ["抱歉，这个命令只对机器人管理员开放。"] * 2
    assert fake_tg.since(mark, "sendPhoto") == []


async def test_gaps_group_paraphrases_and_handled_hides(fake_tg: FakeTelegram,
                                                        admin_bot: BotApp) -> None:
    mark = fake_tg.mark()
    for i, question in enumerate(UNANSWERED + ["理论学习"]):
        fake_tg.send_text(private_chat(MEMBERS[i]), MEMBERS[i], question)
    await fake_tg.wait_for(mark, "sendMessage", count=5)
    await _until_logged(admin_bot, 5)
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(ADMIN), ADMIN, "/gaps")
    (call,) = await fake_tg.wait_for(mark, "sendMessage")
    text = call.params["text"]
    # Three wordings of the canteen question are one topic; the answered one is absent.
    assert "<b>1. 菜单、食堂</b> · 3 次" in text and "<b>2. 停车位、申请</b> · 1 次" in text
    assert "理论学习" not in text and "共 2 个话题" in text
    gaps_message = fake_tg.messages[(ADMIN["id"], call.result["message_id"])]
    handled = gaps_message["reply_markup"]["inline_keyboard"][0][0]
    assert handled["text"] == "✅ 已处理 1"
    mark = fake_tg.mark()
    fake_tg.press(gaps_message, handled["callback_data"], ADMIN)
    (edit,) = await fake_tg.wait_for(mark, "editMessageText")
    assert "食堂" not in edit.params["text"] and "停车位" in edit.params["text"]
    # Persisted: a new /gaps still hides it; a member cannot press 已处理.
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(ADMIN2), ADMIN2, "/gaps")
    (again,) = await fake_tg.wait_for(mark, "sendMessage")
    assert "食堂" not in again.params["text"] and "共 1 个话题" in again.params["text"]
    assert await _db(admin_bot, "SELECT COUNT(*) FROM gap_handled") == (1,)
    assert fake_tg.rejected == []


async def test_weekly_digest_job_sends_one_per_admin(fake_tg: FakeTelegram,
                                                     admin_bot: BotApp) -> None:
    (weekly,) = admin_bot.job_queue.get_jobs_by_name(DIGEST_JOB)  # type: ignore[union-attr]
    due = weekly.next_t
    assert due is not None
    local = due.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert (local.isoweekday(), local.hour, local.minute) == (1, 9, 0)
    fake_tg.send_text(private_chat(MEMBERS[0]), MEMBERS[0], "食堂菜单是什么")
    await _until_logged(admin_bot, 1)
    mark = fake_tg.mark()
    admin_bot.job_queue.run_once(send_digest, 0.05)  # type: ignore[union-attr]
    calls = await fake_tg.wait_for(mark, "sendMessage", count=2)
    assert sorted(c.params["chat_id"] for c in calls) == sorted([ADMIN["id"], ADMIN2["id"]])
    assert all("每周摘要" in c.params["text"] and "食堂" in c.params["text"] for c in calls)
    # One admin turns it off under the digest; the next run reaches only the other.
    message = fake_tg.messages[(ADMIN["id"], next(
        c for c in calls if c.params["chat_id"] == ADMIN["id"]).result["message_id"])]
    mark = fake_tg.mark()
    fake_tg.press(message, "dg:0", ADMIN)
    await fake_tg.wait_for(mark, "answerCallbackQuery")
    mark = fake_tg.mark()
    admin_bot.job_queue.run_once(send_digest, 0.05)  # type: ignore[union-attr]
    (only,) = await fake_tg.wait_for(mark, "sendMessage")
    await asyncio.sleep(0.3)
    assert only.params["chat_id"] == ADMIN2["id"] and len(fake_tg.since(mark, "sendMessage")) == 1


async def test_menus_are_registered_per_scope(fake_tg: FakeTelegram, admin_bot: BotApp) -> None:
    names = {scope: [c["command"] for c in commands]
             for scope, commands in fake_tg.scoped_commands.items()}
    assert "stats" not in names["all_private_chats"] and "gaps" not in names["all_group_chats"]
    assert "start" not in names["all_group_chats"] and "settings" in names["all_group_chats"]
    for admin in (ADMIN, ADMIN2):
        assert {"stats", "gaps", "settings", "ask"} <= set(names[f"chat:{admin['id']}"])
    assert names["default"] == names["all_private_chats"]


async def test_deep_links_open_their_view(fake_tg: FakeTelegram, admin_bot: BotApp) -> None:
    person = MEMBERS[0]
    for payload, expected in (("problems", "存在问题"), ("report_000", "📑"),
                              ("ask", "请直接发送您的问题")):
        mark = fake_tg.mark()
        fake_tg.send_text(private_chat(person), person, f"/start {payload}")
        (call,) = await fake_tg.wait_for(mark, "sendMessage")
        assert expected in call.params["text"], payload
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(person), person, "/help")
    (call,) = await fake_tg.wait_for(mark, "sendMessage")
    text = call.params["text"]
    assert "示例" in text and "原文 1" in text and "更多" in text and "我做不到的" in text
    assert "答：" in text and fake_tg.rejected == []


async def test_help_lists_admin_commands_only_to_an_admin(fake_tg: FakeTelegram,
                                                          admin_bot: BotApp) -> None:
    texts = {}
    for person in (MEMBERS[0], ADMIN):
        mark = fake_tg.mark()
        fake_tg.send_text(private_chat(person), person, "/help")
        (call,) = await fake_tg.wait_for(mark, "sendMessage")
        texts[person["id"]] = call.params["text"]
    assert "/stats" not in texts[MEMBERS[0]["id"]] and "/remove" not in texts[MEMBERS[0]["id"]]
    assert "/stats" in texts[ADMIN["id"]] and "/remove" in texts[ADMIN["id"]]
    assert "/compare" in texts[MEMBERS[0]["id"]] and fake_tg.rejected == []


async def test_gaps_name_a_renamed_group_by_its_new_title(fake_tg: FakeTelegram,
                                                         admin_bot: BotApp) -> None:
    mark = fake_tg.mark()
    fake_tg.send_text(GROUP, MEMBERS[0], "/ask 食堂菜单是什么")
    renamed = group_chat(GROUP["id"], "第一党支部")
    fake_tg.send_text(renamed, MEMBERS[1], "/ask 停车位怎么申请")
    await fake_tg.wait_for(mark, "sendMessage", count=2)
    await _until_logged(admin_bot, 2)
    deadline = asyncio.get_running_loop().time() + 30
    while await _db(admin_bot, "SELECT title FROM chat_titles") != ("第一党支部",):
        assert asyncio.get_running_loop().time() < deadline, "title never stored"
        await asyncio.sleep(0.05)
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(ADMIN), ADMIN, "/gaps")
    (call,) = await fake_tg.wait_for(mark, "sendMessage")
    assert call.params["text"].count("群「第一党支部」") == 2 and fake_tg.rejected == []
