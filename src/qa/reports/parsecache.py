"""Parsed reports kept beside the token cache: a restart with unchanged files skips parsing.

An entry is keyed by the file's name, a digest of its bytes and its manifest metadata plus the
parser's own source, so editing a report, its reports.toml entry or the parser invalidates
exactly what it should. Opening the cache reads only its footer (per report: id, title, unit,
year, the year it reviews, one kind letter per passage, its sections' item counts); a report's
body is read when first used, and only the passages asked for are decoded
(``qa.reports.bodies``); the last ``CACHED_REPORTS`` read stay in memory, so a start at 10⁶
passages builds none of them. Bodies are JSON (safe to read whatever wrote them); a missing,
stale or unreadable cache only means parsing again, and a damaged body found later means
parsing that one file again.

Layout (format 6): a JSON header line, one body line per report (a JSON head, then its passage
rows, each a JSON array, so that one decodes alone: ``qa.reports.bodies.encode_body``), a JSON
footer line
``{"columns": [[key, …], [offset, …], [length, …], [crc32, …], [id, …], [title, …], [unit, …],
[year, …], [kinds, …], [digest, …]], "later": "[[covered, …], [items, …]]"}`` (one value per
report in each column; ``digest``: of the indexed texts, ``qa.indexed.texts_digest``, the
segment index's key; ``later``: the JSON of two more columns, kept as one string and decoded
on first use, not at every start: ``covered``, the year the report reviews when not ``year``,
else "", ``qa.language.report_years``; ``items``, ``qa.models.item_codes``), then the
footer's offset (20 digits) and crc32 (10 digits) and a newline. A body whose crc32
does not match is damaged: it is parsed again when used and never copied into a new cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeVar

from qa.data import sources_digest
from qa.fsio import write_cache_with
from qa.language import report_years
from qa.models import Deferred, Passage, Report, Section, item_codes, texts_digest

from .bodies import Body, BodyCache, Packed, decode_body, encode_body, unpack_sections
from .filestat import fingerprint

FORMAT = 6
# The modules and data files whose content decides a parsed report; modules named, not
# located, so files can move.
_PARSER_MODULES = ("qa.reports.clean", "qa.reports.structure", "qa.reports.ingest", "qa.models",
                   "qa.reports.parsecache", "qa.reports.bodies", "qa.reports.headings",
                   "qa.reports.sectionkind", "qa.reports.enumerations", "qa.reports.longtext",
                   "qa.language.docmeta",  # a file without a manifest entry: unit and year
                   "qa.language.years",  # the year a report reviews (its footer entry)
                   "qa.language.shortcoming",  # a paragraph of shortcomings (sectionkind)
                   # Documents in the reports folder are converted first (documents/convert.py).
                   "qa.language.lookalike", "qa.documents.convert", "qa.documents.docx",
                   "qa.documents.doc", "qa.documents.pdf", "qa.documents.tablerows",
                   "qa.documents.ocr")
_PARSER_DATA = ("section_cues.txt",)
_TRAILER = 31  # the footer's offset (20 digits), its crc32 (10 digits) and a newline
# Report bodies kept in memory once read (≈ 30 KB each); the rest are read again when used.
CACHED_REPORTS = 2048

T = TypeVar("T")
# Parse a report's file again when its cached body is damaged: (id, title, source) → sections.
Reparse = Callable[[str, str, Path | None], tuple[Section, ...]]


@cache
def parser_version() -> str:
    """Return a hash of the parser's source files: any change to them invalidates entries."""
    return sources_digest(f"format {FORMAT}", _PARSER_MODULES, _PARSER_DATA)


@cache
def _seeded_key() -> hashlib.blake2b:
    """Return the hash every entry key starts from (the parser's version), to be copied."""
    return hashlib.blake2b(parser_version().encode(), digest_size=16)


