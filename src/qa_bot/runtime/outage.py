"""One warning when polling Telegram starts failing, one line when it works again."""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)


class PollingOutage:
    """Track whether getUpdates is failing, so PTB's retries do not flood the log."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.failures = 0

    def report(self, error: Exception) -> None:
        """Note a failed getUpdates; only the first of an outage is logged."""
        self.failures += 1
        if self.since is None:
            self.since = time.monotonic()
            logger.warning("Cannot reach Telegram (%s); polling keeps retrying", error)

    def clear(self) -> None:
        """Note a successful getUpdates; log the end of an outage."""
        if self.since is not None:
            logger.warning("Telegram reachable again after %.0f s (%d failed polls)",
                           time.monotonic() - self.since, self.failures)
            self.since, self.failures = None, 0
