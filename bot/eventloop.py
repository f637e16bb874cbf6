"""The event loop every qa-bot process runs on."""

from __future__ import annotations

import asyncio


def new_event_loop() -> asyncio.AbstractEventLoop:
    """Return a uvloop loop where uvloop is installed (not on Windows), else asyncio's own."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    # libuv's socket I/O and callbacks in C: ≈ 10 % more questions/s (bench/bot_bench.py).
    return uvloop.new_event_loop()