def content_digest(data: bytes) -> str:
    """Return the digest of a report file's bytes (what ``qa.filestat`` remembers)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def entry_key(name: str, digest: str, meta: tuple[str, str, str]) -> str:
    """Return the cache key of one report file: its name, bytes' digest and manifest metadata."""
    key = _seeded_key().copy()
    # A tuple's repr is unambiguous and far cheaper than JSON for 10⁴ files a start.
    key.update(repr((name, digest, *meta)).encode("utf-8", "surrogatepass"))
    return key.hexdigest()


def pack(report: Report) -> Packed:
    """Return a report as plain JSON data (passage ids and titles are rebuilt on unpack)."""
    return [report.report_id, report.title, report.unit, report.year, [
        [s.index, list(s.path), s.kind,
         [[list(p.section_path), p.kind, p.text, p.label] for p in s.passages]]
        for s in report.sections]]


def unpack(packed: Packed, source: Path | None, key: str = "") -> Report:
    """Rebuild the Report that ``pack`` stored, numbering passages as the parser does."""
    report_id, title, unit, year, _ = packed
    return Report(report_id, title, source, unpack_sections(packed), unit, year, key)


@dataclass(frozen=True, slots=True)
class StoredBody:
    """A parsed report as the cache stores it: its body's JSON and its footer fields.

    Made where the report was parsed (a worker process of a cold load), so the process that
    writes the cache copies bytes and never builds the report's passages.
    """

    key: str
    body: bytes
    report_id: str
    title: str
    unit: str
    year: str
    covered: str
    kinds: str
    items: str
    digest: str


def stored_body(key: str, report: Report, body: bytes | None = None) -> StoredBody:
    """Return what the cache stores of a report under ``key``: its ``body`` as stored (encoded
    here when None) and the footer's fields."""
    return StoredBody(key, encode_body(pack(report)) if body is None else body,
                      report.report_id, report.title, report.unit, report.year,
                      report_years(report)[1], report.kind_codes, report.item_codes,
                      report.digest or texts_digest(report.passages))


def stored_report(stored: StoredBody, source: Path | None) -> Report:
    """Return the report a ``StoredBody`` holds, sections in memory (its texts' digest kept)."""
    report = unpack(decode_body(stored.body), source, stored.key)
    return Report(report.report_id, report.title, source, report.body, report.unit,
                  report.year, stored.key, stored.digest)


class Entry(NamedTuple):
    """One report in the footer: where its body is, and what is known without reading it."""

    key: str
    offset: int
    length: int
    crc: int
    report_id: str
    title: str
    unit: str
    year: str
    kinds: str
    digest: str


_YEAR = Entry._fields.index("year")


class Footer:
    """The footer's columns, one value per report in each, and each key's row.

    Columns, not a tuple per report: at 3.4×10⁴ reports a start parses the footer in half the
    time and keeps no per-report object beyond the strings the reports share.
    """

    def __init__(self, columns: list[list[Any]], later: str = "[[], []]") -> None:
        if len(columns) != len(Entry._fields) or len({len(c) for c in columns}) > 1:
            raise ValueError("malformed footer")
        self.columns = columns
        self._later = later

    @cached_property
    def later(self) -> tuple[list[str], list[str]] | None:
        """Return the columns decoded on first use, ``covered`` and ``items``, each value one
        string however many reports share it; None if they do not fit the footer (then what
        they hold is worked out from the bodies)."""
        try:
            decoded = json.loads(self._later)
            covered, items = decoded
            if not (len(covered) == len(items) == len(self)
                    and all(isinstance(v, str) for v in (*covered, *items))):
                return None
        except (ValueError, TypeError):
            return None
        shared: dict[str, str] = {}
        return ([shared.setdefault(v, v) for v in covered],
                [shared.setdefault(v, v) for v in items])

    @cached_property
    def rows(self) -> dict[str, int]:
        """Return each key's row: built on the first lookup by key, which a start whose
        files are as recorded (``qa.reports.startrecord``) never makes."""
        return dict(zip(self.columns[0], range(len(self.columns[0])), strict=True))

    def __len__(self) -> int:
        return len(self.columns[0])

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns[0])

    def __getitem__(self, key: str) -> Entry:
        return self.entry(self.rows[key])

    def get(self, key: str) -> Entry | None:
        """Return a key's entry, or None if it is not stored."""
        row = self.rows.get(key)
        return None if row is None else self.entry(row)

    def entry(self, row: int) -> Entry:
        """Return the entry in a row."""
        return Entry._make(column[row] for column in self.columns)


