"""End-to-end buttons: 更多 pages in place, 原文, votes, report sections and stale buttons."""

from __future__ import annotations

from typing import Any

from qa_bot.app import BotApp
from qa_bot.ask.callbacks import STALE
from tests.fakebot import Call, FakeTelegram, private_chat, user

CAROL = user(3003, "小陈")
CHAT = private_chat(CAROL)


def _buttons(call: Call) -> dict[str, str]:
    return {b["text"]: b["callback_data"]
            for row in call.params["reply_markup"]["inline_keyboard"] for b in row}


async def _ask(fake: FakeTelegram, text: str) -> tuple[Call, dict[str, Any]]:
    mark = fake.mark()
    fake.send_text(CHAT, CAROL, text)
    (call,) = await fake.wait_for(mark, "sendMessage")
    return call, fake.messages[(CHAT["id"], call.result["message_id"])]


async def _press(fake: FakeTelegram, message: dict[str, Any], data: str, *methods: str
                 ) -> list[Call]:
    mark = fake.mark()
    callback_id = fake.press(message, data, CAROL)
    await fake.wait_for(mark, "answerCallbackQuery")
    assert callback_id not in fake.open_callbacks
    return fake.since(mark, *methods)


async def test_more_edits_the_answer_in_place(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    call, message = await _ask(fake_tg, "今年发展了多少党员")
    more = next(d for t, d in _buttons(call).items() if t.startswith("更多"))
    (edit,) = await _press(fake_tg, message, more, "editMessageText")
    assert edit.params["message_id"] == message["message_id"]
    assert "第 2/" in edit.params["text"] and "<b>4.</b>" in edit.params["text"]
    back = next(d for t, d in _buttons(edit).items() if t.startswith("◀"))
    (edit_back,) = await _press(fake_tg, message, back, "editMessageText")
    assert "<b>1.</b>" in edit_back.params["text"]
    assert fake_tg.rejected == []


async def test_full_passage_is_sent_expandable(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    call, message = await _ask(fake_tg, "今年发展了多少党员")
    (sent,) = await _press(fake_tg, message, _buttons(call)["原文 1"], "sendMessage")
    assert "<blockquote expandable>" in sent.params["text"]
    assert "新发展党员10名" in sent.params["text"]
    assert fake_tg.rejected == []


async def test_vote_is_stored_and_can_be_changed(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    call, message = await _ask(fake_tg, "理论学习")
    buttons = _buttons(call)
    query_id = int(buttons["👍 有用"].split(":")[1])
    store = bot_app.bot_data["store"]
    (answer,) = await _press(fake_tg, message, buttons["👍 有用"], "answerCallbackQuery")
    assert answer.params["text"] == "感谢反馈！"
    assert await store.get_vote(query_id, CAROL["id"]) == 1
    (answer,) = await _press(fake_tg, message, buttons["👎 没用"], "answerCallbackQuery")
    assert answer.params["text"] == "已更新您的评价。"
    assert await store.get_vote(query_id, CAROL["id"]) == -1
    assert await store.feedback_counts(query_id) == (0, 1)


async def test_stale_buttons_get_a_short_notice(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    _, message = await _ask(fake_tg, "理论学习")
    for data in ("m:9999:1", "p:9999:0", "f:9999:1", "s:nope:0", "garbage", "m:1:42", "p:1:99"):
        (answer,) = await _press(fake_tg, message, data, "answerCallbackQuery")
        assert answer.params["text"] == STALE, data
    assert fake_tg.rejected == []


async def test_report_outline_opens_a_section(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    call, message = await _ask(fake_tg, "/report 000")
    assert "县直机关工委2023年党建工作总结" in call.params["text"]
    section = next(d for t, d in _buttons(call).items() if "存在问题" in t)
    assert len(section.encode()) <= 64
    (sent,) = await _press(fake_tg, message, section, "sendMessage")
    assert "“点”还需创新" in sent.params["text"]
    call, _ = await _ask(fake_tg, "/report 999")
    assert "没有这份报告" in call.params["text"]
    assert fake_tg.rejected == []
