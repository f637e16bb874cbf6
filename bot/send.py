"""Send with retries: Telegram's flood limits and network hiccups must not lose an answer."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from .request import MaybeSent

T = TypeVar("T")
logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
MAX_WAIT_SECONDS = 30.0


def retry_seconds(exc: RetryAfter) -> float:
    """Return how long Telegram asked us to wait, whichever type PTB reports it as."""
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after will become a timedelta; both forms are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def with_retries(send: Callable[[], Awaitable[T]], attempts: int = MAX_ATTEMPTS,
                       once: bool = False) -> T:
    """Await send(), retrying after RetryAfter, TimedOut and NetworkError (not BadRequest).

    ``once=True`` is for calls that must not happen twice (a new message): a failure after
    the call went out (MaybeSent: Telegram may have delivered it) is raised, not retried.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except RetryAfter as exc:
            if attempt == attempts:
                raise
            wait = min(retry_seconds(exc), MAX_WAIT_SECONDS)
        except BadRequest:
            raise  # our request is wrong; sending it again cannot help
        except (TimedOut, NetworkError) as exc:
            if attempt == attempts or (once and isinstance(exc, MaybeSent)):
                raise
            wait = 0.2 * 2**attempt
            logger.warning("Send failed (%s), retry %d in %.1fs", exc, attempt, wait)
        await asyncio.sleep(wait)
    raise AssertionError("unreachable")
