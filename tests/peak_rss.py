"""Measure this process's peak memory while a block runs (the bot runs in-process in tests)."""

from __future__ import annotations

import threading

import psutil


class PeakRss:
    """Sample this process's RSS every 20 ms in a thread; ``growth`` is the peak above the start."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self.stopped.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopped.set()
        self.thread.join()

    @property
    def growth(self) -> int:
        """Return the peak RSS above the RSS at the start, in bytes."""
        return self.peak - self.start
