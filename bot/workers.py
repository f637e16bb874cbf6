"""Several bot processes behind one poller (QA_WORKERS > 1), to use more than one core.

One process answers about one core's worth of questions per second, and most of that CPU is
PTB turning JSON into objects and back, not the engine. Here the parent long-polls getUpdates
itself (raw JSON, no PTB objects) and hands each update, as one JSON line, to the worker that
owns its chat; each worker is a forked process running the usual Application without an
Updater. Forking after the engine is built lets the workers share its arrays.

Order: every update of a chat goes to the same worker over one stream, and that worker's
PerChatUpdateProcessor keeps them in order, exactly as in one process.
Stopping: on SIGINT/SIGTERM the parent stops polling, confirms the updates it handed out (a
last getUpdates with the next offset, as PTB's Updater does, so none is delivered twice) and
closes the streams; each worker finishes what it holds and exits.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import signal
import socket
from collections.abc import Mapping
from contextlib import AsyncExitStack
from multiprocessing.process import BaseProcess
from typing import Any

from telegram import Bot, Update
from telegram.error import Conflict, Forbidden, InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from qa import COMMANDS, QAEngine
from qa.store import Store

from .app import ALLOWED_UPDATES, build_application
from .config import Settings
from .context import STORE
from .eventloop import new_event_loop
from .request import AiohttpRequest
from .send import retry_seconds

logger = logging.getLogger(__name__)
POLL_TIMEOUT = 10  # seconds Telegram may hold a getUpdates open
MAX_BACKOFF = 30.0
LINE_LIMIT = 1 << 20  # one update is a few KB; a message is at most 4096 characters


def route_key(update: Mapping[str, Any]) -> int:
    """Return the chat an update belongs to (else its user), as PTB's effective_chat/user."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        message = value if "chat" in value else value.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return int(message["chat"]["id"])
        sender = value.get("from")
        if isinstance(sender, dict):
            return int(sender["id"])
    return 0


def worker_index(update: Mapping[str, Any], workers: int) -> int:
    """Return which worker owns an update: the same one for every update of a chat."""
    return route_key(update) % workers


def run_workers(settings: Settings, engine: QAEngine) -> int:
    """Fork the workers, poll Telegram here until SIGINT/SIGTERM; return the exit code.

    The database must be migrated already (main does it), so no two workers race on DDL;
    call this from a process with no running loop and no open store (fork copies neither).
    """
    context = multiprocessing.get_context("fork")
    streams: list[socket.socket] = []
    processes: list[BaseProcess] = []
    for number in range(settings.workers):
        mine, theirs = socket.socketpair()
        # The child must not hold the parent's ends (its own or earlier workers'): a worker
        # sees end-of-stream only when every copy of the parent's end is closed.
        process = context.Process(target=_worker_main, name=f"qa-bot-worker-{number}",
                                  args=(settings, engine, theirs, [*streams, mine]))
        process.start()
        theirs.close()
        streams.append(mine)
        processes.append(process)
    logger.info("Started %d worker processes", len(processes))
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        code = loop.run_until_complete(Dispatcher(settings, streams, processes).run())
    finally:
        loop.close()
    for worker in processes:
        worker.join(timeout=30)
        if worker.is_alive():
            logger.error("Worker %s did not stop in 30 s; terminating it", worker.name)
            worker.terminate()
            worker.join()
    return code