_NO_FOOTER = Footer([[] for _ in Entry._fields])


def _no_reparse(report_id: str, title: str, source: Path | None) -> tuple[Section, ...]:
    return ()


class ParsedCache:
    """An open cache file; reports from it are ``Deferred`` and read here when used.

    Thread-safe: bodies are read at an offset (``read_at``), the unpacked ones kept under a lock.
    """

    def __init__(self, path: Path, reparse: Reparse = _no_reparse) -> None:
        self._entries = _NO_FOOTER
        # Per slot handed out: its row in the footer and its source file (two lists: a start
        # extends them by 3.4×10⁴ without making a tuple each).
        self._rows: list[int] = []
        self._sources: list[Path | None] = []
        self._bodies = BodyCache(CACHED_REPORTS)
        self._lock = threading.Lock()
        self._damaged: set[str] = set()  # bodies found damaged: never copied to a new cache
        self._reparse = reparse
        self._file: BinaryIO | None = None
        self._identity = ""
        try:
            self._file = path.open("rb")
            weakref.finalize(self, self._file.close)
            self._entries, trailer = _read_footer(self._file)
            self._identity = _identity(self._file, trailer)
        except (OSError, ValueError, TypeError, KeyError):
            self.close()  # stale, damaged or not ours: as if there were no cache

    def keys(self) -> set[str]:
        """Return the keys of the stored entries."""
        return set(self._entries)

    def count(self) -> int:
        """Return how many entries are stored (without copying their keys)."""
        return len(self._entries)

    def report(self, key: str, source: Path | None) -> Report | None:
        """Return the stored report for a key (its body deferred), or None if absent."""
        row = self._entries.rows.get(key)
        if row is None:
            return None
        with self._lock:
            slot = len(self._rows)
            self._rows.append(row)
            self._sources.append(source)
        _, _, _, _, ids, titles, units, years, kinds, digests = self._entries.columns
        return Report(ids[row], titles[row], source, Deferred(self, slot, kinds[row]),
                      units[row], years[row], key, digests[row])

    def identity(self) -> str:
        """Return what tells this cache file from any other ("" when none is open): its
        stat fingerprint (a rewrite is a new file) and its footer's offset and crc32."""
        return self._identity

    def reports_at(self, rows: Sequence[int], sources: Sequence[Path | None]
                   ) -> list[Report] | None:
        """Return the stored reports in these rows, as ``report`` would (None if a row is not
        stored): one pass for a whole start, no key looked up."""
        count = len(self._entries)
        if len(rows) != len(sources) or max(rows, default=-1) >= count:
            return None
        _, _, _, _, ids, titles, units, years, kinds, digests = self._entries.columns
        keys = self._entries.columns[0]
        with self._lock:
            first = len(self._rows)
            self._rows.extend(rows)
            self._sources.extend(sources)
        return [Report(ids[row], titles[row], source, Deferred(self, slot, kinds[row]),
                       units[row], years[row], keys[row], digests[row])
                for slot, row, source in zip(range(first, first + len(rows)), rows, sources,
                                                 strict=True)]

    def row_of(self, report: Report) -> int | None:
        """Return the row of a report this cache handed out, or None for any other."""
        body = report.body
        if not isinstance(body, Deferred) or body.store is not self:
            return None
        return self._rows[body.slot]

    def raw(self, key: str) -> bytes | None:
        """Return an entry's stored body as it is on disk, or None if absent or damaged."""
        entry = self._entries.get(key)
        return None if entry is None else self._raw(entry)

    def _raw(self, entry: Entry) -> bytes | None:
        """``raw`` of an entry in hand: a slot's body is read by its row, not looked up by key
        (the first key lookup indexes every key of the footer: 3.4×10⁴ at 10⁶ passages)."""
        if self._file is None or entry.key in self._damaged:
            return None
        try:
            body = read_at(self._file, entry.offset, entry.length, self._lock)
        except (OSError, ValueError):
            return None
        return body if zlib.crc32(body) == entry.crc else None

    def prefetch(self, slots: Sequence[int]) -> None:
        """Ask the kernel to read these slots' bodies now, all at once, unless kept in memory.

        A question's candidates sit in ≈ 25 reports. Read one after another from a cold page
        cache, each waits for the disk (≈ 60 µs a body here); asked for together, the reads
        overlap: 3.8 → 1.6 ms for 25 bodies, and ≈ 0.5 µs a body when they are cached.
        """
        file = self._file
        if file is None or not hasattr(os, "posix_fadvise"):  # not Windows, macOS
            return
        offsets, lengths = self._entries.columns[1], self._entries.columns[2]
        try:
            for slot in slots:
                if slot not in self._bodies:
                    row = self._rows[slot]
                    os.posix_fadvise(file.fileno(), offsets[row], lengths[row],
                                     os.POSIX_FADV_WILLNEED)
        except (OSError, ValueError):  # closed meanwhile: the reads themselves will say so
            pass

    def covered(self, slot: int) -> str | None:
        """Return the year a report handed out by ``report`` reviews (None: not stored)."""
        known = self._known(slot)
        return known[0] if known is not None else None

    def item_codes(self, slot: int) -> str:
        """Return ``qa.models.item_codes`` of a report handed out by ``report``."""
        known = self._known(slot)
        return known[1] if known is not None else item_codes(self.passages(slot))

    def _known(self, slot: int) -> tuple[str, str] | None:
        """Return the footer's reviewed year and item codes of a slot's report, if it has them."""
        later, row = self._entries.later, self._rows[slot]
        if later is None or row >= len(later[0]):
            return None
        return later[0][row] or self._entries.columns[_YEAR][row], later[1][row]

    def sections(self, slot: int) -> tuple[Section, ...]:
        """Return the sections of a report handed out by ``report``."""
        return self._from_body(slot, Body.sections)

    def passages(self, slot: int) -> tuple[Passage, ...]:
        """Return the passages of a report handed out by ``report``."""
        return self._from_body(slot, Body.passages)

    def passage(self, slot: int, i: int) -> Passage:
        """Return one passage (0-based) of a report handed out by ``report``."""
        return self._from_body(slot, lambda body: body.passage(i))

    def _from_body(self, slot: int, use: Callable[[Body], T]) -> T:
        """Return what ``use`` reads off a report's body. Its rows are decoded when used, after
        the body's crc32 matched: one that still does not decode (written wrong) marks the body
        damaged, and the report's file is parsed again."""
        try:
            return use(self._body(slot))
        except (ValueError, TypeError):
            with self._lock:
                self._damaged.add(self._entries.columns[0][self._rows[slot]])
            self._bodies.drop(slot)
            return use(self._body(slot))

    def _body(self, slot: int) -> Body:
        row, source = self._rows[slot], self._sources[slot]
        return self._bodies.get(slot, lambda: self._read(self._entries.entry(row), source))

    def _read(self, entry: Entry, source: Path | None) -> Body:
        """Read a body; one damaged since the cache opened is parsed from its file again."""
        try:
            raw = self._raw(entry)
            if raw is None:
                raise ValueError("damaged")
            body = Body(raw)
            if body.report_id == entry.report_id and len(body) == len(entry.kinds):
                return body
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            pass
        with self._lock:
            self._damaged.add(entry.key)
        return Body(None, self._reparse(entry.report_id, entry.title, source))

    def close(self) -> None:
        """Close the file; the cache then answers nothing (deferred reports are re-parsed)."""
        self._entries = _NO_FOOTER
        self._identity = ""
        if self._file is not None:
            self._file.close()
            self._file = None


