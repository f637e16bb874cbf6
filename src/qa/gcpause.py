"""Pause Python's cyclic garbage collector while a large, long-lived structure is built.

Opening a library of 10⁶ passages creates a few hundred thousand objects (reports, cache
entries, paths) that all stay alive. Each collection the allocations trigger walks the
objects of its generation, the older ones ever more of them, finding nothing to free: about a
quarter of a warm start at 10⁶. Reference counting still frees everything as usual; only the
search for cycles waits until the outermost pause ends (pauses nest and may overlap across
threads).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable cyclic collection for the block; restore it when the last pause ends."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
