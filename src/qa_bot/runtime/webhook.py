"""Webhook mode: PTB's documented custom-webhook pattern on starlette + uvicorn.

PTB's own webhook server accepts any body size, answers malformed JSON with 500 and logs a
traceback for every forged POST. Here the checks come first, each with a short answer:
403 for a wrong secret (one log line), 413 above 1 MB, 400 for anything that is not an
update. An accepted update is written to the inbox before the 200 (Telegram's receipt).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from qa_bot.app import ALLOWED_UPDATES, BotApp, post_init, post_shutdown
from qa_bot.config import RedactFilter, Settings
from qa_bot.context import INBOX, STORE

from .send import with_retries

logger = logging.getLogger(__name__)
MAX_BODY = 1 << 20  # Telegram's updates are a few KB; 1 MB is far above any real one
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


async def read_body(request: Request) -> bytes | None:
    """Return the body, or None as soon as it is known to exceed MAX_BODY."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return bytes(body)


def parse_update(body: bytes, application: BotApp) -> Update | None:
    """Return the Update in a body, or None for anything else (bad JSON, no update_id)."""
    try:
        data = json.loads(body)
    except ValueError:  # includes UnicodeDecodeError
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, application.bot)
    except (TypeError, ValueError, KeyError):
        return None


def make_app(application: BotApp, secret: str) -> Starlette:
    """Return the ASGI app: POST /telegram for updates, GET /healthz for the supervisor."""
    expected = secret.encode()

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            host = request.client.host if request.client else "?"
            logger.warning("Refused a webhook POST with a wrong secret from %s", host)
            return Response(status_code=403)
        body = await read_body(request)
        if body is None:
            return Response(status_code=413)
        update = parse_update(body, application)
        if update is None:
            return Response(status_code=400)
        await application.bot_data[INBOX].receive([update])  # durable before Telegram's 200
        await application.update_queue.put(update)
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(WEBHOOK_PATH, telegram, methods=["POST"]),
                             Route("/healthz", healthz, methods=["GET"])])


def run_webhook(application: BotApp, settings: Settings, redact: RedactFilter,
                loop: asyncio.AbstractEventLoop) -> None:
    """Serve the webhook on this loop until SIGINT/SIGTERM, then close the loop."""
    try:
        loop.run_until_complete(serve(application, settings, redact))
    finally:
        loop.close()


async def serve(application: BotApp, settings: Settings, redact: RedactFilter) -> None:
    """Run the Application behind uvicorn with the same lifecycle as run_webhook."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    # Plain handlers: uvicorn swaps in its own while serving and re-raises what it caught
    # afterwards, which then lands here instead of killing the process mid-cleanup.
    previous = {sig: signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
                for sig in STOP_SIGNALS}
    try:
        await application.initialize()
        try:
            await post_init(application)
            await _serve_started(application, settings, redact, stop)
        finally:
            await application.shutdown()
            await post_shutdown(application)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


async def _serve_started(application: BotApp, settings: Settings, redact: RedactFilter,
                         stop: asyncio.Event) -> None:
    secret = settings.webhook_secret or await application.bot_data[STORE].secret("webhook")
    redact.add(secret)  # PTB's DEBUG log of the setWebhook call would print it
    config = uvicorn.Config(make_app(application, secret), host=settings.webhook_listen,
                            port=settings.port, log_config=None, access_log=False,
                            lifespan="off")
    server = uvicorn.Server(config)
    await application.start()
    try:
        if stop.is_set():
            return
        serving = asyncio.create_task(server.serve())
        watcher = asyncio.create_task(_stop_on(stop, server))
        try:
            # Listen first, then tell Telegram where: its first POST may follow at once.
            while not server.started and not serving.done():
                await asyncio.sleep(0.01)
            if server.started:
                url = settings.webhook_url.rstrip("/") + WEBHOOK_PATH
                await with_retries(lambda: application.bot.set_webhook(
                    url, secret_token=secret, allowed_updates=ALLOWED_UPDATES))
        finally:
            await serving  # until a stop signal (or a failed bind, raised here)
            watcher.cancel()
    finally:
        await application.stop()


async def _stop_on(stop: asyncio.Event, server: uvicorn.Server) -> None:
    """Ask uvicorn to exit when a stop signal came before it installed its own handlers."""
    await stop.wait()
    server.should_exit = True