def read_at(file: BinaryIO, offset: int, length: int,
            lock: threading.Lock | None = None) -> bytes:
    """Read ``length`` bytes at ``offset`` without moving a shared position where possible."""
    if hasattr(os, "pread"):
        return os.pread(file.fileno(), length, offset)
    with lock or threading.Lock():  # no pread (Windows): seek and read as one step
        file.seek(offset)
        return file.read(length)


def _identity(file: BinaryIO, trailer: bytes) -> str:
    return (fingerprint(os.fstat(file.fileno())) or b"").hex() + trailer.decode("ascii").strip()


def _read_footer(file: BinaryIO) -> tuple[Footer, bytes]:
    """Return the entries a cache file lists and its trailer; raise ValueError if it is stale
    or damaged."""
    header = json.loads(file.readline() or b"null")
    if not isinstance(header, dict) or header.get("parser") != parser_version():
        raise ValueError("stale")
    start = file.tell()
    size = os.fstat(file.fileno()).st_size
    trailer = read_at(file, size - _TRAILER, _TRAILER) if size >= _TRAILER else b""
    if len(trailer) != _TRAILER or not trailer.endswith(b"\n"):
        raise ValueError("no footer")
    at, crc = int(trailer[:20]), int(trailer[20:30])
    if not start <= at <= size - _TRAILER:
        raise ValueError("footer out of place")
    data = read_at(file, at, size - _TRAILER - at)
    if zlib.crc32(data) != crc:
        raise ValueError("damaged footer")
    # The crc vouches for the columns as written; only their number and lengths are checked.
    footer = json.loads(data)
    return Footer(footer["columns"], footer["later"]), trailer


