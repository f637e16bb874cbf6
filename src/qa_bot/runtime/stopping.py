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
from typing import Protocol

logger = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)
RECHECK_SECONDS = 0.05


class _Updater(Protocol):
    @property
    def running(self) -> bool: ...


class RunPolling(Protocol):
    """What GracefulStop uses of a PTB Application that is inside ``run_polling``."""

    @property
    def running(self) -> bool: ...

    @property
    def updater(self) -> _Updater | None: ...

    def stop_running(self) -> None: ...


class GracefulStop:
    """Turn SIGINT/SIGTERM into ``stop_running()`` at the first moment it takes effect."""

    def __init__(self, application: RunPolling, loop: asyncio.AbstractEventLoop) -> None:
        self.application = application
        self.loop = loop
        self.requested = False
        self._started = False

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
        application = self.application
        self._started = self._started or application.running
        updater = application.updater
        if self._started and not (updater is not None and updater.running):
            return  # run_polling's shutdown has begun: it stops the updater first
        # Before post_init returns this sets PTB's marker; once running it stops the loop.
        application.stop_running()
        # Look again until the shutdown has begun. A loop.stop() that lands in the same loop
        # turn as the end of ``run_until_complete(start())`` is used up by that call, and the
        # ``run_forever()`` that follows would then never return; so a stop is repeated until
        # it takes. (Once the updater is stopped, repeating could end a shutdown step early.)
        self.loop.call_later(RECHECK_SECONDS, self._stop_when_running)
