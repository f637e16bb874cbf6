"""Deferred report bodies once read: passages decoded one at a time, and the last few kept.

A search touches a few passages in each of many reports; decoding every passage of each
(≈ 0.1–0.2 ms a report of thirty) would cost more than the search. A body is stored as a
small head (the report's fields, its sections and where each passage row starts) followed by the
rows, each its own JSON array: a ``Body`` decodes the head, then only the rows asked for, or
all of them when a caller wants the whole report.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
from typing import Any, cast

from qa.models import Kind, Passage, Section

Packed = list[Any]

# Between a body's head and its rows. JSON escapes every control character inside strings and
# writes none outside them, so the first one in a body ends its head.
SEPARATOR = b"\x1e"
# One encoder for every row and head: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode_body(packed: Packed) -> bytes:
    """Return a packed report (``qa.reports.parsecache.pack``) as the cache stores it."""
    report_id, title, unit, year, sections = packed
    rows = [_ENCODER.encode(row).encode() for section in sections for row in section[3]]
    # Where each row starts after the head, and where one more would (rows are comma-joined).
    starts = list(accumulate([len(row) + 1 for row in rows], initial=0))
    head = [report_id, title, unit, year,
            [[index, path, kind, len(passages)] for index, path, kind, passages in sections],
            starts]
    return _ENCODER.encode(head).encode() + SEPARATOR + b",".join(rows)


def decode_body(stored: bytes) -> Packed:
    """Return the packed report a stored body holds; ValueError or TypeError if malformed."""
    return Body(stored).packed()


def unpack_sections(packed: Packed) -> tuple[Section, ...]:
    """Rebuild the sections of a packed report."""
    report_id, title, _, _, sections = packed
    counter = 0
    built = []
    for index, path, kind, passages in sections:
        rows = []
        for row in passages:
            counter += 1
            rows.append(_passage(report_id, title, counter, row))
        built.append(Section(report_id, index, tuple(path), cast(Kind, kind), tuple(rows)))
    return tuple(built)


def _passage(report_id: str, title: str, number: int, row: list[Any]) -> Passage:
    """Build passage ``number`` (1-based, as the parser numbers them) from its packed row."""
    path, kind, text, label = row
    return Passage(f"{report_id}#{number}", report_id, title, tuple(path), cast(Kind, kind),
                   text, label)


class Body:
    """One report's body: from its stored bytes (``encode_body``) or its parsed sections.

    Equal headings, kinds and labels of the passages built are one string each: JSON gives
    every row its own copies, an item's label is also its path's last heading, and each
    passage repeats its section's headings and kind. The serving process keeps hundreds of
    bodies (``CACHED_REPORTS``); shared, each holds less.
    """

    def __init__(self, stored: bytes | None, sections: tuple[Section, ...] = ()) -> None:
        self._stored = stored or b""
        self._sections: tuple[Section, ...] | None = None if stored is not None else sections
        self._passages: tuple[Passage, ...] | None = None
        self._built: dict[int, Passage] = {}
        self._strings: dict[str, str] = {}
        if stored is None:
            self._head: Packed = []
            self._base = 0
            self.starts = list(accumulate((len(s.passages) for s in sections), initial=0))
            return
        self._head, self._base, self.starts = _read_head(stored)

    def __len__(self) -> int:
        return self.starts[-1]

    @property
    def report_id(self) -> str:
        """Return the id the stored head names ("" for a body of parsed sections)."""
        return str(self._head[0]) if self._head else ""

    def passage(self, i: int) -> Passage:
        """Return passage i (0-based, document order), decoding only its row."""
        if self._sections is not None:
            return self.passages()[i]
        found = self._built.get(i)
        if found is None:
            if not 0 <= i < len(self):
                raise IndexError("passage out of range")
            starts, base = self._head[5], self._base
            row = self._shared(json.loads(self._stored[base + starts[i]:base + starts[i + 1] - 1]))
            found = self._built[i] = _passage(self._head[0], self._head[1], i + 1, row)
        return found

    def sections(self) -> tuple[Section, ...]:
        """Return every section, decoding every row on first call."""
        if self._sections is None:
            self._sections = unpack_sections(self.packed())
            self._built.clear()
        return self._sections

    def passages(self) -> tuple[Passage, ...]:
        """Return every passage in document order."""
        if self._passages is None:
            self._passages = tuple(p for s in self.sections() for p in s.passages)
        return self._passages

    def packed(self) -> Packed:
        """Return the whole report as ``pack`` made it (every row decoded, in one call)."""
        report_id, title, unit, year, sections, _ = self._head
        rows = json.loads(b"[" + self._stored[self._base:] + b"]") if len(self) else []
        if len(rows) != len(self):
            raise ValueError("rows missing")
        shared = [self._shared(row) for row in rows]
        return [report_id, title, unit, year,
                [[index, path, kind, shared[self.starts[s]:self.starts[s + 1]]]
                 for s, (index, path, kind, _) in enumerate(sections)]]

    def _shared(self, row: Any) -> list[Any]:
        """Return a decoded row checked, its headings, kind and label shared in this body."""
        if not isinstance(row, list) or len(row) != 4 or not isinstance(row[0], list):
            raise ValueError("malformed passage")
        share = self._strings.setdefault
        return [[share(h, h) for h in row[0]], share(row[1], row[1]), row[2],
                share(row[3], row[3])]


def _read_head(stored: bytes) -> tuple[Packed, int, list[int]]:
    """Return a stored body's head, where its rows start, and where each section's passages
    start in document order (with their count last)."""
    cut = stored.find(SEPARATOR)
    if cut < 0:
        raise ValueError("no head")
    head = json.loads(stored[:cut])
    if not isinstance(head, list) or len(head) != 6:
        raise ValueError("malformed head")
    sections = list(accumulate([section[3] for section in head[4]], initial=0))
    starts = head[5]
    # Each row ends a byte before the next starts; the last start is one past the body's end.
    if (sections[-1] + 1 != len(starts) or starts[0] != 0
            or cut + max(starts[-1], 1) != len(stored)):
        raise ValueError("malformed head")
    return head, cut + 1, sections


class BodyCache:
    """The last ``size`` bodies used, by slot; thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._bodies: OrderedDict[int, Body] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, slot: int, read: Callable[[], Body]) -> Body:
        """Return the body in a slot, reading it (outside the lock) when not kept."""
        with self._lock:
            body = self._bodies.get(slot)
            if body is not None:
                self._bodies.move_to_end(slot)
                return body
        body = read()
        with self._lock:
            self._bodies[slot] = body
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)
        return body

    def __contains__(self, slot: int) -> bool:
        return slot in self._bodies

    def drop(self, slot: int) -> None:
        """Forget the body in a slot (found damaged): the next use reads it again."""
        with self._lock:
            self._bodies.pop(slot, None)
