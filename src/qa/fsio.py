"""Durable file operations: whole-file writes renamed into place, moves, and a folder lock.

Two writers, two contracts: ``write_atomic`` raises (reports, manifests, segments: losing one
is an error), ``write_cache`` returns False (a cache that cannot be written is only skipped).

A crash at any moment leaves either the old file or the new one: data is written to a
temporary file in the same folder, fsynced, renamed over the target, and the folder itself
is fsynced so the rename survives a power cut.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

TMP_SUFFIX = ".tmp"
logger = logging.getLogger(__name__)


def tmp_path(path: Path) -> Path:
    """Return the temporary name a write to path goes through (hidden, never ``*.txt``)."""
    return path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path so that a crash leaves the old content or the new, never a mix."""
    write_atomic_with(path, lambda out: out.write(data))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Replace path with what ``write(file)`` writes: temp file, fsync, rename, fsync folder.

    The one writer of the project: reports, manifests, segments and caches all go through it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = tmp_path(path)
    try:
        with temporary.open("wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def move_durably(source: Path, target: Path) -> None:
    """Rename source to target (same file system) and flush both folders."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    fsync_dir(target.parent)
    if source.parent != target.parent:
        fsync_dir(source.parent)


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on path (created if missing) for the block."""
    with path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

def write_cache(path: Path, data: bytes | Iterable[bytes]) -> bool:
    """Replace ``path`` with ``data`` (bytes or chunks) atomically; return False if skipped."""
    return write_cache_with(path, lambda out: _write_chunks(out, data))


def write_cache_with(path: Path, write: Callable[[BinaryIO], None]) -> bool:
    """Replace ``path`` like ``write_atomic_with``, best effort: False if it could not be written.

    For caches only: one that cannot be written (a read-only folder) costs the next start its
    speed-up, never the answer.
    """
    try:
        write_atomic_with(path, write)
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
