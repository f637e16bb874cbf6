"""Per-group send pacing: Telegram lets a bot post about 20 messages a minute into one group.

``ChatPace`` books each group's sends in a sliding window and says how long the next one
would wait, so a handler can choose *before* sending whether to answer now or to coalesce
(bot/flooded.py). ``PacedRateLimiter`` is PTB's rate-limiter hook: per group it waits for a
booked slot, then hands the call to PTB's ``AIORateLimiter`` for the bot-wide 30/s limit.
PTB's own per-group limiter is left off: it cannot say how long a group's queue is.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

from .send import retry_seconds

GROUP_LIMIT = int(FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP)  # 20
GROUP_PERIOD = 60.0
# A little over the minute: Telegram's clock and ours are not the same clock.
MARGIN = 0.5
# Calls that post or change a message in the chat: the ones Telegram's group limit counts.
PACED_METHODS = frozenset({
    "sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "editMessageText",
    "editMessageReplyMarkup", "editMessageCaption", "copyMessage", "forwardMessage",
})


class ChatPace:
    """Sends booked per group chat: at most ``limit`` in any ``period`` seconds."""

    def __init__(self, limit: int = GROUP_LIMIT, period: float = GROUP_PERIOD,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.period, self.clock = limit, period + MARGIN, clock
        self._booked: dict[int, deque[float]] = {}
        self._blocked: dict[int, float] = {}  # a 429's retry_after: no send before then

    @staticmethod
    def paced(chat_id: int) -> bool:
        """Tell whether a chat is paced (groups, supergroups and channels have negative ids)."""
        return chat_id < 0

    def _times(self, chat_id: int, now: float) -> deque[float]:
        times = self._booked.setdefault(chat_id, deque())
        while times and times[0] <= now - self.period:
            times.popleft()
        if not times:
            del self._booked[chat_id]
        return times

    def _next(self, chat_id: int, now: float) -> float:
        times = self._times(chat_id, now)
        at = max(now, self._blocked.get(chat_id, now), times[-1] if times else now)
        if len(times) >= self.limit:
            at = max(at, times[-self.limit] + self.period)
        return at

    def wait(self, chat_id: int) -> float:
        """Return how many seconds a send to this chat booked now would wait."""
        if not self.paced(chat_id):
            return 0.0
        now = self.clock()
        return self._next(chat_id, now) - now

    def used(self, chat_id: int) -> int:
        """Return how many sends to this chat are booked in the current window."""
        return len(self._times(chat_id, self.clock())) if self.paced(chat_id) else 0

    def book(self, chat_id: int) -> float:
        """Book the chat's next free send time; return the seconds to wait for it."""
        if not self.paced(chat_id):
            return 0.0
        now = self.clock()
        at = self._next(chat_id, now)
        self._booked.setdefault(chat_id, deque()).append(at)
        return at - now

    def hold_off(self, chat_id: int, seconds: float) -> None:
        """Telegram said 429 for this chat: nothing more before ``seconds`` from now."""
        self._blocked[chat_id] = max(self._blocked.get(chat_id, 0.0), self.clock() + seconds)


def group_of(data: dict[str, Any]) -> int | None:
    """Return the paced chat a request goes to, or None."""
    with contextlib.suppress(TypeError, ValueError):
        chat_id = int(data.get("chat_id"))  # type: ignore[arg-type]
        return chat_id if ChatPace.paced(chat_id) else None
    return None


class PacedRateLimiter(BaseRateLimiter[None]):
    """Wait for the group's booked slot, then apply PTB's bot-wide limit (no retries here:
    bot/send.py is the one place that retries)."""

    def __init__(self, pace: ChatPace) -> None:
        self.pace = pace
        self._overall = AIORateLimiter(overall_max_rate=FloodLimit.MESSAGES_PER_SECOND,
                                       group_max_rate=0, max_retries=0)

    async def initialize(self) -> None:
        """Initialise PTB's limiter."""
        await self._overall.initialize()

    async def shutdown(self) -> None:
        """Shut PTB's limiter down."""
        await self._overall.shutdown()

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[Any]]],
        args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[Any]:
        """Pace the call by its group, then pass it on; note a 429 for that group."""
        chat_id = group_of(data) if endpoint in PACED_METHODS else None
        if chat_id is not None:
            await asyncio.sleep(self.pace.book(chat_id))
        try:
            return await self._overall.process_request(callback, args, kwargs, endpoint, data,
                                                       None)
        except RetryAfter as exc:
            if chat_id is not None:
                self.pace.hold_off(chat_id, retry_seconds(exc))
            raise
