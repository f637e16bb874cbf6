"""The on-disk segment store: a manifest plus segment folders, opened by memory-mapping.

``open_index`` serves a list of reports (id, key, passage count, in engine order): reports whose
key is in a live segment are reused as they are; the rest are tokenised into new segments, one per
batch of ``BATCH_PASSAGES`` or more passages (a cold build's memory follows the batch, and a build
that stops half-way keeps the batches it wrote); reports gone or changed become dead in their old
segment. ``add_reports`` does the same for a live re-index. Every change is written (segment, then
manifest) under a lock in the folder, and re-applied to the manifest as found on disk, so two
processes sharing the folder never lose a segment. When dead passages or segments pile up,
everything live is compacted into one segment.
A missing, stale or damaged store is rebuilt, never fatal.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.fsio import exclusive_lock, write_atomic

from .bm25 import OffsetArray, TokenTable
from .segindex import SegmentIndex
from .segments import (
    Segment,
    SegmentError,
    SegmentReport,
    build_segment,
    read_segment,
    segment_tokens,
    write_segment,
)

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
LOCK = ".lock"
# Compact when more segments than this are live, or this share of stored passages is dead.
MAX_SEGMENTS = 8
MAX_DEAD_SHARE = 0.3
# Reports to tokenise are written in batches of at least this many passages, as many batches as
# free segment places allow. A batch of 10⁶ passages peaks at ≈ 3.2 GB; a query costs about as
# much per segment whatever its size (two segments of 5×10⁵ doubled the p50 of one of 10⁶), so
# batches are as large as memory allows: 10⁷ passages build in 7 batches.
BATCH_PASSAGES = 1_500_000

Wanted = tuple[str, str, int]  # report id, key (digest of its indexed texts), passages
Tokenize = Callable[[Sequence[int]], TokenTable]  # positions in ``wanted`` -> their tokens


@dataclass(frozen=True, slots=True)
class Entry:
    """One segment in the manifest."""

    name: str
    reports: tuple[SegmentReport, ...]
    dead: frozenset[str]
    sizes: dict[str, int]


def read_manifest(folder: Path, version: str) -> list[Entry]:
    """Return the manifest's segments; none when it is missing, stale or unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") != version:
            return []
        return [Entry(str(s["name"]),
                      tuple(SegmentReport(str(r), str(k), int(n)) for r, k, n in s["reports"]),
                      frozenset(map(str, s["dead"])),
                      {str(f): int(n) for f, n in s["sizes"].items()})
                for s in data["segments"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        if (folder / MANIFEST).exists():
            logger.warning("ignoring unreadable index manifest in %s: %s", folder, exc)
        return []


def write_manifest(folder: Path, version: str, entries: Sequence[Entry]) -> None:
    """Write the manifest atomically (fsynced, renamed)."""
    data = {"format": FORMAT, "version": version, "segments": [
        {"name": e.name, "reports": [[r.report_id, r.key, r.passages] for r in e.reports],
         "dead": sorted(e.dead), "sizes": e.sizes} for e in entries]}
    write_atomic(folder / MANIFEST, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def open_index(folder: Path, wanted: Sequence[Wanted], tokenize: Tokenize,
               version: str) -> SegmentIndex:
    """Return an index serving ``wanted`` in order, writing whatever the store lacks."""
    entries = read_manifest(folder, version)
    segments = _open_entries(folder, entries)
    if segments is None or not _consistent(entries):
        entries, segments = [], []
    live = {r.report_id: (r.key, r.passages) for e in entries for r in e.reports
            if r.report_id not in e.dead}
    missing = [i for i, (rid, key, n) in enumerate(wanted) if live.get(rid) != (key, n)]
    keep = {w[0] for i, w in enumerate(wanted) if live.get(w[0]) == (w[1], w[2])}
    order = [w[0] for w in wanted]
    if not missing and keep == set(live) and not _needs_compaction(entries):
        return _assemble(folder, entries, segments, order)
    pairs = list(zip(entries, segments, strict=True))
    if not missing:
        pairs = _write(folder, version, pairs, keep, [], None, order)
    earlier = {e.name for e in entries}
    written: set[str] = set()
    places = MAX_SEGMENTS - sum(1 for e in entries if any(
        r.report_id in keep and r.report_id not in e.dead for r in e.reports))
    for batch in _batches(missing, wanted, places):
        table = tokenize(batch)
        written |= {wanted[i][0] for i in batch}
        # Until the last batch, only what is written so far is served (and compacted).
        served = [rid for rid in order if rid in keep or rid in written]
        pairs = _write(folder, version, pairs, keep, [SegmentReport(*wanted[i]) for i in batch],
                       table, served, fresh={e.name for e, _ in pairs} - earlier)
    return _assemble(folder, [e for e, _ in pairs], [s for _, s in pairs], order)


def _batches(missing: list[int], wanted: Sequence[Wanted], places: int) -> list[list[int]]:
    """Split the reports to tokenise into runs of about equal passages, at least
    ``BATCH_PASSAGES`` each and at most ``places`` runs (never fewer than one)."""
    total = sum(wanted[i][2] for i in missing)
    count = max(1, min(places, -(-total // BATCH_PASSAGES)))
    batches: list[list[int]] = [[] for _ in range(count)]
    done = 0
    for i in missing:
        batches[min(count - 1, done * count // max(total, 1))].append(i)
        done += wanted[i][2]
    return [b for b in batches if b]


def add_reports(index: SegmentIndex, version: str, added: Sequence[SegmentReport],
                table: TokenTable | None, order: Sequence[str]) -> SegmentIndex:
    """Return a new index: ``index``'s reports still in ``order`` plus ``added`` (tokens: table).

    A disk-backed index writes the new segment and manifest; an in-memory one stays in memory.
    """
    entries = [Entry(ls.segment.name, ls.segment.reports, ls.dead, {}) for ls in index.live]
    segments = [ls.segment for ls in index.live]
    keep = set(order) - {r.report_id for r in added}
    if index.folder is None:
        return _in_memory(entries, segments, keep, added, table, list(order))
    pairs = _write(index.folder, version, list(zip(entries, segments, strict=True)), keep,
                   added, table, list(order))
    return _assemble(index.folder, [e for e, _ in pairs], [s for _, s in pairs], list(order))


def _in_memory(entries: list[Entry], segments: list[Segment], keep: set[str],
               added: Sequence[SegmentReport], table: TokenTable | None,
               order: list[str]) -> SegmentIndex:
    """Return the in-memory equivalent of ``_write`` (no files, no compaction)."""
    placed = [(s, e.dead | {r.report_id for r in e.reports if r.report_id not in keep})
              for e, s in zip(entries, segments, strict=True)]
    if table is not None and added:
        placed.append((build_segment(_new_name(), table, tuple(added)), frozenset()))
    return SegmentIndex.assemble(placed, order)


def _write(folder: Path, version: str, current: list[tuple[Entry, Segment]], keep: set[str],
           added: Sequence[SegmentReport], table: TokenTable | None, order: list[str],
           fresh: set[str] | frozenset[str] = frozenset()) -> list[tuple[Entry, Segment]]:
    """Write the new segment and the manifest (dead reports marked), compacting if due;
    return the segments now listed for this index. ``keep`` says which reports of the
    earlier segments stay live; the ``fresh`` ones (written by this build) stay whole."""
    entries, segments = [e for e, _ in current], [s for _, s in current]
    folder.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(folder / LOCK):
        on_disk = {e.name: e for e in read_manifest(folder, version)}
        found = [on_disk.get(e.name, e) for e in entries]
        mine = [e if e.name in fresh else _marked(e, keep) for e in found]
        pairs = [(e, s) for e, s in zip(mine, segments, strict=True) if _has_live(e)]
        if table is not None and added:
            segment = build_segment(_new_name(), table, tuple(added))
            pairs.append((Entry(segment.name, segment.reports, frozenset(),
                                write_segment(folder, segment)), segment))
        if _needs_compaction([e for e, _ in pairs]):
            pairs = [_compact(folder, pairs, order)]
        names = {e.name for e, _ in pairs}
        served = {r.report_id for e, _ in pairs for r in e.reports if r.report_id not in e.dead}
        # Segments another process added meanwhile stay listed, minus reports we now serve.
        others = [e for e in (_marked_except(e, served) for name, e in on_disk.items()
                              if name not in names and name not in {x.name for x in entries})
                  if _has_live(e)]
        write_manifest(folder, version, [e for e, _ in pairs] + others)
        _drop_unlisted(folder, names | {e.name for e in others})
    return pairs


def _marked(entry: Entry, keep: set[str]) -> Entry:
    dead = entry.dead | {r.report_id for r in entry.reports if r.report_id not in keep}
    return Entry(entry.name, entry.reports, dead, entry.sizes)


def _marked_except(entry: Entry, served: set[str]) -> Entry:
    dead = entry.dead | {r.report_id for r in entry.reports if r.report_id in served}
    return Entry(entry.name, entry.reports, dead, entry.sizes)


def _has_live(entry: Entry) -> bool:
    return any(r.report_id not in entry.dead for r in entry.reports)


def _needs_compaction(entries: Sequence[Entry]) -> bool:
    stored = sum(r.passages for e in entries for r in e.reports)
    dead = sum(r.passages for e in entries for r in e.reports if r.report_id in e.dead)
    return len(entries) > MAX_SEGMENTS or (stored > 0 and dead / stored > MAX_DEAD_SHARE)


def _compact(folder: Path, pairs: list[tuple[Entry, Segment]],
             order: list[str]) -> tuple[Entry, Segment]:
    """Rewrite every live passage, in engine order, into one segment."""
    tables, reports = [], []
    for entry, segment in pairs:
        spans = segment.starts()
        live = [r for r in segment.reports if r.report_id not in entry.dead]
        tables.append(segment_tokens(segment, [spans[r.report_id] for r in live]))
        reports.extend(live)
    merged = merge_tables(tables)
    block = {r.report_id: i for i, r in enumerate(reports)}
    starts = np.cumsum([0, *(r.passages for r in reports)])
    perm = np.concatenate([np.arange(starts[block[rid]], starts[block[rid] + 1])
                           for rid in order]) if order else np.empty(0, np.int64)
    ordered = tuple(reports[block[rid]] for rid in order)
    segment = build_segment(_new_name(), reorder_table(merged, perm), ordered)
    sizes = write_segment(folder, segment)
    return Entry(segment.name, segment.reports, frozenset(), sizes), segment


def reorder_table(table: TokenTable, perm: OffsetArray) -> TokenTable:
    """Return the table with passage i taken from ``table``'s passage ``perm[i]``."""
    lengths = table.lengths()[perm]
    offsets = np.zeros(len(perm) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    shift = np.repeat(table.offsets[:-1][perm] - offsets[:-1], lengths)
    return TokenTable(table.vocab, table.ids[np.arange(offsets[-1]) + shift], offsets)


def merge_tables(tables: Sequence[TokenTable]) -> TokenTable:
    """Concatenate token tables over one vocabulary."""
    lookup: dict[str, int] = {}
    ids, lengths = [], []
    for table in tables:
        remap = np.array([lookup.setdefault(t, len(lookup)) for t in table.vocab], np.int32)
        ids.append(remap[table.ids] if len(table.ids) else table.ids)
        lengths.append(table.lengths())
    offsets = np.zeros(sum(len(x) for x in lengths) + 1, dtype=np.int64)
    if lengths:
        np.cumsum(np.concatenate(lengths), out=offsets[1:])
    flat = np.concatenate(ids).astype(np.int32) if ids else np.empty(0, np.int32)
    return TokenTable(list(lookup), flat, offsets)


def _consistent(entries: Sequence[Entry]) -> bool:
    """Return whether no report is live in two segments (a manifest we can serve from)."""
    live = [r.report_id for e in entries for r in e.reports if r.report_id not in e.dead]
    return len(live) == len(set(live))


def _open_entries(folder: Path, entries: Sequence[Entry]) -> list[Segment] | None:
    try:
        return [read_segment(folder, e.name, e.reports, e.sizes) for e in entries]
    except SegmentError as exc:
        logger.warning("rebuilding the index in %s: %s", folder, exc)
        return None


def _assemble(folder: Path, entries: Sequence[Entry], segments: Sequence[Segment],
              order: list[str]) -> SegmentIndex:
    pairs = [(s, e.dead) for e, s in zip(entries, segments, strict=True)]
    return SegmentIndex.assemble(pairs, order, folder)


def _drop_unlisted(folder: Path, names: set[str]) -> None:
    """Delete segment folders the manifest no longer lists (open mappings stay valid)."""
    for path in folder.iterdir():
        if path.is_dir() and path.name not in names:
            shutil.rmtree(path, ignore_errors=True)


def _new_name() -> str:
    return f"seg-{time.time_ns():x}"
