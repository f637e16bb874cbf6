"""Figures kept beside the parsed reports: a comparison across units after a restart or an
upload reads every unchanged report's figures instead of extracting them again.

Extracting every report's figures is the wait of the first comparison across units (68–78 s
at 10⁶ passages, ``bench/bench_ask.py --figures``); reading them back costs a tenth of that.
An entry is keyed by the report's cache key (file name, bytes, manifest metadata and parser:
``qa.reports.parsecache.entry_key``), and the whole file by the extractor's version: the
source of the modules and data files that decide a figure. A report without a key (built in
memory) is always extracted and never stored.

Layout (format 2): a JSON header line ``{"format", "version"}``, then one line per report: the
crc32 of the rest of the line (8 hex digits), a space and the JSON array ``[key, report_id,
unit, year, sections, sentences, rows]``, a row being ``[passage_id, section, metric,
metric_raw, value, measure, approx, redacted, sentence, text]`` with ``section`` and
``sentence`` numbers into the report's lists (figures of a section or a sentence share one
string, as the extractor's do). Lines are read and written one at a time, so the file is never
whole in memory (145 MB at 10⁶ passages); a damaged line costs only its report's extraction.
JSON, as the parsed cache: safe to read whatever wrote it. Written atomically, best effort; a
missing or stale file only means extracting again.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import fields
from functools import cache
from pathlib import Path
from sys import intern
from typing import Any

from qa.data import sources_digest
from qa.fsio import write_cache
from qa.gcpause import paused_gc
from qa.models import Report

from .extract import Figure, extract_figures

FORMAT = 2
# The modules and data files whose content decides a report's figures (module names, not
# paths, so files can move); tests/figures/test_store.py checks the extractor imports no other.
FIGURE_MODULES = ("qa.figures.extract", "qa.figures.fixedphrase", "qa.figures.metricnames",
                  "qa.figures.store", "qa.language.text", "qa.language.shapes",
                  "qa.language.wordlists", "qa.models")
FIGURE_DATA = ("metrics.txt", "fixed_phrases.txt")

Entry = list[Any]  # [report_id, unit, year, sections, sentences, rows], as stored
# Two tables of one process may be built at once (the bot's, after an upload, beside the one
# before it): one write at a time, since both would go through the same temporary file.
_writing = threading.Lock()


@cache
def figures_version() -> str:
    """Return a hash of what decides a figure: this format, the fields, the extractor's source."""
    fields_named = " ".join(f.name for f in fields(Figure))
    return sources_digest(f"figures {FORMAT} {fields_named}", FIGURE_MODULES, FIGURE_DATA)


def stored_figures(reports: Sequence[Report], path: Path) -> list[tuple[Figure, ...]]:
    """Return each report's figures (``extract_figures``), read from ``path`` where stored.

    The file is rewritten when a report was extracted or a stored one is gone, so it holds
    exactly these reports' figures.
    """
    with paused_gc():  # 10⁵ figures a 10⁵-passage library, all kept: nothing to collect
        stored = read_store(path)
        found: list[tuple[Figure, ...]] = []
        changed = False
        for report in reports:
            figures = stored.pop(report.key, None) if report.key else None
            if figures is None:
                figures = extract_figures(report)
                changed = changed or bool(report.key)
            found.append(figures)
    if changed or stored:  # a report extracted, or one stored and gone
        write_store(path, [(r.key, f) for r, f in zip(reports, found, strict=True) if r.key])
    return found


def read_store(path: Path) -> dict[str, tuple[Figure, ...]]:
    """Return the figures stored at ``path`` by report key; none if it is missing or stale,
    and none of a damaged line's report."""
    found: dict[str, tuple[Figure, ...]] = {}
    try:
        with path.open("rb") as lines:
            head = json.loads(lines.readline())
            if not isinstance(head, dict) or head.get("format") != FORMAT \
                    or head.get("version") != figures_version():
                return {}
            for line in lines:
                entry = _entry(line)
                figures = decode(entry[1:]) if entry is not None else None
                if entry is not None and figures is not None and isinstance(entry[0], str):
                    found[entry[0]] = figures
    except (OSError, ValueError):
        return found  # what was read before the damage still holds
    return found


def _entry(line: bytes) -> list[Any] | None:
    """Return a line's entry, or None if its checksum or JSON is wrong."""
    crc, _, data = line.rstrip(b"\n").partition(b" ")
    try:
        if int(crc, 16) != zlib.crc32(data):
            return None
        entry = json.loads(data)
    except ValueError:
        return None
    return entry if isinstance(entry, list) and entry else None


def write_store(path: Path, figures: Sequence[tuple[str, Sequence[Figure]]]) -> bool:
    """Write each (report key, figures) atomically, a line at a time (best effort); False if
    they were not written."""
    def lines() -> Iterator[bytes]:
        yield json.dumps({"format": FORMAT, "version": figures_version()}).encode() + b"\n"
        for key, found in figures:
            entry = encode(found)
            if entry is not None:
                data = json.dumps([key, *entry], ensure_ascii=False,
                                  separators=(",", ":")).encode("utf-8")
                yield b"%08x %s\n" % (zlib.crc32(data), data)

    with _writing:
        return write_cache(path, lines())


def encode(figures: Sequence[Figure]) -> Entry | None:
    """Return a report's figures as stored, or None if they do not share one report's fields."""
    first = figures[0] if figures else None
    head = (first.report_id, first.unit, first.year) if first else ("", "", "")
    if any((f.report_id, f.unit, f.year) != head for f in figures):
        return None
    sections: dict[str, int] = {}
    sentences: dict[str, int] = {}
    rows = [[f.passage_id, sections.setdefault(f.section, len(sections)), f.metric,
             f.metric_raw, f.value, f.measure, f.approx, f.redacted,
             sentences.setdefault(f.sentence, len(sentences)), f.text] for f in figures]
    return [*head, list(sections), list(sentences), rows]


def decode(entry: Entry) -> tuple[Figure, ...] | None:
    """Return the figures an entry stores, or None if it is not one this module wrote."""
    try:
        report_id, unit, year, sections, sentences, rows = entry
        sections = [intern(s) for s in sections]  # as the extractor interns them
        # A metric is shared too (canonical_metric's cache): a few thousand across a library.
        return tuple(
            Figure(report_id, passage, sections[section], unit, year, intern(metric), raw,
                   value, intern(measure), intern(approx), redacted, sentences[sentence], text)
            for passage, section, metric, raw, value, measure, approx, redacted, sentence, text
            in rows)
    except (TypeError, ValueError, IndexError):
        return None
