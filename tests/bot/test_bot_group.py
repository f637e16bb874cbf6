"""End-to-end in a supergroup: commands, @mentions, replies to the bot, chatter ignored."""

from __future__ import annotations

from qa_bot.app import BotApp
from tests.conftest_bot import logged_query
from tests.fakebot import BOT_USER, FakeTelegram, group_chat, private_chat, user

GROUP = group_chat(-100123)
BOB = user(2002, "老王")


async def _answered_in_order(fake: FakeTelegram, mark: int) -> list[str]:
    """Send a marker question in private and wait for it: earlier updates are done by then."""
    fake.send_text(private_chat(BOB), BOB, "理论学习")
    await fake.wait_for(mark, "sendMessage", count=1)
    return [c.params["text"] for c in fake.since(mark, "sendMessage")]


async def test_command_with_bot_name_is_answered_threaded(fake_tg: FakeTelegram,
                                                          bot_app: BotApp) -> None:
    (call,), asked = await fake_tg.say(GROUP, BOB, "/problems@djqa_bot 理论学习")
    assert call.params["chat_id"] == GROUP["id"]
    assert call.params["reply_parameters"]["message_id"] == asked["message_id"]
    assert "存在问题" in call.params["text"] or "理论" in call.params["text"]
    assert fake_tg.rejected == []


async def test_command_for_another_bot_and_chatter_are_ignored(fake_tg: FakeTelegram,
                                                               bot_app: BotApp) -> None:
    mark = fake_tg.mark()
    fake_tg.send_text(GROUP, BOB, "/problems@other_bot")
    fake_tg.send_text(GROUP, BOB, "今天下午三点开会，大家别忘了")
    fake_tg.send_text(GROUP, BOB, "@someone_else 发展了多少党员")
    texts = await _answered_in_order(fake_tg, mark)
    assert len(texts) == 1 and fake_tg.since(mark, "sendMessage")[0].params["chat_id"] == BOB["id"]
    assert fake_tg.rejected == []


async def test_mention_is_answered_without_the_mention(fake_tg: FakeTelegram,
                                                       bot_app: BotApp) -> None:
    (call,), asked = await fake_tg.say(GROUP, BOB, "@djqa_bot 今年发展了多少党员")
    assert call.params["reply_parameters"]["message_id"] == asked["message_id"]
    assert "djqa_bot" not in call.params["text"]
    data = call.params["reply_markup"]["inline_keyboard"][-1][0]["callback_data"]
    record = await logged_query(bot_app, data)
    assert record.question == "今年发展了多少党员" and record.chat_type == "supergroup"


async def test_reply_to_the_bot_is_a_question(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    (first,), _ = await fake_tg.say(GROUP, BOB, "/ask 理论学习")
    bot_message = fake_tg.messages[(GROUP["id"], first.result["message_id"])]
    assert bot_message["from"]["id"] == BOT_USER["id"]
    (second,), asked = await fake_tg.say(GROUP, BOB, "那下一步计划呢", reply_to=bot_message)
    assert second.params["reply_parameters"]["message_id"] == asked["message_id"]
    assert fake_tg.rejected == []


async def test_question_deleted_before_the_answer_still_gets_answered(
        fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    mark = fake_tg.mark()
    asked = fake_tg.new_message(GROUP, BOB, "/ask 发展党员")
    del fake_tg.messages[(GROUP["id"], asked["message_id"])]  # deleted while in flight
    fake_tg.push({"message": asked})
    (call,) = await fake_tg.wait_for(mark, "sendMessage")
    assert call.status == 200 and call.params["reply_parameters"]["allow_sending_without_reply"]
