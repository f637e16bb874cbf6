"""qa-bot as a process: a stop signal at any moment of start-up ends it cleanly, exit 0."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import psutil
import pytest

from tests.fakebot import FakeTelegram
from tests.fakebot.runner import qa_bot_env, start_qa_bot

# A hang never ends; a start-up finishing its first load on a loaded 2-core machine (the suite
# beside other engineers' builds) took over 20 s once. The test is about never, not about speed.
STOP_WAIT_S = 60


async def _stop_and_wait(proc: asyncio.subprocess.Process, what: str) -> str:
    proc.send_signal(signal.SIGTERM)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), STOP_WAIT_S)
    except TimeoutError:
        for child in psutil.Process(proc.pid).children(recursive=True):
            child.kill()
        proc.kill()
        raise AssertionError(f"qa-bot hung after SIGTERM ({what})") from None
    text = (out + err).decode()
    assert proc.returncode == 0, text
    return text


@pytest.mark.parametrize("moment", ["deleteWebhook", "setMyCommands", "getMe"])
async def test_a_stop_signal_right_after_start_never_hangs(fake_tg: FakeTelegram, tmp_path: Path,
                                                           moment: str) -> None:
    """SIGTERM as the store opens (getMe), as post_init ends or as polling begins."""
    for attempt in range(3):
        env = qa_bot_env(fake_tg.base_url, tmp_path / f"qa{attempt}.sqlite3",
                         LOG_LEVEL="WARNING")
        mark = fake_tg.mark()
        proc = await start_qa_bot(env, tmp_path)
        # The preflight's getMe comes first; the Application's own getMe is the second.
        await fake_tg.wait_for(mark, moment, count=2 if moment == "getMe" else 1, timeout=60)
        await _stop_and_wait(proc, f"after {moment}, attempt {attempt}")