# Bytes of bodies written between two flushes to disk (``_flush``).
FLUSH_BYTES = 32 * 1024 * 1024


def write_entries(path: Path, entries: Iterable[tuple[str, Report | StoredBody]],
                  old: ParsedCache | None = None) -> bool:
    """Write the reports under their keys, atomically; False if the cache could not be written.

    A body ``old`` holds under the same key is copied as it is (never unpacked), and so is a
    ``StoredBody``'s.
    """
    def write(out: BinaryIO) -> None:
        header = json.dumps({"parser": parser_version()}).encode() + b"\n"
        out.write(header)
        at = len(header)
        rows = []
        covered, items = [], []
        flushed = 0
        for key, report in entries:
            stored = report if isinstance(report, StoredBody) else _stored(key, report, old)
            body = stored.body
            out.write(body + b"\n")
            rows.append([key, at, len(body), zlib.crc32(body), stored.report_id, stored.title,
                         stored.unit, stored.year, stored.kinds, stored.digest])
            covered.append("" if stored.covered == stored.year else stored.covered)
            items.append(stored.items)
            at += len(body) + 1
            if at - flushed >= FLUSH_BYTES:
                flushed = _flush(out, at)
        columns = [list(c) for c in zip(*rows, strict=True)] or [[] for _ in Entry._fields]
        later = json.dumps([covered, items], ensure_ascii=False)
        footer = json.dumps({"columns": columns, "later": later},
                            ensure_ascii=False).encode() + b"\n"
        out.write(footer)
        out.write(f"{at:020d}{zlib.crc32(footer):010d}\n".encode())

    return write_cache_with(path, write)


def _flush(out: BinaryIO, at: int) -> int:
    """Put what is written so far on disk; return how much that is.

    A cold load writes the cache while worker processes parse: flushed as it grows, the
    final fsync (after the last file, on one core) has a few MB left instead of ≈ 0.5 GB.
    """
    out.flush()
    os.fdatasync(out.fileno())
    return at


def _stored(key: str, report: Report, old: ParsedCache | None) -> StoredBody:
    """Return a report as stored, its body copied from ``old`` when that holds the key."""
    return stored_body(key, report, old.raw(key) if old is not None else None)
