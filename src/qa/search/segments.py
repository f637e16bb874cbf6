"""Index segments: one batch of reports' postings, written once as .npy files and memory-mapped.

A segment never changes after it is written. It holds *local* statistics only (its terms,
postings with term frequencies, passage lengths, per-term bounds for pruning); the corpus-wide
BM25 statistics (N, df, avgdl) are combined across segments when an index opens
(``qa.segindex``). Layout of ``<folder>/<name>/``::

    terms.bin   UTF-8 terms joined by NUL, local term id order
    indptr.npy  int64 [V+1]   postings of term t: docs[indptr[t]:indptr[t+1]]
    docs.npy    int32 [P]     local passage numbers, ascending within a term
    tfs.npy     float32 [P]   term frequency of each posting
    lens.npy    int32 [D]     tokens per passage
    maxtf.npy   float32 [V]   largest tf of each term  } an upper bound of each term's score
    minlen.npy  int32 [V]     shortest passage holding it } (MaxScore pruning)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from qa.fsio import fsync_dir

from .bm25 import IntArray, OffsetArray, TokenTable, table_postings
from .coldbuild import PostedTable

F32Array = npt.NDArray[np.float32]
ARRAYS = ("indptr", "docs", "tfs", "lens", "maxtf", "minlen")
TERMS_FILE = "terms.bin"


def consecutive_spans(sizes: Iterable[tuple[str, int]]) -> dict[str, tuple[int, int]]:
    """Return each report's passage range (first, past the last) when reports with these
    passage counts are stored one after another, in order."""
    spans: dict[str, tuple[int, int]] = {}
    at = 0
    for report_id, size in sizes:
        spans[report_id] = (at, at + size)
        at += size
    return spans


class SegmentError(ValueError):
    """A segment's files are missing or disagree with each other or with the manifest."""


@dataclass(frozen=True, slots=True)
class SegmentReport:
    """One report inside a segment: its passages are the next ``passages`` local numbers."""

    report_id: str
    key: str
    passages: int


@dataclass(frozen=True, slots=True, eq=False)
class Segment:
    """An immutable batch of postings over local term ids and local passage numbers."""

    name: str
    terms: list[str]
    indptr: OffsetArray
    docs: IntArray
    tfs: F32Array
    lens: IntArray
    maxtf: F32Array
    minlen: IntArray
    reports: tuple[SegmentReport, ...]

    @property
    def size(self) -> int:
        """Return the number of passages stored (dead ones included)."""
        return len(self.lens)

    def starts(self) -> dict[str, tuple[int, int]]:
        """Return each report's local passage range."""
        return consecutive_spans((r.report_id, r.passages) for r in self.reports)


def build_segment(name: str, table: TokenTable | PostedTable,
                  reports: tuple[SegmentReport, ...]) -> Segment:
    """Sort a token table into a segment (in memory); ``reports`` cover the table in order.

    A ``PostedTable`` comes sorted already (by worker processes, ``qa.search.coldbuild``).
    """
    if sum(r.passages for r in reports) != len(table):
        raise SegmentError(f"segment {name}: reports cover a different number of passages")
    post = table.postings if isinstance(table, PostedTable) else table_postings(table)
    lens = table.lengths().astype(np.int32)
    starts = post.indptr[:-1]
    has = len(post.doc_ids) > 0
    if isinstance(table, PostedTable) and table.bounds is not None:
        maxtf, minlen = table.bounds  # stitched from its chunks' (qa.search.coldbuild)
    else:
        maxtf = np.maximum.reduceat(post.tfs, starts) if has else np.empty(0, np.float32)
        minlen = (np.minimum.reduceat(lens[post.doc_ids], starts) if has
                  else np.empty(0, np.int32))
    terms = [table.vocab[t] for t in post.present.tolist()]
    return Segment(name, terms, post.indptr, post.doc_ids, post.tfs, lens,
                   maxtf.astype(np.float32), minlen.astype(np.int32), reports)


