"""Questions as staff type them, through the real Application and the fake Bot API:
follow-ups (a reply to an answer, or the same user right after), small talk, the fact first,
and a section overview of every report in one message."""

from __future__ import annotations

import re
from pathlib import Path

from qa_bot.app import BotApp
from qa_bot.store import conversations
from qa_bot.store.db import Store
from tests.fakebot import FakeTelegram, group_chat, private_chat, user

ALICE = user(2001, "小王")
BOB = user(2002, "老赵")
GROUP = group_chat(-100777, "党务干部群")


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


async def test_a_plain_follow_up_re_asks_the_last_question_for_another_report(
        fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    await fake_tg.say(private_chat(ALICE), ALICE, "今年发展了多少党员")
    (call,), _ = await fake_tg.say(private_chat(ALICE), ALICE, "那003呢")
    text = plain(call.params["text"])
    assert "87名" in text and "没找到" not in text
    assert fake_tg.rejected == []


async def test_a_reply_to_an_answer_follows_that_answer(
        fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    (first,), _ = await fake_tg.say(GROUP, BOB, "/ask 双报到报到率是多少")
    bot_message = fake_tg.messages[(GROUP["id"], first.result["message_id"])]
    # another member asks in between: the reply still follows the answer it replies to
    await fake_tg.say(GROUP, ALICE, "/ask 党费收缴")
    (second,), _ = await fake_tg.say(GROUP, BOB, "具体怎么做的", reply_to=bot_message)
    text = plain(second.params["text"])
    assert "报到率" in text and "没找到" not in text


async def test_thanks_gets_a_short_reply_without_buttons(
        fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    (call,), _ = await fake_tg.say(private_chat(ALICE), ALICE, "谢谢！👍")
    assert call.params["text"] == "不客气！还有问题随时问我。"
    assert "reply_markup" not in call.params and fake_tg.rejected == []


async def test_a_figure_answer_leads_with_the_fact(fake_tg: FakeTelegram, bot_app: BotApp
                                                   ) -> None:
    (call,), _ = await fake_tg.say(private_chat(ALICE), ALICE, "麻烦问下，哪个单位发展党员最多？")
    first_lines = plain(call.params["text"]).split("\n")[:2]
    assert first_lines[1].startswith("💡 县直机关工委（003，2023年）最多：87名")


async def test_problems_overview_shows_every_report_in_one_message(
        fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    (call,), _ = await fake_tg.say(private_chat(ALICE), ALICE, "/problems")
    text = plain(call.params["text"])
    assert "共 5 份报告" in text and "第 1/" not in text
    for unit in ("机关党委", "党组", "党委", "县直机关工委"):
        assert unit in text
    assert len(call.params["text"]) <= 4096


async def test_the_conversation_survives_a_restart(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    try:
        await conversations.remember(store, 1, 7, 11, "今年发展了多少党员", now=1000.0)
    finally:
        await store.close()
    again = Store(tmp_path / "qa.sqlite3")
    await again.open()
    try:
        assert await conversations.answered_by(again, 1, 11) == "今年发展了多少党员"
        recent = await conversations.last_question(again, 1, 7, within=600, now=1300.0)
        stale = await conversations.last_question(again, 1, 7, within=600, now=2000.0)
        assert recent == "今年发展了多少党员" and stale is None
    finally:
        await again.close()


async def test_an_edited_follow_up_is_read_against_what_it_followed(
        fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    await fake_tg.say(private_chat(ALICE), ALICE, "今年发展了多少党员")
    (first,), follow = await fake_tg.say(private_chat(ALICE), ALICE, "那001呢")
    assert "10名" in plain(first.params["text"])
    mark = fake_tg.mark()
    fake_tg.edit_text(follow, "那003呢")
    (edit,) = await fake_tg.wait_for(mark, "editMessageText")
    text = plain(edit.params["text"])
    assert "87名" in text and "没找到" not in text
    # The next follow-up reads against the edited question, not the original one.
    (after,), _ = await fake_tg.say(private_chat(ALICE), ALICE, "那000呢")
    assert "20人" in plain(after.params["text"]) and fake_tg.rejected == []


async def test_the_question_before_an_answer_is_what_an_edit_follows(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    try:
        await conversations.remember(store, 1, 7, 11, "今年发展了多少党员", now=1000.0)
        await conversations.remember(store, 1, 8, 12, "党费收缴", now=1100.0)  # someone else
        await conversations.remember(store, 1, 7, 13, "今年发展了多少党员 001", now=1200.0)
        await conversations.remember(store, 1, 7, 14, "意识形态", now=2000.0)
        assert await conversations.question_before(store, 1, 7, 13) == "今年发展了多少党员"
        assert await conversations.question_before(store, 1, 7, 11) is None  # the first
        assert await conversations.question_before(store, 1, 7, 14) is None  # 800 s later
        await conversations.revise(store, 1, 13, "今年发展了多少党员 003")
        assert await conversations.answered_by(store, 1, 13) == "今年发展了多少党员 003"
        assert await conversations.question_before(store, 1, 7, 14, within=900) == (
            "今年发展了多少党员 003")
    finally:
        await store.close()
