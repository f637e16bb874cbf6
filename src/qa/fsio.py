"""Durable file operations: whole-file writes renamed into place, moves, and a folder lock.

A crash at any moment leaves either the old file or the new one: data is written to a
temporary file in the same folder, fsynced, renamed over the target, and the folder itself
is fsynced so the rename survives a power cut.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

TMP_SUFFIX = ".tmp"


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
