"""``python -m tests.faultbot``: the real qa-bot with one fault planted, for kill -9 tests.

The bot runs exactly as ``python -m qa_bot`` does, plus what the environment asks for:

- ``QA_TEST_KILL_ON=<text>``: the process kills itself (SIGKILL, no cleanup) when it starts
  handling an update whose text or file name is exactly that: a poison update, as a
  decompression bomb that exhausts memory would be.
- ``QA_TEST_KILL_AFTER_WRITES=<n>`` with ``QA_TEST_KILL_FILE=<name>``: once 确认收录 is
  pressed for an upload of that file name, the process kills itself just before its n-th
  file-system change (open for writing, rename, mkdir, unlink) from then on, counted with
  Python's audit hooks (n = 0: at the press, before it is recorded): a deterministic kill
  instant inside a confirm. Confirms of other files (one finished after a restart) never arm.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from telegram import Update
from telegram.ext import TypeHandler

import qa_bot.app as app_module
import qa_bot.library.confirming as confirming
from qa_bot.__main__ import main

_CHANGES = {"os.rename", "os.remove", "os.mkdir", "os.rmdir", "shutil.move", "os.link"}
_armed = False
_writes = 0


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _plant_poison(text: str) -> None:
    original = app_module.add_handlers

    async def kill_on(update: object, context: Any) -> None:
        message = update.effective_message if isinstance(update, Update) else None
        if message is None:
            return
        name = message.document.file_name if message.document else None
        if text in (message.text, name):
            _die()

    def add_handlers(application: Any) -> None:
        original(application)
        application.add_handler(TypeHandler(Update, kill_on), group=-2)

    app_module.add_handlers = add_handlers


def _is_change(event: str, args: tuple[Any, ...]) -> bool:
    if event in _CHANGES:
        return True
    if event != "open" or len(args) < 3:
        return False
    mode, flags = args[1], args[2]
    if isinstance(mode, str):
        return any(c in mode for c in "wxa+")
    return isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))


def _plant_write_kill(limit: int, name: str) -> None:
    original = confirming.mark_confirmed

    async def armed(context: Any, token: str, pending: Any) -> None:
        global _armed
        if pending.preview.source.name == name:
            _armed = True
            if limit <= 0:
                _die()  # the instant of the press, before it is recorded
        await original(context, token, pending)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        global _writes
        if _armed and _is_change(event, args):
            _writes += 1
            if _writes >= limit:
                _die()

    confirming.mark_confirmed = armed
    sys.addaudithook(hook)


if __name__ == "__main__":
    if os.environ.get("QA_TEST_KILL_ON"):
        _plant_poison(os.environ["QA_TEST_KILL_ON"])
    if os.environ.get("QA_TEST_KILL_AFTER_WRITES"):
        _plant_write_kill(int(os.environ["QA_TEST_KILL_AFTER_WRITES"]),
                          os.environ.get("QA_TEST_KILL_FILE", ""))
    sys.exit(main())
