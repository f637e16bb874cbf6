"""The one retry layer for Bot API calls: flood limits and network hiccups must not lose an answer.

PTB's rate limiter only spaces calls (``max_retries=0``); every retry happens here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

T = TypeVar("T")
logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
MAX_WAIT_SECONDS = 30.0
# httpx failures that happen before a request leaves: sending again cannot show it twice.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def retry_seconds(exc: RetryAfter) -> float:
    """Return how long Telegram asked us to wait."""
    value = exc.retry_after  # a timedelta with PTB_TIMEDELTA=1 (set by main), else seconds
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def maybe_sent(exc: BaseException) -> bool:
    """Tell whether a failed call may have reached Telegram (it failed after going out)."""
    # An HTTP error status (502 …) is an answer: the call was refused, not carried out.
    cause = exc.__cause__
    return isinstance(cause, httpx.HTTPError) and not isinstance(cause, _NEVER_SENT)


async def with_retries(send: Callable[[], Awaitable[T]], attempts: int = MAX_ATTEMPTS,
                       once: bool = False) -> T:
    """Await send(), retrying after RetryAfter, TimedOut and NetworkError (not BadRequest).

    ``once=True`` is for calls that must not happen twice (a new message): a failure after
    the call went out (Telegram may have delivered it) is raised, not retried.
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
            if attempt == attempts or (once and maybe_sent(exc)):
                raise
            wait = 0.2 * 2**attempt
            logger.warning("Send failed (%s), retry %d in %.1fs", exc, attempt, wait)
        await asyncio.sleep(wait)
    raise AssertionError("unreachable")
