"""A scripted session of 200 mixed updates: every update answered as specified, none rejected."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from qa_bot.app import BotApp
from tests.fakebot import FakeTelegram, group_chat, private_chat, user

QUESTIONS = ["今年发展了多少党员", "理论学习", "意识形态工作", "三会一课", "清廉机关建设",
             "党员教育管理", "主题教育", "火星探测", "志愿服务", "党建品牌"]
GROUPS = [group_chat(-1001000 - i, f"第{i}党支部") for i in range(3)]
USERS = [user(10_000 + i, f"用户{i}") for i in range(25)]
REPLY_METHODS = ("sendMessage", "editMessageText", "answerCallbackQuery", "answerInlineQuery")


def _data(message: dict[str, Any], prefix: str) -> str | None:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return next((b["callback_data"] for row in rows for b in row
                 if b["callback_data"].startswith(prefix)), None)


async def test_two_hundred_mixed_updates(fake_tg: FakeTelegram, bot_app: BotApp) -> None:
    rng = random.Random(20261122)
    answers: list[dict[str, Any]] = []  # bot answer messages, for button presses
    asked: list[dict[str, Any]] = []  # answered question messages, for edits
    expected_total = 0
    seen: Counter[str] = Counter()
    kinds = ["private", "command", "mention", "reply", "chatter", "inline", "more", "passage",
             "vote", "edit", "help"]
    weights = [20, 10, 8, 5, 12, 10, 8, 8, 10, 5, 4]
    for step in range(200):
        kind = rng.choices(kinds, weights)[0]
        person, group, question = rng.choice(USERS), rng.choice(GROUPS), rng.choice(QUESTIONS)
        if kind in ("more", "passage", "vote", "reply", "edit") and not answers:
            kind = "private"
        data, target = None, None
        if kind in ("more", "passage"):
            target = rng.choice(answers)
            data = _data(target, "m:" if kind == "more" else "p:")
            if data is None:
                kind = "vote"
        mark = fake_tg.mark()
        if kind == "private":
            asked.append(fake_tg.send_text(private_chat(person), person, question))
            expect = ["sendMessage"]
        elif kind == "command":
            cmd = rng.choice(["/ask@djqa_bot " + question, "/problems@djqa_bot", "/plans 理论学习",
                              "/highlights", "/reports@djqa_bot", "/report 00" + str(step % 5)])
            message = fake_tg.send_text(group, person, cmd)
            if cmd.startswith(("/ask", "/problems", "/plans", "/highlights")):
                asked.append(message)
            expect = ["sendMessage"]
        elif kind == "mention":
            asked.append(fake_tg.send_text(group, person, f"@djqa_bot {question}"))
            expect = ["sendMessage"]
        elif kind == "reply":
            target = rng.choice(answers)
            asked.append(fake_tg.send_text(target["chat"] if target["chat"]["type"] != "private"
                                           else private_chat(person), person, question,
                                           reply_to=target))
            expect = ["sendMessage"]
        elif kind == "chatter":
            fake_tg.send_text(group, person, f"收到，{question}的材料明天交")
            expect = []
        elif kind == "inline":
            fake_tg.inline(person, rng.choice(["", question]))
            expect = ["answerInlineQuery"]
        elif kind == "edit":
            original = rng.choice(asked)
            fake_tg.edit_text(original, f"{original['text']}？第{step}次修改")
            expect = ["editMessageText"]
        elif kind == "help":
            fake_tg.send_text(private_chat(person), person, rng.choice(["/help", "/start"]))
            expect = ["sendMessage"]
        else:
            # A button is pressed under the message it came with (others are refused).
            if data is None:
                target = rng.choice(answers)
                data = _data(target, "f:")
            assert target is not None and data is not None
            assert data is not None
            fake_tg.press(target, data, person)
            expect = {"more": ["editMessageText", "answerCallbackQuery"],
                      "passage": ["sendMessage", "answerCallbackQuery"],
                      "vote": ["answerCallbackQuery"]}[kind]
        expected_total += len(expect)
        seen[kind] += 1
        if expect:
            calls = await fake_tg.wait_for(mark, *REPLY_METHODS, count=len(expect))
            assert sorted(c.method for c in calls) == sorted(expect), (step, kind, calls)
            answers.extend(fake_tg.messages[(c.result["chat"]["id"], c.result["message_id"])]
                           for c in calls if c.method == "sendMessage" and kind != "passage"
                           and c.result.get("reply_markup"))
    # A final private question: updates are handled in order, so chatter is settled by then.
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(USERS[0]), USERS[0], "发展党员")
    await fake_tg.wait_for(mark, "sendMessage")
    assert len([c for c in fake_tg.calls if c.method in REPLY_METHODS]) == expected_total + 1
    assert fake_tg.rejected == []
    assert set(seen) == set(kinds), seen
    assert await bot_app.bot_data["store"].count_queries() > 50
