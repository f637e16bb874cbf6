"""Parsed reports kept beside the token cache: a restart with unchanged files skips parsing.

Parsing is most of a warm start at scale (≈ 2.7 s of ≈ 4 s for 10⁵ passages); rebuilding the
same Report objects from JSON takes about a third of that. An entry is keyed by the file's
name, bytes and manifest metadata plus the parser's own source, so editing a report, its
reports.toml entry or the parser invalidates exactly what it should. Entries are JSON (safe to
read whatever wrote them); a missing, stale or unreadable cache only means parsing again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, cast

from .atomic import write_atomic
from .models import Kind, Passage, Report, Section

FORMAT = 2
_PARSER_MODULES = ("clean.py", "structure.py", "ingest.py", "models.py", "parsecache.py")

Packed = list[Any]


@cache
def parser_version() -> str:
    """Return a hash of the parser's source files: any change to them invalidates entries."""
    digest = hashlib.blake2b(f"format {FORMAT}".encode(), digest_size=16)
    here = Path(__file__).parent
    for name in _PARSER_MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def entry_key(name: str, data: bytes, meta: tuple[str, str, str]) -> str:
    """Return the cache key of one report file: its name, bytes and manifest metadata."""
    digest = hashlib.blake2b(parser_version().encode(), digest_size=16)
    digest.update(json.dumps([name, *meta], ensure_ascii=False).encode())
    digest.update(data)
    return digest.hexdigest()


def pack(report: Report) -> Packed:
    """Return a report as plain JSON data (passage ids and titles are rebuilt on unpack)."""
    return [report.report_id, report.title, report.unit, report.year, [
        [s.index, list(s.path), s.kind,
         [[list(p.section_path), p.kind, p.text, p.label] for p in s.passages]]
        for s in report.sections]]


def unpack(packed: Packed, source: Path | None) -> Report:
    """Rebuild the Report that ``pack`` stored, numbering passages as the parser does."""
    report_id, title, unit, year, sections = packed
    counter = 0
    built = []
    for index, path, kind, passages in sections:
        rows = []
        for section_path, passage_kind, text, label in passages:
            counter += 1
            rows.append(Passage(f"{report_id}#{counter}", report_id, title, tuple(section_path),
                                cast(Kind, passage_kind), text, label))
        built.append(Section(report_id, index, tuple(path), cast(Kind, kind), tuple(rows)))
    return Report(report_id, title, source, tuple(built), unit, year)


class ParsedCache:
    """An open cache file: entries are indexed by key and read only when asked for.

    One line per report (``key<TAB>json``) after a JSON header line, so neither the whole file
    nor every entry is ever in memory at once (10⁶ passages are ≈ 0.5 GB of text).
    """

    def __init__(self, path: Path) -> None:
        self._spans: dict[str, tuple[int, int]] = {}
        self._file: BinaryIO | None = None
        try:
            self._file = path.open("rb")
            header = json.loads(self._file.readline() or b"null")
            if not isinstance(header, dict) or header.get("parser") != parser_version():
                self.close()  # stale or not ours: as if there were no cache
                return
            at = self._file.tell()
            for line in self._file:
                key, tab, _ = line.partition(b"\t")
                if tab:
                    self._spans[key.decode("ascii", "replace")] = (at + len(key) + 1,
                                                                    len(line) - len(key) - 1)
                at += len(line)
        except (OSError, ValueError):
            self.close()

    def keys(self) -> set[str]:
        """Return the keys of the stored entries."""
        return set(self._spans)

    def get(self, key: str, source: Path | None) -> Report | None:
        """Return the stored report for a key, or None if absent or damaged."""
        span = self._spans.get(key)
        if span is None or self._file is None:
            return None
        try:
            self._file.seek(span[0])
            return unpack(json.loads(self._file.read(span[1])), source)
        except (OSError, ValueError, TypeError, KeyError):
            return None  # a damaged entry: the caller parses the file again

    def close(self) -> None:
        """Close the file; the cache then answers nothing."""
        self._spans = {}
        if self._file is not None:
            self._file.close()
            self._file = None


def write_entries(path: Path, entries: Iterable[tuple[str, Packed]]) -> None:
    """Write the entries line by line, atomically; a cache that cannot be written is skipped."""
    def lines() -> Iterator[bytes]:
        yield json.dumps({"parser": parser_version()}).encode() + b"\n"
        for key, packed in entries:
            body = json.dumps(packed, ensure_ascii=False, separators=(",", ":"))
            yield f"{key}\t{body}\n".encode()

    write_atomic(path, lines())
