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

from .atomic import write_atomic

FORMAT = 1
RACY_NS = 2_000_000_000

Fingerprint = tuple[int, int, int, int, int]


def fingerprint(stat: os.stat_result) -> Fingerprint:
    """Return what must stay the same for a file's bytes to be taken as unchanged."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


class FileDigests:
    """The remembered digests of one folder's files, and those seen in this pass."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._known = _read(path)
        self._seen: dict[str, tuple[Fingerprint, str]] = {}

    def known(self, name: str, stat: os.stat_result) -> str | None:
        """Return the digest remembered for a file if its fingerprint has not changed."""
        entry = self._known.get(name)
        if entry is None or entry[0] != fingerprint(stat):
            return None
        self._seen[name] = entry
        return entry[1]

    def remember(self, name: str, stat: os.stat_result, digest: str) -> None:
        """Remember a file's digest (taken after ``stat``) unless its last change is too recent."""
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < time.time_ns() - RACY_NS:
            self._seen[name] = (fingerprint(stat), digest)

    def save(self) -> None:
        """Write what this pass saw (files gone are forgotten), if it differs from the file."""
        if self._seen == self._known:
            return
        rows = {name: [*fp, digest] for name, (fp, digest) in self._seen.items()}
        data = json.dumps({"format": FORMAT, "files": rows}, ensure_ascii=False)
        write_atomic(self.path, data.encode("utf-8"))


def _read(path: Path) -> dict[str, tuple[Fingerprint, str]]:
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != FORMAT:
            return {}
        return {str(name): ((int(a), int(b), int(c), int(d), int(e)), str(digest))
                for name, (a, b, c, d, e, digest) in data["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
