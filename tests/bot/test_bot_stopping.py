"""GracefulStop against run_polling's loop calls: a stop signal always ends run_forever.

The process test (test_bot_lifecycle) hits the race below only now and then under load; here
it is made to happen every time. PTB 22's ``run_polling`` runs ``run_until_complete(start())``
and then ``run_forever()``; ``stop_running()`` stops the loop once the Application runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from qa_bot.runtime.stopping import GracefulStop

GUARD_S = 10.0


class _Updater:
    def __init__(self) -> None:
        self.running = True  # start_polling has run


class _Application:
    """PTB's ``running`` / ``updater`` / ``stop_running()`` as run_polling sees them."""

    def __init__(self) -> None:
        self.running = False
        self.updater: _Updater | None = _Updater()
        self.marker = False
        self.on_start: list[GracefulStop] = []

    def stop_running(self) -> None:
        if self.running:
            asyncio.get_running_loop().stop()
        else:
            self.marker = True

    async def start(self) -> None:
        self.running = True
        for stopper in self.on_start:
            # The signal is handled in the next turn, the one where run_until_complete's own
            # done callback stops the loop: both stops are used up by run_until_complete.
            asyncio.get_running_loop().call_soon(stopper.request)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def _run_forever_with_guard(loop: asyncio.AbstractEventLoop) -> bool:
    """Run the loop as run_polling does; True when something other than the guard stopped it."""
    fired: list[bool] = []

    def give_up() -> None:
        fired.append(True)
        loop.stop()

    guard = loop.call_later(GUARD_S, give_up)
    loop.run_forever()
    guard.cancel()
    return not fired


def test_a_stop_in_the_turn_start_ends_is_not_lost(loop: asyncio.AbstractEventLoop) -> None:
    application = _Application()
    stopper = GracefulStop(application, loop)
    application.on_start.append(stopper)
    loop.run_until_complete(application.start())
    assert _run_forever_with_guard(loop), "run_forever never returned after the stop signal"


def test_the_stop_is_not_repeated_once_the_shutdown_began(loop: asyncio.AbstractEventLoop) -> None:
    application = _Application()
    stopper = GracefulStop(application, loop)
    loop.run_until_complete(application.start())
    loop.call_soon(stopper.request)
    assert _run_forever_with_guard(loop)
    # run_polling's finally: updater.stop() clears its flag first, then awaits. A repeated
    # loop.stop() here would end this step early ("Event loop stopped before Future completed").
    assert application.updater is not None
    application.updater.running = False
    loop.run_until_complete(asyncio.sleep(0.3))
    application.running = False
    loop.run_until_complete(asyncio.sleep(0.3))


def test_a_stop_before_start_sets_the_marker_then_stops_the_loop(
        loop: asyncio.AbstractEventLoop) -> None:
    application = _Application()
    stopper = GracefulStop(application, loop)
    stopper.request()  # during start_polling: not running yet
    assert application.marker
    loop.run_until_complete(application.start())
    assert _run_forever_with_guard(loop)
