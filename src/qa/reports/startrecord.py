"""What the last load of a folder came to, so that a start with nothing changed does no work
per report beyond its stat.

A load through the parsed-report cache computes, per file, an entry key (name, digest, manifest
metadata, parser) and looks it up; at 3.4×10⁴ files that, the digests' lookup and building the
key map cost ≈ 0.4 s of every warm start, although the answer is the same as last time. The
record keeps that answer: the folder's inputs (report file names, the manifest's bytes, the
readable extensions), each read file's stat fingerprint (``qa.reports.filestat``), the parsed
cache it was loaded from (that file's own fingerprint and footer trailer), and per report the
file it came from and its row in that cache, with the files skipped and why.

A start whose inputs, fingerprints and cache all match takes the reports straight from those
rows; any difference (a file added, removed, edited or touched; the manifest; the parser, which
rewrites the cache) falls back to the full load, which writes a new record. A fingerprint taken
within ``RACY_NS`` of its file's last change is never recorded (as in ``filestat``): such a load
writes no record, and the next start loads in full.

Layout (format 1): a JSON line ``{"format", "inputs", "cache", "skipped", "found", "reports",
"crc"}`` (``crc``: the crc32 of what follows),
then ``found`` fingerprints (``FINGERPRINT``, 40 bytes each), ``found`` file numbers (uint32:
into the folder's sorted listing) and ``reports`` pairs of uint32 (the file number and the
cache row of each report, in order). Written atomically; a missing or damaged record only means
a full load.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import zlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.fsio import write_cache
from qa.models import Report

from . import filestat
from .filestat import FINGERPRINT, fingerprint
from .parsecache import ParsedCache

FORMAT = 1
_U32 = "I"  # array typecode of 4 bytes on every platform CPython supports


@dataclass(frozen=True, slots=True)
class StartRecord:
    """A folder's last full load: its inputs, what each read file looked like, what came of it.

    ``found``: numbers (into the folder's sorted listing) of the files read; ``prints``: their
    fingerprints joined in that order; ``files`` and ``rows``: per report, its file's number
    and its row in the parsed cache named by ``cache``.
    """

    inputs: str
    cache: str
    skipped: tuple[tuple[str, str], ...]
    found: array[int]
    prints: bytes
    files: array[int]
    rows: array[int]


def inputs_digest(readable: Sequence[str], manifest: bytes | None, listing: Sequence[str]) -> str:
    """Return the digest of what decides a load besides the files' contents: the extensions
    read, the manifest's bytes (None: no manifest) and the folder's sorted listing (every
    name in it, so which files are reports and which are set aside follows)."""
    digest = hashlib.blake2b(f"start record {FORMAT}".encode(), digest_size=16)
    digest.update(repr((tuple(readable), manifest is None)).encode())
    digest.update(hashlib.blake2b(manifest or b"", digest_size=16).digest())
    # "\0" cannot occur in a file name, so the joined names are unambiguous.
    digest.update("\0".join(listing).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def settled(print_time_ns: int, now_ns: int | None = None) -> bool:
    """Return whether a file last changed at ``print_time_ns`` may be recorded by its stat."""
    # Read at each call, as filestat does: one setting for both.
    return print_time_ns < (time.time_ns() if now_ns is None else now_ns) - filestat.RACY_NS


def read_record(path: Path) -> StartRecord | None:
    """Return the record stored at ``path``, or None if there is none or it is damaged."""
    try:
        data = path.read_bytes()
        line, _, rest = data.partition(b"\n")
        head = json.loads(line)
        found, count = int(head["found"]), int(head["reports"])
        sizes = (FINGERPRINT.size * found, 4 * found, 8 * count)
        if head.get("format") != FORMAT or len(rest) != sum(sizes) \
                or zlib.crc32(rest) != head["crc"]:
            return None
        prints, numbers, pairs = rest[:sizes[0]], _u32(rest[sizes[0]:sizes[0] + sizes[1]]), \
            _u32(rest[sizes[0] + sizes[1]:])
        skipped = tuple((str(name), str(why)) for name, why in head["skipped"])
        return StartRecord(str(head["inputs"]), str(head["cache"]), skipped, numbers, prints,
                           pairs[0::2], pairs[1::2])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_record(path: Path, record: StartRecord) -> bool:
    """Write a record atomically (best effort, as every cache); False if it was not written."""
    head = {"format": FORMAT, "inputs": record.inputs, "cache": record.cache,
            "skipped": [list(s) for s in record.skipped], "found": len(record.found),
            "reports": len(record.files)}
    pairs = array(_U32, bytes(8 * len(record.files)))
    pairs[0::2], pairs[1::2] = record.files, record.rows
    rest = record.prints + record.found.tobytes() + pairs.tobytes()
    head["crc"] = zlib.crc32(rest)
    return write_cache(path, [json.dumps(head, ensure_ascii=False).encode("utf-8"), b"\n", rest])


def _u32(data: bytes) -> array[int]:
    numbers = array(_U32)
    if numbers.itemsize != 4:
        raise ValueError("no 4-byte unsigned array type")
    numbers.frombytes(data)
    return numbers


# (folder, file name) → the file's Path, as the loader makes it.
ChildPath = Callable[[Path, str], Path]


class WarmStart:
    """One load's use of a folder's record: the reports as recorded when nothing changed, and
    a new record once a full load is done."""

    def __init__(self, path: Path, inputs: str, cache: ParsedCache) -> None:
        self.path = path
        self.inputs = inputs
        self.cache = cache
        self.now_ns = time.time_ns()  # fingerprints taken later are judged against this

    def reports(self, folder: Path, names: Sequence[str], child: ChildPath
                ) -> tuple[list[Report], tuple[tuple[str, str], ...]] | None:
        """Return the reports and skipped files as recorded if every input is unchanged."""
        record = read_record(self.path)
        identity = self.cache.identity()
        if record is None or not identity or record.cache != identity \
                or record.inputs != self.inputs or not _within(record, len(names)):
            return None
        prints = []
        for number in record.found:
            try:
                prints.append(fingerprint(os.stat(f"{folder}{os.sep}{names[number]}")) or b"")
            except OSError:
                return None
        if b"".join(prints) != record.prints:
            return None
        found = self.cache.reports_at(record.rows, [child(folder, names[n]) for n in record.files])
        return None if found is None else (found, record.skipped)

    def fingerprint(self, stat: os.stat_result) -> bytes | None:
        """Return a file's fingerprint if it may be recorded (its last change is not racy)."""
        changed = max(stat.st_mtime_ns, stat.st_ctime_ns)
        return fingerprint(stat) if settled(changed, self.now_ns) else None

    def remember(self, listing: Sequence[str], found: Sequence[str],
                 prints: Sequence[bytes | None], final: ParsedCache | None,
                 reports: Sequence[Report], skipped: Sequence[tuple[str, str]]) -> None:
        """Record a full load: the files read (``found``, names in ``listing``) with their
        fingerprints, and each report's file and row in ``final``, the cache it came from."""
        if final is None or not final.identity() or len(prints) != len(found) \
                or any(p is None for p in prints):
            return
        number = {name: i for i, name in enumerate(listing)}
        rows = [final.row_of(r) for r in reports]
        files = [number.get(r.source_path.name, -1) if r.source_path else -1 for r in reports]
        if any(row is None for row in rows) or -1 in files:
            return
        write_record(self.path, StartRecord(
            self.inputs, final.identity(), tuple(skipped),
            array(_U32, [number[name] for name in found]),
            b"".join(p for p in prints if p is not None), array(_U32, files),
            array(_U32, [row for row in rows if row is not None])))


def _within(record: StartRecord, files: int) -> bool:
    """Return whether a record's file numbers are all numbers of the folder's files."""
    return all(max(numbers, default=0) < max(files, 1) for numbers in (record.found, record.files))
