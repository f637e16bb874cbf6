"""Deferred report bodies once read: passages built one at a time, and the last few kept.

A search touches a few passages in each of many reports; building every passage of each
(≈ 0.2 ms a report) would cost more than the search. A ``Body`` keeps the decoded JSON and
builds a passage when asked for it, or all of them when a caller wants the whole report.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
from typing import Any, cast

from qa.models import Kind, Passage, Section

Packed = list[Any]


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


def _share_strings(packed: Packed) -> None:
    """Make equal headings, kinds and labels within a report one string each.

    JSON gives every passage its own copies: an item's label is also its path's last heading,
    and each passage repeats its section's headings and kind. The serving process keeps
    hundreds of bodies (``CACHED_REPORTS``); shared, each holds ≈ a third less.
    """
    strings: dict[str, str] = {}
    share = strings.setdefault
    for section in packed[4]:
        section[1] = [share(h, h) for h in section[1]]
        for row in section[3]:
            row[0] = [share(h, h) for h in row[0]]
            row[1] = share(row[1], row[1])
            row[3] = share(row[3], row[3])


class Body:
    """One report's body: from its packed JSON (``qa.parsecache.pack``) or its sections."""

    def __init__(self, packed: Packed | None, sections: tuple[Section, ...] = ()) -> None:
        self._packed = packed
        self._sections: tuple[Section, ...] | None = None if packed is not None else sections
        self._passages: tuple[Passage, ...] | None = None
        self._built: dict[int, Passage] = {}
        if packed is not None:
            # Check the shape once, so building a passage later cannot fail half-way.
            sizes = [len(rows) for _, _, _, rows in packed[4]]
            if any(len(row) != 4 for _, _, _, rows in packed[4] for row in rows):
                raise ValueError("malformed passage")
            _share_strings(packed)
            self.starts = list(accumulate(sizes, initial=0))
        else:
            self.starts = list(accumulate((len(s.passages) for s in sections), initial=0))

    def __len__(self) -> int:
        return self.starts[-1]

    def passage(self, i: int) -> Passage:
        """Return passage i (0-based, document order), building only it."""
        if self._passages is not None or self._packed is None:
            return self.passages()[i]
        found = self._built.get(i)
        if found is None:
            if not 0 <= i < len(self):
                raise IndexError("passage out of range")
            at = bisect.bisect_right(self.starts, i) - 1
            found = _passage(self._packed[0], self._packed[1], i + 1,
                             self._packed[4][at][3][i - self.starts[at]])
            self._built[i] = found
        return found

    def sections(self) -> tuple[Section, ...]:
        """Return every section, building them on first call."""
        if self._sections is None:
            self._sections = unpack_sections(cast(Packed, self._packed))
        return self._sections

    def passages(self) -> tuple[Passage, ...]:
        """Return every passage in document order."""
        if self._passages is None:
            self._passages = tuple(p for s in self.sections() for p in s.passages)
        return self._passages


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