def segment_tokens(segment: Segment, ranges: list[tuple[int, int]]) -> TokenTable:
    """Rebuild the passages in local ``ranges`` as a token table (counts grouped by term).

    BM25 needs each passage's term counts, not their order, so postings suffice.
    """
    per_term = np.diff(segment.indptr)
    term_of = np.repeat(np.arange(len(segment.terms), dtype=np.int32), per_term)
    keep = np.zeros(segment.size, dtype=np.int64)  # new number + 1 of each kept passage
    at = 0
    for first, last in ranges:
        keep[first:last] = np.arange(at + 1, at + 1 + last - first)
        at += last - first
    new = keep[segment.docs]
    chosen = new > 0
    counts = segment.tfs[chosen].astype(np.int64)
    ids = np.repeat(term_of[chosen], counts)
    docs = np.repeat(new[chosen] - 1, counts)
    order = np.argsort(docs, kind="stable")
    offsets = np.zeros(at + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=at), out=offsets[1:])
    return TokenTable(segment.terms, ids[order].astype(np.int32), offsets)


# Files a query never reads again once an index is open: term frequencies go into cached
# saturations and impact prefixes, lengths and bounds are read whole at open.
READ_ONCE = frozenset({"tfs.npy", "lens.npy", "maxtf.npy", "minlen.npy"})


def _fsync_file(path: Path) -> None:
    """Flush a written file to disk; drop a read-once file from the page cache too.

    Freshly written pages stay cached as large folios (2 MB on ext4), and a process that maps
    the file is charged whole folios for the pages it reads: a 10⁶-passage index served
    ≈ 85 MB more of ``tfs.npy`` right after a build than once read back at the granularity
    of its reads. The postings (``docs.npy``) keep their large folios: dense scoring scans
    them on every query, ≈ 40 % faster at p50 than through small pages.
    """
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
        if path.name in READ_ONCE and hasattr(os, "posix_fadvise"):  # not Windows, macOS
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def write_segment(folder: Path, segment: Segment) -> dict[str, int]:
    """Write a segment as ``folder/<name>/`` atomically; return its file sizes for the manifest.

    Files go to a temporary folder first, each fsynced, then the folder is renamed into place.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / segment.name
    temporary = folder / f".{segment.name}.{os.getpid()}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        (temporary / TERMS_FILE).write_bytes("\0".join(segment.terms).encode("utf-8"))
        for name in ARRAYS:
            np.save(temporary / f"{name}.npy", getattr(segment, name), allow_pickle=False)
        sizes = {}
        for path in temporary.iterdir():
            _fsync_file(path)
            sizes[path.name] = path.stat().st_size
        fsync_dir(temporary)
        os.replace(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    fsync_dir(folder)
    return sizes


def read_segment(
    folder: Path, name: str, reports: tuple[SegmentReport, ...], sizes: dict[str, int]
) -> Segment:
    """Memory-map a written segment; raise SegmentError if it disagrees with the manifest."""
    where = folder / name
    try:
        for file, size in sizes.items():
            if (where / file).stat().st_size != size:
                raise SegmentError(f"segment {name}: {file} has a different size")
        blob = (where / TERMS_FILE).read_bytes().decode("utf-8")
        arrays = {a: np.load(where / f"{a}.npy", mmap_mode="r", allow_pickle=False)
                  for a in ARRAYS}
    except (OSError, ValueError) as exc:
        raise SegmentError(f"segment {name}: {exc}") from exc
    terms = blob.split("\0") if blob else []
    segment = Segment(name, terms, arrays["indptr"], arrays["docs"], arrays["tfs"],
                      arrays["lens"], arrays["maxtf"], arrays["minlen"], reports)
    check_segment(segment)
    return segment


def check_segment(segment: Segment) -> None:
    """Raise SegmentError unless the arrays' shapes agree (a cheap check, not a checksum)."""
    v, s = len(segment.terms), segment
    ok = (len(s.indptr) == v + 1 and len(s.maxtf) == v and len(s.minlen) == v
          and int(s.indptr[0]) == 0 and int(s.indptr[-1]) == len(s.docs) == len(s.tfs)
          and len(s.lens) == sum(r.passages for r in s.reports))
    if not ok:
        raise SegmentError(f"segment {s.name}: arrays do not agree")