class Dispatcher:
    """Long-poll getUpdates and hand each update to its chat's worker."""

    def __init__(self, settings: Settings, streams: list[socket.socket],
                 processes: list[BaseProcess]) -> None:
        self.settings = settings
        self.streams = streams
        self.processes = processes
        self.request = AiohttpRequest(1, proxy=settings.proxy)
        base_url = settings.base_url or "https://api.telegram.org/bot"
        # Bot composes the URL exactly as the workers' Applications do ({token} or suffix).
        self.url = Bot(settings.token, base_url=base_url, request=self.request,
                       get_updates_request=self.request).base_url
        self.stop = asyncio.Event()
        self.exit_code = 0
        self.offset = 0

    async def run(self) -> int:
        """Poll until stopped; return 0, or 1 if a worker died or Telegram refused us."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.stop.set)
        for process in self.processes:
            loop.add_reader(process.sentinel, self._worker_exited, process)
        writers = [(await asyncio.open_unix_connection(sock=s))[1] for s in self.streams]
        await self.request.initialize()
        try:
            # What post_init does in one process: once here, not once per worker.
            await self._call("setMyCommands", {"commands": [
                {"command": c.name, "description": c.description} for c in COMMANDS]}, 5.0)
            await self._call("deleteWebhook", {}, 5.0)
        except TelegramError as exc:
            logger.error("Could not start polling (%s); stopping", exc)
            self.exit_code = 1
            self.stop.set()
        try:
            await self._poll(writers)
            if self.exit_code == 0:
                # After a failure (a worker died with updates in its stream) nothing is
                # confirmed: Telegram delivers them again to the restarted bot.
                await self._confirm()
        finally:
            for process in self.processes:
                loop.remove_reader(process.sentinel)
            for writer in writers:
                writer.close()
            for stream in self.streams:
                stream.close()  # uvloop may use a duplicate: close our end for the EOF too
            await self.request.shutdown()
        return self.exit_code

    async def _poll(self, writers: list[asyncio.StreamWriter]) -> None:
        backoff = 1.0
        while not self.stop.is_set():
            fetch = asyncio.ensure_future(self._call("getUpdates", {
                "offset": self.offset, "timeout": POLL_TIMEOUT,
                "allowed_updates": ALLOWED_UPDATES}, POLL_TIMEOUT + 5.0))
            stopped = asyncio.ensure_future(self.stop.wait())
            await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if not fetch.done():
                fetch.cancel()
                return
            try:
                updates: list[dict[str, Any]] = fetch.result()
            except TimedOut:
                continue  # a long poll that outlived its read timeout: just ask again
            except (InvalidToken, Conflict, Forbidden) as exc:
                logger.error("Telegram refused polling (%s); stopping", exc)
                self.exit_code = 1
                return
            except RetryAfter as exc:
                await self._sleep(retry_seconds(exc))
                continue
            except TelegramError as exc:
                logger.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
                await self._sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            for update in updates:
                line = json.dumps(update, ensure_ascii=False).encode() + b"\n"
                writers[worker_index(update, len(writers))].write(line)
                self.offset = int(update["update_id"]) + 1
            try:
                for writer in writers:
                    await writer.drain()
            except ConnectionError:
                logger.error("A worker stopped reading updates; stopping")
                self.exit_code = 1
                return

    async def _confirm(self) -> None:
        """Tell Telegram the handed-out updates are taken, or it delivers them again."""
        if not self.offset:
            return
        try:
            await self._call("getUpdates", {"offset": self.offset, "timeout": 0}, 5.0)
        except TelegramError as exc:
            logger.warning("Could not confirm the last updates (%s)", exc)

    async def _call(self, method: str, params: dict[str, Any], read_timeout: float) -> Any:
        data = RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])
        return await self.request.post(f"{self.url}/{method}", data, read_timeout=read_timeout)

    async def _sleep(self, seconds: float) -> None:
        """Wait, but wake at once when asked to stop."""
        try:
            await asyncio.wait_for(self.stop.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    def _worker_exited(self, process: BaseProcess) -> None:
        asyncio.get_running_loop().remove_reader(process.sentinel)
        if not self.stop.is_set():
            logger.error("Worker %s exited unexpectedly; stopping", process.name)
            self.exit_code = 1
            self.stop.set()


def _worker_main(settings: Settings, engine: QAEngine, stream: socket.socket,
                 inherited: list[socket.socket]) -> None:
    """Run one worker: its own loop, Application and store connection, fed from the stream."""
    for other in inherited:
        other.close()
    # Ctrl-C reaches the whole process group; the parent alone decides when workers stop
    # (by closing their stream), so each finishes the updates it already holds.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(_serve(settings, engine, stream))
    except Exception:
        logger.exception("Worker stopped by an error")  # the parent sees the exit and stops
        raise SystemExit(1) from None
    finally:
        loop.close()


async def _serve(settings: Settings, engine: QAEngine, stream: socket.socket) -> None:
    application = build_application(settings, engine, Store(settings.db_path), polling=False)
    store: Store = application.bot_data[STORE]
    # Undone in reverse order whatever fails: a store left open would keep its (non-daemon)
    # SQLite thread alive and the worker from ever exiting.
    async with AsyncExitStack() as undo:
        await application.initialize()
        undo.push_async_callback(application.shutdown)
        await store.open()
        undo.push_async_callback(store.close)
        await application.start()
        undo.push_async_callback(application.stop)  # waits for queued and running updates
        reader, writer = await asyncio.open_unix_connection(sock=stream, limit=LINE_LIMIT)
        undo.callback(writer.close)
        while line := await reader.readline():
            await application.update_queue.put(Update.de_json(json.loads(line), application.bot))
