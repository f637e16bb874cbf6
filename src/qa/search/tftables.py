"""Dense term-frequency tables of common terms: looking a passage up is one gather.

The pruning paths (``qa.topk``, ``qa.maxscore``, ``qa.prune``) ask, for a few thousand
passages, which of them hold a term and how often. On a common term's sorted postings that is
a binary search per passage, about twenty cache misses in a list of hundreds of thousands (at
10⁶: 3.3 ms to bound 1.7 k passages over six such lists, docs/benchmarks.md, "Lookups
in tables"). A table holding the term's tf at every passage of the segment (0: absent), one byte
each, answers with one read. Only terms in at least 1/share of a segment's passages get one
(``TopKPolicy.table_share``), so a table costs at most ``share`` bytes per posting it serves;
tables are built on a query's first use and kept, least recently used dropped, within a byte
budget.

The tf read from a table is the same small integer as the posting's (float32 in the segment,
exact in a byte up to 255; a term with a larger tf gets no table), so scores computed from it
are the same floats.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np
import numpy.typing as npt

from .bm25 import FloatArray

TfTable = npt.NDArray[np.uint8]
# The largest tf a table holds exactly.
TABLE_MAX_TF = 255
# Byte budget of the tables of one open index, at least (64 MiB: the bench's 49 common terms
# at 10⁶); past it, 1/TABLE_BYTES_SHARE of the index's postings.
TABLE_BYTES = 1 << 26
TABLE_BYTES_SHARE = 8


def wants_table(postings: int, size: int, share: int) -> bool:
    """Return whether a term with this many postings in a segment of ``size`` gets a table:
    when it is in at least 1/``share`` of the passages (0: never)."""
    return share > 0 and postings > 0 and postings * share >= size


def tf_table(docs: npt.NDArray[np.integer], tfs: npt.NDArray[np.float32],
             size: int) -> TfTable | None:
    """Return the term's tf at each of the segment's ``size`` passages, None if a tf is too
    large (or not whole) for a byte."""
    if len(tfs) and not (float(tfs.max()) <= TABLE_MAX_TF and np.all(tfs == np.floor(tfs))):
        return None
    table = np.zeros(size, dtype=np.uint8)
    table[docs] = tfs
    table.flags.writeable = False  # shared by every query that reads it
    return table


def table_tfs(table: TfTable, docs: npt.NDArray[np.integer]) -> tuple[FloatArray, npt.NDArray[
        np.bool_]]:
    """Return the tf of each passage (0.0 where absent) and which passages hold the term."""
    tf = table[docs]
    return tf.astype(np.float64), tf > 0


class TableCache:
    """Tables by key, the least recently used dropped past ``capacity`` bytes."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Hashable, TfTable | None] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()  # the bot may query from several threads

    def get(self, key: Hashable, build: Callable[[], TfTable | None]) -> TfTable | None:
        """Return the cached table (None: the term cannot have one), else build and keep it."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        made = build()
        with self._lock:
            if key not in self._items:
                self._items[key] = made
                self._held += 0 if made is None else len(made)
            while self._held > self.capacity and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._held -= 0 if dropped is None else len(dropped)
        return made
