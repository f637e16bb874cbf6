"""How segments become one index: engine positions of live passages and the union vocabulary.

``SegmentIndex.assemble`` combines segments with these: each report's passages get positions
in the engine's order (dead ones -1), and the segments' terms get global ids with document
frequencies counted over live passages only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .bm25 import IntArray
from .prune import BoolArray, Ints
from .segments import Segment, SegmentError

PosArray = npt.NDArray[np.int64]


def place(
    segments: Sequence[tuple[Segment, frozenset[str]]], order: Sequence[str]
) -> tuple[list[PosArray], int]:
    """Return each segment's engine positions (-1 dead) and the number of served passages."""
    where: dict[str, tuple[int, int, int]] = {}
    for s, (segment, dead) in enumerate(segments):
        for report_id, (first, last) in segment.starts().items():
            if report_id in dead:
                continue
            if report_id in where:
                raise SegmentError(f"report {report_id} is live in two segments")
            where[report_id] = (s, first, last)
    try:
        spans = np.array([where[report_id] for report_id in order], dtype=np.int64)
    except KeyError as exc:
        raise SegmentError(f"report {exc.args[0]} is in no segment") from None
    spans = spans.reshape(-1, 3)
    sizes = spans[:, 2] - spans[:, 1]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    positions = [np.full(seg.size, -1, dtype=np.int64) for seg, _ in segments]
    for s, pos in enumerate(positions):
        _fill(pos, spans[spans[:, 0] == s, 1], starts[:-1][spans[:, 0] == s],
              sizes[spans[:, 0] == s])
    return positions, int(starts[-1])


def _fill(pos: PosArray, local: Ints, engine: Ints, sizes: Ints) -> None:
    """Set ``pos[local[i] + j] = engine[i] + j`` for j below ``sizes[i]``, for every i at
    once: one numpy call per report cost ≈ 0.1 s of a start at 10⁴ reports."""
    total = int(sizes.sum())
    step = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    pos[np.repeat(local, sizes) + step] = np.repeat(engine, sizes) + step


def union_vocabulary(
    segments: Sequence[tuple[Segment, frozenset[str]]], positions: list[PosArray]
) -> tuple[dict[str, int], list[IntArray | None], Ints]:
    """Return the global term ids, each segment's global→local map, and the live df."""
    vocab: dict[str, int] = {}
    globals_of: list[Ints] = []
    for segment, _ in segments:
        if not vocab:
            vocab = dict(zip(segment.terms, range(len(segment.terms)), strict=True))
        else:
            for term in segment.terms:
                vocab.setdefault(term, len(vocab))
        globals_of.append(np.array([vocab[t] for t in segment.terms], dtype=np.int64)
                          if len(globals_of) else np.arange(len(segment.terms)))
    df = np.zeros(len(vocab), dtype=np.int64)
    local_ofs: list[IntArray | None] = []
    for (segment, _), pos, gids in zip(segments, positions, globals_of, strict=True):
        df[gids] += live_df(segment, pos >= 0)
        if len(local_ofs) == 0:
            local_ofs.append(None)
            continue
        local_of = np.full(len(vocab), -1, dtype=np.int32)
        local_of[gids] = np.arange(len(gids), dtype=np.int32)
        local_ofs.append(local_of)
    return vocab, local_ofs, df


def live_df(segment: Segment, alive: BoolArray) -> Ints:
    """Return each local term's number of live passages.

    A segment with a few dead reports (an upload replaced one) counts, per term, the postings
    inside each run of dead passages by binary search on the term's sorted list: a start then
    reads a few pages of each list, where counting over every posting read all of them (a
    warm start at 10⁶ passages took ≈ 1.9 s more and peaked ≈ 0.9 GB higher).
    """
    stored = np.diff(segment.indptr)
    if alive.all():
        return stored
    dead = np.flatnonzero(~alive)
    breaks = np.flatnonzero(np.diff(dead) != 1) + 1
    firsts = dead[np.concatenate([[0], breaks])]
    ends = dead[np.concatenate([breaks - 1, [len(dead) - 1]])] + 1
    # Two searches a run and term, each about log2(list length) steps, against one pass
    # over every posting.
    steps = float(np.log2(stored + 1.0).sum())
    if 2 * len(firsts) * steps > 2 * len(segment.docs):
        return _scanned_df(segment, alive)
    counts = np.zeros(len(stored), dtype=np.int64)
    per_chunk = max(1, _SEARCHED // max(1, len(stored)))
    for at in range(0, len(firsts), per_chunk):
        counts += _postings_in(segment, firsts[at:at + per_chunk], ends[at:at + per_chunk])
    return stored - counts


# Elements a numpy step works on at once (bounds the memory of counting live postings):
# postings read per scan step, and (run, term) searches per search step.
_CHUNK = 1 << 22
_SEARCHED = 1 << 20


def _postings_in(segment: Segment, firsts: Ints, ends: Ints) -> Ints:
    """Return, per term, how many of its postings fall in the passage runs [first, end)."""
    low = _lower_bounds(segment, firsts)
    high = _lower_bounds(segment, ends)
    return np.asarray((high - low).sum(axis=0), dtype=np.int64)


def _lower_bounds(segment: Segment, values: Ints) -> npt.NDArray[np.int64]:
    """Return, for each value and term, the first place in the term's list (sorted passage
    numbers) holding that value or more: a binary search on every list at once."""
    indptr = np.asarray(segment.indptr, dtype=np.int64)
    lo = np.tile(indptr[:-1], (len(values), 1)).ravel()
    hi = np.tile(indptr[1:], (len(values), 1)).ravel()
    wanted = np.repeat(np.asarray(values, dtype=np.int64), len(indptr) - 1)
    open_ = np.flatnonzero(lo < hi)
    while len(open_):
        mid = (lo[open_] + hi[open_]) >> 1
        below = segment.docs[mid] < wanted[open_]
        lo[open_[below]] = mid[below] + 1
        hi[open_[~below]] = mid[~below]
        open_ = open_[lo[open_] < hi[open_]]
    return lo.reshape(len(values), -1)


def _scanned_df(segment: Segment, alive: BoolArray) -> Ints:
    """Return each term's live postings by reading every posting, a chunk of terms at a
    time (many dead runs: cheaper than searching for each)."""
    indptr = np.asarray(segment.indptr, dtype=np.int64)
    counts = np.zeros(len(indptr) - 1, dtype=np.int64)
    first = 0
    while first < len(counts):
        last = max(first + 1, int(np.searchsorted(indptr, indptr[first] + _CHUNK, "right")) - 1)
        last = min(last, len(counts))
        lengths = np.diff(indptr[first:last + 1])
        term_of = np.repeat(np.arange(first, last), lengths)
        live = alive[segment.docs[indptr[first]:indptr[last]]]
        counts[first:last] = np.bincount(term_of[live] - first, minlength=last - first)
        first = last
    return counts
