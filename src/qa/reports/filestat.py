"""Report files' digests remembered by their stat, as git's index does: a start reads no file
that has not changed.

A file's fingerprint is (size, mtime_ns, ctime_ns, inode, device). Any write to a file moves its
ctime, which ``os.utime`` cannot set back; replacing it by a rename changes its inode. So while
the fingerprint matches, the bytes are the ones that were hashed. A fingerprint taken within
``RACY_NS`` of the file's last change is not remembered (a second write in the same clock tick
could leave every field as it was), so such a file is hashed again at the next start. The map
is one file written atomically; a missing or damaged one only means hashing every file.

Layout (format 2): a JSON line ``{"format": 2, "names": [...], "digests": "<hex>…"}`` (the
digests' hex strings joined, one per name) followed by each name's fingerprint packed as
``FINGERPRINT`` (40 bytes, in the names' order). A start compares each file's packed stat with
its 40 bytes: no list of five numbers is built per file, as the JSON of format 1 did (≈ 0.1 s of
a start at 3.4×10⁴ files).
"""

from __future__ import annotations

import json
import os
import struct
import time
from pathlib import Path

from qa.fsio import write_cache

FORMAT = 2
RACY_NS = 2_000_000_000
FINGERPRINT = struct.Struct("<qqqQQ")  # size, mtime_ns, ctime_ns, inode, device
DIGEST_CHARS = 32  # qa.reports.parsecache.content_digest: 16 bytes in hex


def fingerprint(stat: os.stat_result) -> bytes | None:
    """Return what must stay the same for a file's bytes to be taken as unchanged, packed
    (None if a field does not fit: such a file is hashed at every start)."""
    try:
        return FINGERPRINT.pack(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino,
                                stat.st_dev)
    except struct.error:
        return None


class FileDigests:
    """The remembered digests of one folder's files, and those seen in this pass; each digest
    ``width`` ASCII characters (a parsed-cache key's 32 by default)."""

    def __init__(self, path: Path, width: int = DIGEST_CHARS) -> None:
        self.path = path
        self.width = width
        self._names, self._digests, self._prints = _read(path, width)
        self._rows = dict(zip(self._names, range(len(self._names)), strict=True))
        # What this pass saw: a stored row's number, or a new (fingerprint, digest).
        self._seen: dict[str, int | tuple[bytes, str]] = {}

    def known(self, name: str, stat: os.stat_result) -> str | None:
        """Return the digest remembered for a file if its fingerprint has not changed."""
        row = self._rows.get(name)
        if row is None:
            return None
        at = row * FINGERPRINT.size
        if fingerprint(stat) != self._prints[at:at + FINGERPRINT.size]:
            return None
        self._seen[name] = row
        return self._digests[row * self.width:(row + 1) * self.width]

    def remember(self, name: str, stat: os.stat_result, digest: str) -> None:
        """Remember a file's digest (taken after ``stat``) unless its last change is too recent."""
        packed = fingerprint(stat)
        if packed is not None and len(digest) == self.width and digest.isascii() \
                and max(stat.st_mtime_ns, stat.st_ctime_ns) < time.time_ns() - RACY_NS:
            self._seen[name] = (packed, digest)

    def save(self) -> None:
        """Write what this pass saw (files gone are forgotten), if it differs from the file."""
        if len(self._seen) == len(self._names) and all(
                isinstance(row, int) for row in self._seen.values()):
            return  # every stored file, each unchanged
        names, digests, prints = [], [], []
        for name, row in self._seen.items():
            if isinstance(row, int):
                at = row * FINGERPRINT.size
                row = (self._prints[at:at + FINGERPRINT.size],
                       self._digests[row * self.width:(row + 1) * self.width])
            names.append(name)
            prints.append(row[0])
            digests.append(row[1])
        head = {"format": FORMAT, "names": names, "digests": "".join(digests)}
        write_cache(self.path, [json.dumps(head, ensure_ascii=False).encode("utf-8"), b"\n",
                                *prints])


def _read(path: Path, width: int) -> tuple[list[str], str, bytes]:
    """Return the stored names, joined digests and packed fingerprints (none if unreadable)."""
    try:
        data = path.read_bytes()
        line, _, prints = data.partition(b"\n")
        head = json.loads(line)
        names, digests = head["names"], head["digests"]
        if head.get("format") == FORMAT and isinstance(names, list) \
                and all(isinstance(n, str) for n in names) and isinstance(digests, str) \
                and len(digests) == width * len(names) \
                and len(prints) == FINGERPRINT.size * len(names) \
                and len(set(names)) == len(names):
            return names, digests, prints
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return [], "", b""
