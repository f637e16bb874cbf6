"""The one way caches reach the disk: write a temporary file, fsync it, rename it into place.

A reader sees the old file or the new one, never half of one, even after a crash or power
cut mid-write. A cache that cannot be written (a read-only folder) is skipped: it only costs
the next start its speed-up.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__name__)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> bool:
    """Replace ``path`` with ``data`` (bytes or chunks) atomically; return False if skipped."""
    return write_atomic_with(path, lambda out: _write_chunks(out, data))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], None]) -> bool:
    """Replace ``path`` with what ``write(file)`` writes, atomically; False if skipped."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)  # the rename itself must survive a power cut too
        return True
    except OSError as exc:
        logger.warning("could not write cache %s: %s", path, exc)
        tmp.unlink(missing_ok=True)
        return False


def _write_chunks(out: BinaryIO, data: bytes | Iterable[bytes]) -> None:
    if isinstance(data, bytes):
        out.write(data)
        return
    for chunk in data:
        out.write(chunk)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
