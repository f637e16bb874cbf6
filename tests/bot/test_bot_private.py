"""End-to-end: a private chat with the real Application polling the fake Bot API."""

from __future__ import annotations

import re

from qa_bot.app import BotApp
from tests.fakebot import FakeTelegram, private_chat, user

ALICE = user(1001, "小李")


async def test_private_question_gets_a_cited_answer(fake_tg: FakeTelegram, bot_app: BotApp
                                                    ) -> None:
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(ALICE), ALICE, "今年发展了多少党员")
    (call,) = await fake_tg.wait_for(mark, "sendMessage")
    text = call.params["text"]
    assert call.params["parse_mode"] == "HTML"
    assert "<blockquote>" in text and "《" in text
    assert "新发展党员10名" in re.sub(r"<[^>]+>", "", text)
    buttons = [b["callback_data"] for row in call.params["reply_markup"]["inline_keyboard"]
               for b in row]
    assert any(d.startswith("p:") for d in buttons) and any(d.startswith("f:") for d in buttons)
    assert "reply_parameters" not in call.params  # private chats are not threaded
    assert fake_tg.rejected == []
    assert [c["command"] for c in fake_tg.commands][:3] == ["start", "help", "ask"]


async def test_unknown_command_in_private_points_to_help(fake_tg: FakeTelegram, bot_app: BotApp
                                                         ) -> None:
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(ALICE), ALICE, "/foo 参数")
    (call,) = await fake_tg.wait_for(mark, "sendMessage")
    assert "/help" in call.params["text"] and fake_tg.rejected == []
