"""/settings through the fake Bot API: a group admin restricts the group; a member cannot."""

from __future__ import annotations

from typing import Any

from qa_bot.app import BotApp
from tests.fakebot import FakeTelegram, group_chat, user

GROUP = group_chat(-100888, "县直机关工委支部群")
BOSS, MEMBER = user(4001, "书记"), user(4002, "党员")


def _button(message: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(b for row in message["reply_markup"]["inline_keyboard"] for b in row
                if b["text"].removeprefix("✅ ").startswith(prefix))


async def _ask(fake: FakeTelegram, text: str) -> Any:
    mark = fake.mark()
    fake.send_text(GROUP, MEMBER, text)
    (call,) = await fake.wait_for(mark, "sendMessage")
    return call


async def test_group_admin_restricts_answers_and_member_cannot(fake_tg: FakeTelegram,
                                                               bot_app: BotApp) -> None:
    fake_tg.chat_admins[GROUP["id"]] = {BOSS["id"]}
    mark = fake_tg.mark()
    fake_tg.send_text(GROUP, BOSS, "/settings")
    (shown,) = await fake_tg.wait_for(mark, "sendMessage")
    assert "检索范围：全部报告（5/5 份报告）" in shown.params["text"]
    panel = fake_tg.messages[(GROUP["id"], shown.result["message_id"])]
    mark = fake_tg.mark()
    fake_tg.press(panel, _button(panel, "县直机关工委")["callback_data"], BOSS)
    (edit,) = await fake_tg.wait_for(mark, "editMessageText")
    assert edit.params["message_id"] == shown.result["message_id"]  # edited in place
    assert "（2/5 份报告）" in edit.params["text"]
    # A question naming another unit's report is refused; others search only 000 and 003.
    refused = await _ask(fake_tg, "/ask 党组存在哪些问题")
    assert "本群只检索县直机关工委的报告，「党组」的报告不在范围内" in refused.params["text"]
    answered = await _ask(fake_tg, "/ask 发展党员")
    assert "县直机关工委" in answered.params["text"] and "党组2023" not in answered.params["text"]
    # A member sees the settings without buttons, and a pressed button changes nothing.
    mark = fake_tg.mark()
    fake_tg.send_text(GROUP, MEMBER, "/settings")
    (seen,) = await fake_tg.wait_for(mark, "sendMessage")
    assert seen.params.get("reply_markup") is None and "只有群管理员" in seen.params["text"]
    mark = fake_tg.mark()
    fake_tg.press(panel, "cs:a", MEMBER)
    (toast,) = await fake_tg.wait_for(mark, "answerCallbackQuery")
    assert toast.params["text"] == "只有群管理员可以修改本群设置。"
    assert fake_tg.since(mark, "editMessageText") == []
    assert "本群只检索" in (await _ask(fake_tg, "/ask 党组存在哪些问题")).params["text"]
    assert fake_tg.rejected == []


async def test_brief_answers_without_votes(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    fake_tg.chat_admins[GROUP["id"]] = {BOSS["id"]}
    mark = fake_tg.mark()
    fake_tg.send_text(GROUP, BOSS, "/settings")
    (shown,) = await fake_tg.wait_for(mark, "sendMessage")
    panel = fake_tg.messages[(GROUP["id"], shown.result["message_id"])]
    for prefix in ("回答：", "👍/👎："):
        mark = fake_tg.mark()
        fake_tg.press(panel, _button(panel, prefix)["callback_data"], BOSS)
        await fake_tg.wait_for(mark, "editMessageText")
    call = await _ask(fake_tg, "/ask 理论学习")
    rows = call.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in rows for b in row] == ["原文 1"]  # one quote, no 👍/👎, no 更多
    assert fake_tg.rejected == []
