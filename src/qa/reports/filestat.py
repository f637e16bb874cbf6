"""Report files' digests remembered by their stat, as git's index does: a start reads no file
that has not changed.

A file's fingerprint is (size, mtime_ns, ctime_ns, inode, device). Any write to a file moves its
ctime, which ``os.utime`` cannot set back; replacing it by a rename changes its inode. So while
the fingerprint matches, the bytes are the ones that were hashed. A fingerprint taken within
``RACY_NS`` of the file's last change is not remembered (a second write in the same clock tick
could leave every field as it was), so such a file is hashed again at the next start. The map
is one JSON file written atomically; a missing or damaged one only means hashing every file.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from qa.fsio import write_cache

FORMAT = 1
RACY_NS = 2_000_000_000

Fingerprint = list[int]


def fingerprint(stat: os.stat_result) -> Fingerprint:
    """Return what must stay the same for a file's bytes to be taken as unchanged."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]


class FileDigests:
    """The remembered digests of one folder's files, and those seen in this pass."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._known = _read(path)
        # name → [*fingerprint, digest], as stored: rows are compared, never converted.
        self._seen: dict[str, list[Any]] = {}

    def known(self, name: str, stat: os.stat_result) -> str | None:
        """Return the digest remembered for a file if its fingerprint has not changed."""
        row = self._known.get(name)
        # Field by field, as ``fingerprint`` lists them: no list is built for 10⁴ files a start.
        if not (isinstance(row, list) and len(row) == 6 and row[0] == stat.st_size
                and row[1] == stat.st_mtime_ns and row[2] == stat.st_ctime_ns
                and row[3] == stat.st_ino and row[4] == stat.st_dev):
            return None
        self._seen[name] = row
        return str(row[-1])

    def remember(self, name: str, stat: os.stat_result, digest: str) -> None:
        """Remember a file's digest (taken after ``stat``) unless its last change is too recent."""
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < time.time_ns() - RACY_NS:
            self._seen[name] = [*fingerprint(stat), digest]

    def save(self) -> None:
        """Write what this pass saw (files gone are forgotten), if it differs from the file."""
        if self._seen == self._known:
            return
        data = json.dumps({"format": FORMAT, "files": self._seen}, ensure_ascii=False)
        write_cache(self.path, data.encode("utf-8"))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
        files = data["files"] if data.get("format") == FORMAT else {}
        return files if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
