"""Parsed reports kept beside the token cache: a restart with unchanged files skips parsing.

Parsing is most of a warm start at scale (≈ 2.7 s of ≈ 4 s for 10⁵ passages); rebuilding the
same Report objects from JSON takes about a third of that. An entry is keyed by the file's
name, bytes and manifest metadata plus the parser's own source, so editing a report, its
reports.toml entry or the parser invalidates exactly what it should. The file is JSON (safe
to read whatever wrote it); a missing, stale or unreadable cache only means parsing again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, cast

from .models import Kind, Passage, Report, Section

FORMAT = 1
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


def read_entries(path: Path) -> dict[str, Packed]:
    """Return the stored entries, or none if the file is missing, stale or unreadable."""
    try:
        stored = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict) or stored.get("parser") != parser_version():
        return {}
    entries = stored.get("reports")
    return entries if isinstance(entries, dict) else {}


def write_entries(path: Path, entries: Mapping[str, Packed]) -> None:
    """Write the entries atomically; a cache that cannot be written is silently skipped."""
    body = json.dumps({"parser": parser_version(), "reports": entries}, ensure_ascii=False,
                      separators=(",", ":")).encode()
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(body)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
