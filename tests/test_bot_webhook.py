"""Webhook mode end to end: qa-bot registers its URL, answers POSTed updates, refuses forgeries."""

from __future__ import annotations

import asyncio
import hashlib
import json
import signal
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.fakebot import TOKEN, FakeTelegram, private_chat, user
from tests.fakebot.runner import qa_bot_env, start_qa_bot


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _post(url: str, update: dict[str, Any], secret: str | None) -> int:
    """POST an update the way Telegram does; return the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


async def test_webhook_mode_answers_posted_updates_and_refuses_forged_ones(
        fake_tg: FakeTelegram, tmp_path: Path) -> None:
    port = _free_port()
    env = qa_bot_env(fake_tg.base_url, tmp_path / "qa.sqlite3", PORT=str(port),
                     QA_WEBHOOK_URL=f"http://127.0.0.1:{port}/", QA_WEBHOOK_LISTEN="127.0.0.1")
    mark = fake_tg.mark()
    proc = await start_qa_bot(env, tmp_path)
    try:
        await fake_tg.wait_for(mark, "setWebhook", timeout=30)
        hook = fake_tg.webhook
        assert hook["url"] == f"http://127.0.0.1:{port}/telegram"
        secret = hook["secret_token"]
        assert secret == hashlib.sha256(TOKEN.encode()).hexdigest()[:32]
        assert TOKEN not in secret

        alice = user(9001, "小王")
        message = fake_tg.new_message(private_chat(alice), alice, "今年发展了多少党员")
        update = {"update_id": 1, "message": message}
        loop = asyncio.get_running_loop()
        # Forged (no or wrong secret): refused, nothing answered.
        assert await loop.run_in_executor(None, _post, hook["url"], update, None) == 403
        assert await loop.run_in_executor(None, _post, hook["url"], update, "x" * 32) == 403
        status = await loop.run_in_executor(None, _post, hook["url"], update, secret)
        assert status == 200
        (answer,) = await fake_tg.wait_for(mark, "sendMessage", timeout=10)
        assert int(answer.params["chat_id"]) == alice["id"] and "《" in answer.params["text"]
        assert len(fake_tg.since(mark, "sendMessage")) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    text = (out + err).decode()
    assert proc.returncode == 0 and "Traceback" not in text and TOKEN not in text, text
    assert fake_tg.rejected == []
