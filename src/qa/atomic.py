"""How caches reach the disk: through ``qa.fsio``'s one atomic writer, best effort.

A reader sees the old file or the new one, never half of one, even after a crash or power
cut mid-write. A cache that cannot be written (a read-only folder) is skipped: it only costs
the next start its speed-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from . import fsio

logger = logging.getLogger(__name__)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> bool:
    """Replace ``path`` with ``data`` (bytes or chunks) atomically; return False if skipped."""
    return write_atomic_with(path, lambda out: _write_chunks(out, data))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], None]) -> bool:
    """Replace ``path`` with what ``write(file)`` writes (``qa.fsio``); False if skipped."""
    try:
        fsio.write_atomic_with(path, write)
        return True
    except OSError as exc:
        logger.warning("could not write cache %s: %s", path, exc)
        return False


def _write_chunks(out: BinaryIO, data: bytes | Iterable[bytes]) -> None:
    if isinstance(data, bytes):
        out.write(data)
        return
    for chunk in data:
        out.write(chunk)
