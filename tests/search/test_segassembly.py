"""Live document frequencies of a segment with dead reports, against counting every posting."""

from __future__ import annotations

import numpy as np
import pytest

from qa.search import segassembly
from qa.search.bm25 import TokenTable
from qa.search.segassembly import live_df
from qa.search.segments import Segment, SegmentReport, build_segment
from tests.search.test_bm25_oracle import zipf_corpus

REPORT = 20  # passages per synthetic report


@pytest.fixture(scope="module")
def segment() -> Segment:
    _, docs = zipf_corpus(7)
    reports = tuple(SegmentReport(f"r{i:03d}", "k", REPORT) for i in range(len(docs) // REPORT))
    table = TokenTable.from_lists(docs[: len(reports) * REPORT])
    return build_segment("s", table, reports)


def counted(segment: Segment, alive: np.ndarray) -> np.ndarray:
    """Each term's live passages, counted posting by posting."""
    out = np.zeros(len(segment.terms), dtype=np.int64)
    for term in range(len(segment.terms)):
        docs = segment.docs[segment.indptr[term]:segment.indptr[term + 1]]
        out[term] = int(alive[docs].sum())
    return out


@pytest.mark.parametrize("dead", [0, 1, 3, 17])
def test_live_df_counts_only_live_postings(segment: Segment, dead: int,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    scans: list[int] = []
    scan = segassembly._scanned_df
    monkeypatch.setattr(segassembly, "_scanned_df", lambda s, a: scans.append(1) or scan(s, a))
    alive = np.ones(segment.size, dtype=bool)
    rng = np.random.default_rng(dead)
    for report in rng.choice(segment.size // REPORT, dead, replace=False):
        alive[report * REPORT:(report + 1) * REPORT] = False
    alive[-1] = dead == 0  # a run at the very end, one passage long
    assert live_df(segment, alive).tolist() == counted(segment, alive).tolist()
    assert bool(scans) == (dead > 3)  # a few dead runs are searched for, not scanned


def test_many_dead_runs_scan_in_chunks(segment: Segment, monkeypatch: pytest.MonkeyPatch) -> None:
    alive = np.random.default_rng(5).random(segment.size) < 0.5  # thousands of runs
    monkeypatch.setattr(segassembly, "_CHUNK", 64)  # many chunks, some of one long term
    monkeypatch.setattr(segassembly, "_SEARCHED", 64)
    expected = counted(segment, alive).tolist()
    assert live_df(segment, alive).tolist() == expected
    assert segassembly._scanned_df(segment, alive).tolist() == expected
    few = np.ones(segment.size, dtype=bool)
    few[[3, 4, 50, 51, 52, 400]] = False  # searched, in chunks of runs
    assert live_df(segment, few).tolist() == counted(segment, few).tolist()
