"""Stop signals for run_polling that end it cleanly at any moment of start-up.

PTB's default handler raises SystemExit inside the loop. If that lands while ``run_polling``
awaits ``start_polling`` (deleteWebhook in flight), PTB closes the suspended coroutine
outside the loop, httpx raises from it, and the shutdown (post_shutdown included) is
skipped: the store's thread then keeps the process alive. Instead, a signal here only asks
for the stop through PTB's public ``stop_running()``: before post_init returns PTB honours
it right after, and later on the loop is stopped once the Application runs.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from telegram.ext import Application

logger = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)
RECHECK_SECONDS = 0.05


class GracefulStop:
    """Turn SIGINT/SIGTERM into ``stop_running()`` at the first moment it takes effect."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any],
                 loop: asyncio.AbstractEventLoop) -> None:
        self.application = application
        self.loop = loop
        self.requested = False
        self._stopped_loop = False

    def install(self) -> None:
        """Register the handlers on the loop run_polling will use."""
        for sig in STOP_SIGNALS:
            self.loop.add_signal_handler(sig, self.request)

    def request(self) -> None:
        """Handle a stop signal (a second one while stopping changes nothing)."""
        if self.requested:
            return
        self.requested = True
        logger.info("Stop signal received; shutting down")
        self._stop_when_running()

    def _stop_when_running(self) -> None:
        if self._stopped_loop:
            return
        if self.application.running:
            # run_forever returns and run_polling shuts everything down in order.
            self._stopped_loop = True
            self.application.stop_running()
            return
        # Not running yet: honoured after post_init if we are still before that check;
        # otherwise (start_polling in progress) look again until start() has run.
        self.application.stop_running()
        self.loop.call_later(RECHECK_SECONDS, self._stop_when_running)
