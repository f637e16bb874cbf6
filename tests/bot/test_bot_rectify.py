"""/rectify and problem → 整改 questions through the fake Bot API (issue 20)."""

from __future__ import annotations

import re
from typing import Any

from qa_bot.app import BotApp
from tests.fakebot import Call, FakeTelegram, group_chat, private_chat, user

DORA = user(5005, "小丁")
CHAT = private_chat(DORA)


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _buttons(call: Call) -> dict[str, str]:
    return {b["text"]: b["callback_data"]
            for row in call.params["reply_markup"]["inline_keyboard"] for b in row}


async def _ask(fake: FakeTelegram, text: str, chat: dict[str, Any] = CHAT) -> Call:
    mark = fake.mark()
    fake.send_text(chat, DORA, text)
    (call,) = await fake.wait_for(mark, "sendMessage")
    return call


async def _ask_plain(fake: FakeTelegram, text: str, chat: dict[str, Any] = CHAT) -> str:
    """Ask and return the answer's text without its HTML tags."""
    return _plain((await _ask(fake, text, chat)).params["text"])


async def _press(fake: FakeTelegram, call: Call, data: str, method: str) -> Call:
    message = fake.messages[(CHAT["id"], call.result["message_id"])]
    mark = fake.mark()
    fake.press(message, data, DORA)
    await fake.wait_for(mark, "answerCallbackQuery")
    (done,) = fake.since(mark, method)
    return done


async def test_rectify_pages_problems_with_their_plan_items(
    fake_tg: FakeTelegram, bot_app: BotApp
) -> None:
    call = await _ask(fake_tg, "/rectify")
    text = _plain(call.params["text"])
    assert text.startswith("🛠 问题与整改 · 共 30 个问题")
    assert text.count("❓ 问题") == 2 and "↳ 下步计划" in text
    buttons = _buttons(call)
    assert "原文 1" in buttons and "原文 2" in buttons
    more = next(d for t, d in buttons.items() if t.startswith("更多"))
    page = await _press(fake_tg, call, more, "editMessageText")
    assert "第 2/" in page.params["text"] and "❓ <b>问题</b>" in page.params["text"]
    # 原文 of an item answering a problem sends that plan item in full.
    item = max((t for t in _buttons(page) if t.startswith("原文")),
               key=lambda t: int(t.split()[1]))
    full = await _press(fake_tg, call, _buttons(page)[item], "sendMessage")
    assert "<blockquote expandable>" in full.params["text"]
    assert fake_tg.rejected == []


async def test_rectify_a_report_without_a_rectification_heading(
    fake_tg: FakeTelegram, bot_app: BotApp
) -> None:
    text = await _ask_plain(fake_tg, "/rectify 002")
    assert "共 15 个问题" in text and "党组2023年党建工作总结" in text
    assert "↳ 下步计划" in text and "四、下步打算" in text
    asked = await _ask_plain(fake_tg, "002那份报告整改了啥")
    assert "没有「问题整改」部分" in asked and "细化为18项具体落实举措" in asked
    assert fake_tg.rejected == []


async def test_a_named_problem_is_answered_with_its_plan(
    fake_tg: FakeTelegram, bot_app: BotApp
) -> None:
    text = await _ask_plain(fake_tg, "003说工委示范培训多、部门自己内训少，后面打算怎么解决")
    assert "针对县直机关工委（003，2023年）提出的「（四）抓普通党员教育不够严格」" in text
    assert text.index("分级分批抓好全体党员培训") < text.index("工委示范培训用力多")


async def test_help_shows_rectify_with_an_example(fake_tg: FakeTelegram, bot_app: BotApp
                                                 ) -> None:
    text = (await _ask(fake_tg, "/help")).params["text"]
    assert "/rectify [关键词]" in text and "例：/rectify 培训" in text
    assert "rectify" in [c["command"] for c in fake_tg.commands]


async def test_rectify_outside_a_groups_reports_is_refused(
    fake_tg: FakeTelegram, bot_app: BotApp
) -> None:
    group = group_chat(-100777, "党委支部群")
    boss = user(5006, "书记")
    fake_tg.chat_admins[group["id"]] = {boss["id"]}
    mark = fake_tg.mark()
    fake_tg.send_text(group, boss, "/settings")
    (shown,) = await fake_tg.wait_for(mark, "sendMessage")
    panel = fake_tg.messages[(group["id"], shown.result["message_id"])]
    unit = next(b for row in panel["reply_markup"]["inline_keyboard"] for b in row
                if b["text"] == "党委")
    mark = fake_tg.mark()
    fake_tg.press(panel, unit["callback_data"], boss)
    await fake_tg.wait_for(mark, "editMessageText")
    refused = await _ask_plain(fake_tg, "/rectify 党组", group)
    assert "本群只检索党委的报告，「党组」的报告不在范围内" in refused
    kept = await _ask_plain(fake_tg, "/rectify", group)
    assert "党委2022年度党建工作总结" in kept and "党组2023" not in kept
    assert fake_tg.rejected == []
