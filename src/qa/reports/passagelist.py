"""Every passage of a corpus by index position, read from its report only when asked for.

The engine and the retriever address passages by their position in the index; building all
of them at start costs seconds and gigabytes at 10⁶. Reports know their passage counts and
kinds without loading (``Report.size``, ``Report.kind_codes``), so positions map to reports
by a binary search and only the reports actually used are read.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

import numpy as np
import numpy.typing as npt

from qa.models import KIND_CODES, Deferred, Passage, Report, SectionStore


class PassageList(Sequence[Passage]):
    """The passages of some reports, in report order, looked up on demand."""

    def __init__(self, reports: Sequence[Report]) -> None:
        self.reports = tuple(reports)
        sizes = [r.size for r in self.reports]
        self.starts = [0]
        for size in sizes:
            self.starts.append(self.starts[-1] + size)
        self.report_of = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)

    def __len__(self) -> int:
        return self.starts[-1]

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("passage position out of range")
        at = bisect.bisect_right(self.starts, i) - 1
        return self.reports[at].passage(i - self.starts[at])

    def prefetch(self, positions: Iterable[int]) -> None:
        """Tell the stores of deferred reports which bodies the next reads need, so that
        reads from disk overlap (``ParsedCache.prefetch``)."""
        wanted: dict[int, tuple[SectionStore, dict[int, None]]] = {}
        for i in positions:
            body = self.reports[bisect.bisect_right(self.starts, i) - 1].body
            if isinstance(body, Deferred):  # each body once, in the order first needed
                wanted.setdefault(id(body.store), (body.store, {}))[1][body.slot] = None
        for store, slots in wanted.values():
            store.prefetch(list(slots))

    def __iter__(self) -> Iterator[Passage]:
        for report in self.reports:
            yield from report.passages

    def kind_masks(self) -> dict[str, npt.NDArray[np.bool_]]:
        """Return one boolean mask per kind present, from the reports' kind letters."""
        codes = np.frombuffer("".join(r.kind_codes for r in self.reports).encode("ascii"),
                              dtype=np.uint8)
        # Which letters occur: a count per byte value, not a sort of every passage's letter.
        present = set(np.flatnonzero(np.bincount(codes, minlength=256)).tolist())
        return {kind: codes == ord(code) for kind, code in KIND_CODES.items()
                if ord(code) in present}
