"""The aiohttp request class against a real loopback HTTP server: bodies, uploads, errors."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.request import AiohttpRequest, MaybeSent, SentTimedOut, redact
from bot.send import with_retries

TOKEN_PATH = "/bot123456:ABC-def_ghi"


@pytest.fixture
async def echo_server() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """Serve /…/echo (records what arrived) and /…/slow (answers after 2 s)."""
    seen: list[dict[str, Any]] = []

    async def echo(request: web.Request) -> web.Response:
        record: dict[str, Any] = {"type": request.content_type,
                                  "agent": request.headers.get("User-Agent", "")}
        if request.content_type == "multipart/form-data":
            form = await request.post()
            record["fields"] = {k: (v if isinstance(v, str) else
                                    (v.filename, v.file.read(), v.content_type))
                                for k, v in form.items()}
        else:
            record["body"] = await request.read()
        seen.append(record)
        return web.json_response({"ok": True, "result": True})

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.5)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post(TOKEN_PATH + "/echo", echo)
    app.router.add_post(TOKEN_PATH + "/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}{TOKEN_PATH}", seen
    finally:
        await runner.cleanup()


def _data(**params: Any) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])


async def test_parameters_travel_as_one_json_object(echo_server: Any) -> None:
    base, seen = echo_server
    async with AiohttpRequest() as request:
        result = await request.post(base + "/echo", _data(
            chat_id=7, text="<b>党建</b> & “引号”", reply_markup={"inline_keyboard": [[]]}))
    assert result is True
    assert seen[0]["type"] == "application/json"
    assert "python-telegram-bot" in seen[0]["agent"]
    assert json.loads(seen[0]["body"]) == {
        "chat_id": 7, "text": "<b>党建</b> & “引号”", "reply_markup": {"inline_keyboard": [[]]}}


async def test_files_travel_as_multipart_with_the_other_parameters(echo_server: Any) -> None:
    base, seen = echo_server
    upload = InputFile(b"report body", filename="report.txt")
    async with AiohttpRequest() as request:
        await request.post(base + "/echo", _data(chat_id=7, document=upload))
    fields = seen[0]["fields"]
    assert seen[0]["type"] == "multipart/form-data"
    assert fields["chat_id"] == "7"
    (name, content, _mime), = [v for k, v in fields.items() if not isinstance(v, str)]
    assert (name, content) == ("report.txt", b"report body")


async def test_calls_go_through_the_configured_proxy(echo_server: Any) -> None:
    base, seen = echo_server
    proxy = base.split(TOKEN_PATH)[0]  # the echo server plays the HTTP proxy
    async with AiohttpRequest(proxy=proxy) as request:
        await request.post(f"http://api.telegram.invalid{TOKEN_PATH}/echo", _data(chat_id=1))
    assert json.loads(seen[0]["body"]) == {"chat_id": 1}


async def test_a_slow_server_is_a_timeout(echo_server: Any) -> None:
    base, _ = echo_server
    async with AiohttpRequest(read_timeout=0.1) as request:
        with pytest.raises(TimedOut) as caught:
            await request.post(base + "/slow")
        assert isinstance(caught.value, MaybeSent)  # it went out: resending may duplicate
        # A per-call timeout overrides the default (PTB does this for getUpdates).
        assert await request.post(base + "/slow", read_timeout=5) is True


async def test_a_refused_connection_is_a_network_error_without_the_token() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with AiohttpRequest(connect_timeout=1) as request:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}{TOKEN_PATH}/getMe")
    assert "ABC-def_ghi" not in str(caught.value)
    assert not isinstance(caught.value, MaybeSent)  # never connected: safe to send again


async def test_a_request_after_shutdown_fails_clearly() -> None:
    request = AiohttpRequest()
    await request.initialize()
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/x", "POST")


def test_redact_hides_a_token_inside_any_text() -> None:
    assert redact("POST https://api.telegram.org/bot123:AA-b_c/sendMessage failed") == (
        "POST https://api.telegram.org/bot<token>/sendMessage failed")


class _Flaky:
    """A send that fails with the given errors first, then returns "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


async def test_a_message_that_may_have_arrived_is_not_sent_twice() -> None:
    send = _Flaky(SentTimedOut("no reply"))
    with pytest.raises(SentTimedOut):
        await with_retries(send, once=True)
    assert send.calls == 1


async def test_a_message_that_never_left_is_retried_even_once_only() -> None:
    send = _Flaky(TimedOut("no connection"))
    assert await with_retries(send, once=True) == "ok" and send.calls == 2


async def test_idempotent_calls_are_retried_after_any_timeout() -> None:
    send = _Flaky(SentTimedOut("no reply"))
    assert await with_retries(send) == "ok" and send.calls == 2
