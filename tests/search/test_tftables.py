"""Term-frequency tables (qa.search.tftables): lookups equal to binary searches in postings."""

from __future__ import annotations

import numpy as np

from qa.search import topk
from qa.search.bm25 import locate, tf_saturation
from qa.search.prune import TermSpan, exact_scores, holding, span_tfs
from qa.search.tftables import TableCache, tf_table, wants_table


def _span(rng: np.random.Generator, size: int, n: int, weight: float,
          tables: bool) -> TermSpan:
    docs = np.sort(rng.choice(size, n, replace=False)).astype(np.int32)
    tfs = rng.integers(1, 6, n).astype(np.float32)
    return TermSpan(docs, tfs, weight, 1, tf_table(docs, tfs, size) if tables else None)


def test_a_table_answers_as_the_postings() -> None:
    rng = np.random.default_rng(4)
    span = _span(rng, 1000, 300, 1.0, tables=True)
    docs = np.sort(rng.choice(1000, 200, replace=False))
    tf, holds = span_tfs(span, docs)
    at = locate(span.docs, docs)
    assert np.array_equal(holds, span.docs[at] == docs)
    assert np.array_equal(tf[holds], span.tfs[at][holds].astype(np.float64))
    assert not tf[~holds].any()


def test_scores_bounds_and_holding_are_the_same_floats_with_tables() -> None:
    rng = np.random.default_rng(9)
    norm = 0.5 + 2.0 * rng.random(2000)
    for seed in range(5):
        shapes = [(1500, 0.3), (40, 2.0), (700, -0.4), (900, 1.1)]
        with_tables = [_span(np.random.default_rng(seed), 2000, n, w, True) for n, w in shapes]
        without = [_span(np.random.default_rng(seed), 2000, n, w, False) for n, w in shapes]
        order = [0, 1, 0, 2, 3]
        docs = np.sort(rng.choice(2000, 600, replace=False))
        a, found_a = exact_scores(with_tables, order, docs, norm)
        b, found_b = exact_scores(without, order, docs, norm)
        assert np.array_equal(a, b)
        assert all(np.array_equal(x, y) for x, y in zip(found_a, found_b, strict=True))
        assert all(np.array_equal(x, y) for x, y in zip(
            holding(with_tables, docs), holding(without, docs), strict=True))
        upper = a + 3.0
        lookups = [(s, 1.0, 0.8) for s in with_tables[:2]]
        plain = [(s, 1.0, 0.8) for s in without[:2]]
        assert np.array_equal(topk.bounded(lookups, norm, docs, upper, float(np.median(a))),
                              topk.bounded(plain, norm, docs, upper, float(np.median(a))))


def test_no_table_for_a_tf_beyond_a_byte_and_only_for_common_terms() -> None:
    docs = np.array([1, 5], dtype=np.int32)
    assert tf_table(docs, np.array([3.0, 256.0], np.float32), 10) is None
    assert tf_table(docs, np.array([3.0, 1.5], np.float32), 10) is None
    table = tf_table(docs, np.array([3.0, 255.0], np.float32), 10)
    assert table is not None and table.tolist() == [0, 3, 0, 0, 0, 255, 0, 0, 0, 0]
    assert wants_table(100, 1600, 16) and not wants_table(99, 1600, 16)
    assert not wants_table(100, 1600, 0) and not wants_table(0, 0, 16)


def test_table_cache_stays_within_its_bytes() -> None:
    cache = TableCache(capacity=250)
    built: list[int] = []

    def build(key: int) -> np.ndarray:
        built.append(key)
        return np.zeros(100, np.uint8)

    for key in (1, 2, 1, 3, 1, 2):
        cache.get(key, lambda key=key: build(key))  # type: ignore[misc]
    # 1 stays (used last but one each time), 2 is dropped for 3 and built again.
    assert built == [1, 2, 3, 2]


def test_distinct_reuses_a_dirty_buffer() -> None:
    rng = np.random.default_rng(6)
    topk.distinct(rng.integers(0, 5000, 3000).astype(np.int32), 5000)  # a longer segment first
    for size, count in ((100, 300), (5000, 10), (1, 3)):
        docs = rng.integers(0, size, count).astype(np.int32)
        union, place = topk.distinct(docs, size)
        expected, inverse = np.unique(docs, return_inverse=True)
        assert np.array_equal(union, expected) and np.array_equal(place, inverse)


def test_lookups_that_lower_the_bounds_most_go_first() -> None:
    """A compound's part held by every candidate lowers no bound: looked up after a term
    that most candidates lack, though its bound is larger."""
    size = 5000
    docs = np.arange(0, size, 2, dtype=np.int32)  # 2500 candidates
    norm = np.ones(size)
    part = TermSpan(docs, np.ones(len(docs), np.float32), 1.0, 1)  # every candidate holds it
    rare = TermSpan(docs[::50], np.ones(50, np.float32), 1.0, 1)
    held = float(tf_saturation(np.ones(1), norm[:1])[0])  # what the part adds, everywhere
    lookups = [(part, 1.0, held), (rare, 1.0, held / 2)]
    assert [s for s, _, _ in topk._by_drop(lookups, norm, docs)] == [rare, part]
    # Few candidates: the most uncertain first, as before.
    assert [s for s, _, _ in topk._by_drop(lookups, norm, docs[:100])] == [part, rare]


def test_distinct_merges_runs_as_it_sorts() -> None:
    rng = np.random.default_rng(8)
    runs = [np.sort(rng.choice(3000, n, replace=False)).astype(np.int32) for n in (700, 90, 1500)]
    docs = np.concatenate(runs)
    union, place = topk.distinct(docs, 3000, runs=True)
    expected, inverse = np.unique(docs, return_inverse=True)
    assert np.array_equal(union, expected) and np.array_equal(place, inverse)
