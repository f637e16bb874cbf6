"""Scenario: one group floods the bot while private users keep asking (issue 21).

The fake enforces Telegram's per-group flood limit (a 429 with retry_after past N posts a
minute). ``group_n`` questions go into one group at once, then a private question every
``gap`` seconds; the report gives each private question's latency (update queued → its answer
arriving) and, for every group question, whether it was answered on its own, inside a
coalesced message, or not at all.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from .server import Call, FakeTelegram
from .updates import group_chat, private_chat, user

QUESTIONS = ["理论学习", "发展党员", "三会一课", "意识形态工作", "清廉机关建设", "志愿服务",
             "主题教育", "党建品牌"]
_ITEM = re.compile(r"<b>\d+\. (.+?)</b>")
GROUP = group_chat(-1007770001, "机关第一党支部")


def _answered(fake: FakeTelegram, chat_id: int, after: float) -> Call | None:
    for call in fake.calls:
        if (call.method == "sendMessage" and call.status == 200 and call.at >= after
                and int(call.params.get("chat_id", 0)) == chat_id):
            return call
    return None


def _group_outcome(fake: FakeTelegram, asked: dict[int, str]) -> dict[str, Any]:
    posts = [c for c in fake.calls if c.method == "sendMessage" and c.status == 200
             and int(c.params.get("chat_id", 0)) == GROUP["id"]]
    replied = {int((c.params.get("reply_parameters") or {}).get("message_id", 0)) for c in posts}
    texts = [str(c.params["text"]) for c in posts]
    # A coalesced message lists its questions as numbered bold items: <b>2. 问题</b>.
    listed = {q for t in texts for q in _ITEM.findall(t)}
    coalesced = {m for m in asked if asked[m] in listed}
    single = {m for m in asked if m in replied and m not in coalesced}
    return {"group_questions": len(asked), "group_single": len(single),
            "group_coalesced": len(coalesced),
            "group_missing": sorted(set(asked) - single - coalesced),
            "group_posts": len(posts), "group_texts": texts,
            "flood_429": sum(1 for c in fake.calls if c.status == 429)}


async def run_fairness(fake: FakeTelegram, spec: dict[str, Any]) -> dict[str, Any]:
    """Run the scenario; return private latencies (ms) and the group's outcome."""
    fake.group_flood = (spec.get("limit", 20), spec.get("period", 60.0))
    members = [user(61_000 + i, f"成员{i}") for i in range(spec.get("members", 8))]
    asked: dict[int, str] = {}
    for i in range(spec.get("group_n", 80)):
        question = f"{QUESTIONS[i % len(QUESTIONS)]} 第{i + 1}问"
        message = fake.send_text(GROUP, members[i % len(members)], f"/ask@djqa_bot {question}")
        asked[message["message_id"]] = question
    pushed: list[tuple[int, float]] = []
    for i in range(spec.get("private_n", 20)):
        person = user(62_000 + i % spec.get("private_users", 10))
        fake.send_text(private_chat(person), person, QUESTIONS[i % len(QUESTIONS)])
        pushed.append((person["id"], time.perf_counter()))
        await asyncio.sleep(spec.get("gap", 0.5))
    latencies = await _private_latencies(fake, pushed, spec.get("timeout", 30.0))
    deadline = time.monotonic() + spec.get("group_timeout", 30.0)
    while _group_outcome(fake, asked)["group_missing"] and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    return _group_outcome(fake, asked) | {"latencies_ms": latencies,
                                          "private_unanswered": len(pushed) - len(latencies)}


async def _private_latencies(fake: FakeTelegram, pushed: list[tuple[int, float]],
                             timeout: float) -> list[float]:
    deadline = time.monotonic() + timeout
    latencies: list[float] = []
    for chat_id, at in pushed:
        while (call := _answered(fake, chat_id, at)) is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if call is not None:
            latencies.append((call.at - at) * 1000)
    return latencies
