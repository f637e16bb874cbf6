"""Webhook mode end to end: qa-bot registers its URL, answers POSTed updates, refuses the rest."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path

from tests.fakebot import TOKEN, FakeTelegram, private_chat, user
from tests.fakebot.runner import qa_bot_env, start_qa_bot


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _post(url: str, body: bytes, secret: str | None) -> int:
    """POST a body the way Telegram does; return the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except (ConnectionError, urllib.error.URLError):
        return -1  # the server may close a connection whose oversized body it refused


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return int(response.status)


async def test_webhook_mode_answers_posted_updates_and_refuses_the_rest(
        fake_tg: FakeTelegram, tmp_path: Path) -> None:
    port = _free_port()
    env = qa_bot_env(fake_tg.base_url, tmp_path / "qa.sqlite3", PORT=str(port),
                     QA_WEBHOOK_URL=f"http://127.0.0.1:{port}/", QA_WEBHOOK_LISTEN="127.0.0.1",
                     LOG_LEVEL="DEBUG")
    mark = fake_tg.mark()
    proc = await start_qa_bot(env, tmp_path)
    run = asyncio.get_running_loop().run_in_executor
    try:
        await fake_tg.wait_for(mark, "setWebhook", timeout=30)
        hook = fake_tg.webhook
        url = hook["url"]
        assert url == f"http://127.0.0.1:{port}/telegram"
        secret = hook["secret_token"]
        with sqlite3.connect(tmp_path / "qa.sqlite3") as db:  # random, kept in the database
            assert db.execute("SELECT value FROM secrets").fetchone() == (secret,)
        assert len(secret) >= 32 and TOKEN.split(":")[1] not in secret

        alice = user(9001, "小王")
        message = fake_tg.new_message(private_chat(alice), alice, "今年发展了多少党员")
        update = json.dumps({"update_id": 1, "message": message}).encode()
        assert await run(None, _post, url, update, None) == 403
        assert await run(None, _post, url, update, "x" * 32) == 403
        assert await run(None, _post, url, b"{not json", secret) == 400
        assert await run(None, _post, url, b'{"no_update_id": 1}', secret) == 400
        assert await run(None, _post, url, b"[1, 2]", secret) == 400
        assert await run(None, _post, url, b" " * (2 << 20), secret) in (413, -1)
        assert await run(None, _get, f"http://127.0.0.1:{port}/healthz") == 200
        assert await run(None, _post, url, update, secret) == 200
        assert await run(None, _post, url, update, secret) == 200  # a redelivery: not re-answered
        (answer,) = await fake_tg.wait_for(mark, "sendMessage", timeout=10)
        assert int(answer.params["chat_id"]) == alice["id"] and "《" in answer.params["text"]
        marker = fake_tg.new_message(private_chat(alice), alice, "理论学习")
        body = json.dumps({"update_id": 2, "message": marker}).encode()
        assert await run(None, _post, url, body, secret) == 200
        await fake_tg.wait_for(mark, "sendMessage", count=2, timeout=10)
        assert len(fake_tg.since(mark, "sendMessage")) == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    text = (out + err).decode()
    assert proc.returncode == 0 and "Traceback" not in text, text
    leaks = [line for line in text.splitlines() if TOKEN in line or secret in line]
    assert not leaks, leaks[:3]
    assert text.count("wrong secret") == 2  # one short line per forged POST
    assert "CRITICAL" not in text
    assert fake_tg.rejected == []
