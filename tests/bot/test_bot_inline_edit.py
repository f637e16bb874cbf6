"""End-to-end: inline mode and edited questions."""

from __future__ import annotations

from qa_bot.app import BotApp
from tests.conftest_bot import logged_query
from tests.fakebot import FakeTelegram, group_chat, private_chat, user

DAN = user(4004, "小邓")
GROUP = group_chat(-100777)


async def test_inline_query_offers_cited_articles(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    mark = fake_tg.mark()
    fake_tg.inline(DAN, "理论学习")
    (call,) = await fake_tg.wait_for(mark, "answerInlineQuery")
    results = call.params["results"]
    assert 1 <= len(results) <= 10
    first = results[0]
    assert " · " in first["title"] and first["description"]
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML" and "<blockquote>" in content["message_text"]
    assert "《" in content["message_text"]
    assert fake_tg.rejected == []


async def test_empty_inline_query_offers_the_private_chat(fake_tg: FakeTelegram,
                                                          bot_app: BotApp) -> None:
    mark = fake_tg.mark()
    fake_tg.inline(DAN, "")
    (call,) = await fake_tg.wait_for(mark, "answerInlineQuery")
    # No results that would post command text into the chat; a button to the private chat.
    assert call.params["results"] == []
    assert call.params["button"] == {"text": "在私聊中提问", "start_parameter": "ask"}
    assert fake_tg.rejected == []


async def test_inline_query_without_match_says_so(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    mark = fake_tg.mark()
    fake_tg.inline(DAN, "火星探测")
    (call,) = await fake_tg.wait_for(mark, "answerInlineQuery")
    assert [r["title"] for r in call.params["results"]] == ["没有找到相关内容"]
    assert fake_tg.rejected == []


async def test_edited_question_edits_the_answer(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    (first,), asked = await fake_tg.say(private_chat(DAN), DAN, "火星探测")
    assert "没有找到" in first.params["text"]
    mark = fake_tg.mark()
    fake_tg.edit_text(asked, "今年发展了多少党员")
    (edit,) = await fake_tg.wait_for(mark, "editMessageText")
    assert edit.params["message_id"] == first.result["message_id"]
    assert "发展党员" in edit.params["text"]
    assert fake_tg.since(mark, "sendMessage") == []
    # The buttons now point at the new query, so 原文 opens the new answer's passages.
    data = edit.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    record = await logged_query(bot_app, data)
    assert record.question == "今年发展了多少党员"
    assert fake_tg.rejected == []


async def test_edited_group_command_edits_the_answer(fake_tg: FakeTelegram,
                                                     bot_app: BotApp) -> None:
    (first,), asked = await fake_tg.say(GROUP, DAN, "/plans@djqa_bot")
    mark = fake_tg.mark()
    fake_tg.edit_text(asked, "/problems@djqa_bot")
    (edit,) = await fake_tg.wait_for(mark, "editMessageText")
    assert edit.params["message_id"] == first.result["message_id"]
    assert "存在问题" in edit.params["text"]
    assert fake_tg.rejected == []


async def test_edit_of_unanswered_chatter_is_ignored(fake_tg: FakeTelegram,
                                                     bot_app: BotApp) -> None:
    mark = fake_tg.mark()
    chatter = fake_tg.send_text(GROUP, DAN, "大家好")
    fake_tg.edit_text(chatter, "大家下午好")
    fake_tg.send_text(private_chat(DAN), DAN, "理论学习")  # marker: updates run in order
    await fake_tg.wait_for(mark, "sendMessage")
    assert [c.method for c in fake_tg.since(mark)] == ["sendMessage"]
