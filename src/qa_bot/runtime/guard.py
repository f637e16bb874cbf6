"""Per-user flood guard: a sliding window of question times, with one notice per burst."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a question may be answered; if not, whether to tell the user and how long to wait."""

    allowed: bool
    notify: bool = False
    wait_seconds: int = 0


class FloodGuard:
    """Allow at most ``limit`` questions per user per ``period`` seconds."""

    def __init__(self, limit: int = 20, period: float = 60.0,
                 clock: Callable[[], float] = time.monotonic,
                 exempt: frozenset[int] = frozenset()) -> None:
        self.limit, self.period, self.clock, self.exempt = limit, period, clock, exempt
        self._times: dict[int, deque[float]] = {}
        self._notified: set[int] = set()

    def check(self, user_id: int | None) -> Verdict:
        """Record a question by user_id and return the verdict."""
        if user_id is None or user_id in self.exempt or self.limit <= 0:
            return Verdict(True)
        now = self.clock()
        times = self._times.setdefault(user_id, deque())
        while times and now - times[0] >= self.period:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._notified.discard(user_id)
            return Verdict(True)
        # Only the first refused question of a burst gets a notice, so the guard never floods.
        notify = user_id not in self._notified
        self._notified.add(user_id)
        return Verdict(False, notify, max(1, math.ceil(self.period - (now - times[0]))))
