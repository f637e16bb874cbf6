"""The worker processes' event loop (uvloop where installed) runs the real Application."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from bot.eventloop import new_event_loop
from qa import QAEngine
from tests.fakebot import FakeTelegram, private_chat, user
from tests.fakebot.runner import make_settings, running_bot

ALICE = user(1001, "小李")


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop has no Windows build")
def test_the_worker_loop_is_uvloop() -> None:
    loop = new_event_loop()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()


def test_a_question_and_a_button_on_the_worker_loop(seeds_engine: QAEngine,
                                                        tmp_path: Path) -> None:
    async def scenario() -> None:
        fake = FakeTelegram()
        await fake.start()
        try:
            async with running_bot(make_settings(fake, tmp_path / "qa.sqlite3"), seeds_engine):
                mark = fake.mark()
                fake.send_text(private_chat(ALICE), ALICE, "清廉机关建设")
                (answer,) = await fake.wait_for(mark, "sendMessage")
                rows = answer.params["reply_markup"]["inline_keyboard"]
                vote = next(b["callback_data"] for row in rows for b in row
                            if b["callback_data"].startswith("f:"))
                mark = fake.mark()
                fake.press(answer.result, vote, ALICE)
                await fake.wait_for(mark, "answerCallbackQuery")
            assert fake.rejected == []
        finally:
            await fake.stop()

    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        runner.run(scenario())
