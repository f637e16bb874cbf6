"""Concurrent updates: chats overlap, but each chat's updates run one at a time, in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update

from qa_bot.app import BotApp
from qa_bot.runtime.ordering import PerChatUpdateProcessor, order_key
from tests.fakebot import FakeTelegram, private_chat, user


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, datetime.now(UTC), chat, text="x"))


async def test_same_chat_runs_in_order_other_chats_overlap() -> None:
    processor = PerChatUpdateProcessor(8)
    events: list[str] = []

    async def work(name: str, delay: float) -> None:
        events.append(f"start {name}")
        await asyncio.sleep(delay)
        events.append(f"end {name}")

    jobs = [(_update(1, 10), work("a1", 0.05)), (_update(2, 10), work("a2", 0.0)),
            (_update(3, 20), work("b1", 0.0))]
    await asyncio.gather(*(processor.process_update(u, c) for u, c in jobs))
    # a2 waits for a1 although it is quicker; b1 (another chat) does not wait for a1.
    assert events.index("end a1") < events.index("start a2")
    assert events.index("end b1") < events.index("end a1")


async def test_order_key_is_the_chat() -> None:
    assert order_key(_update(1, 42)) == 42
    assert order_key("not an update") is None


async def test_question_and_its_edit_in_one_batch(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    # Both arrive in the same getUpdates batch: the edit must still see the answer's link.
    person = user(7007)
    mark = fake_tg.mark()
    question = fake_tg.send_text(private_chat(person), person, "理论学习")
    fake_tg.edit_text(question, "意识形态工作")
    (sent,) = await fake_tg.wait_for(mark, "sendMessage")
    (edit,) = await fake_tg.wait_for(mark, "editMessageText")
    assert edit.params["message_id"] == sent.result["message_id"]
    assert "意识形态" in edit.params["text"]
    assert fake_tg.rejected == []
