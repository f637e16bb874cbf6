"""The threshold algorithm (qa.topk) inside SegmentIndex against PassageIndex and rank-bm25."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qa.search import prune, topk
from qa.search.bm25 import PassageIndex, TokenTable, length_norm, tf_saturation
from qa.search.segindex import SegmentIndex
from qa.search.segments import SegmentReport, build_segment
from qa.search.topk import DEFAULT_POLICY, TopKPolicy
from tests.search.test_bm25_oracle import oracle_top10, zipf_corpus

Docs = list[list[str]]


def segment(name: str, reports: list[tuple[str, Docs]]):
    table = TokenTable.from_lists([d for _, docs in reports for d in docs])
    return build_segment(name, table, tuple(SegmentReport(r, "k", len(d)) for r, d in reports))


def small_corpus(seed: int, n: int = 1500) -> tuple[list[str], Docs]:
    """Few words, short passages: many passages tie on saturation and on score."""
    rng = random.Random(seed)
    vocab = [f"字{i}" for i in range(12)]
    weights = [1 / (r + 1) for r in range(len(vocab))]
    return vocab, [rng.choices(vocab, weights, k=rng.randint(1, 6)) for _ in range(n)]


def layouts(docs: Docs, size: int,
            policy: TopKPolicy = DEFAULT_POLICY) -> list[tuple[SegmentIndex, Docs]]:
    """Return one segment, three segments, and dead reports re-served in another order."""
    reports = [(f"r{i:03d}", docs[i * size : (i + 1) * size]) for i in range(len(docs) // size)]
    ids = [r for r, _ in reports]
    full = [d for _, part in reports for d in part]
    one = SegmentIndex.assemble([(segment("a", reports), frozenset())], ids, policy=policy)
    third = len(reports) // 3
    three = SegmentIndex.assemble([(segment("a", reports[:third]), frozenset()),
                                   (segment("b", reports[third:-2]), frozenset()),
                                   (segment("c", reports[-2:]), frozenset())], ids,
                                  policy=policy)
    order = [r for r in ids if r not in ("r001", "r004")]
    order.insert(3, "r004")
    dead = SegmentIndex.assemble([(segment("a", reports), frozenset({"r001", "r004"})),
                                  (segment("b", [reports[4]]), frozenset())], order,
                                 policy=policy)
    by_id = dict(reports)
    return [(one, full), (three, full), (dead, [d for r in order for d in by_id[r]])]


def random_queries(vocab: list[str], seed: int, count: int = 25) -> list[list[str]]:
    rng = random.Random(seed)
    out = [[rng.choice(vocab[:40]) for _ in range(rng.randint(1, 5))] for _ in range(count)]
    # Repeated terms count twice; an unknown term changes nothing.
    return out + [[vocab[0], vocab[0], vocab[1]], [vocab[2], "未知词", vocab[2]]]


POLICIES = {
    "default": DEFAULT_POLICY,
    "pruned": TopKPolicy(dense_first=0.0),
    "masks-pruned": TopKPolicy(dense_first=0.0, few_allowed=0),
    "tiny-prefix": TopKPolicy(dense_first=0.0, few_allowed=0, prefix_start=2, prefix_growth=2,
                              prefix_max=32, prefix_share=10**9),
    "dense": TopKPolicy(dense_first=float("inf"), few_allowed=0),
    # Every lookup by binary search in the postings, or every one in a tf table.
    "pruned-no-tables": TopKPolicy(dense_first=0.0, few_allowed=0, table_share=0),
    # θ seeded before the first round, and a fallback at once when prefixes look hopeless.
    "pruned-seed-first": TopKPolicy(dense_first=0.0, few_allowed=0, seed_first=0),
    "tiny-prefix-seed-first": TopKPolicy(dense_first=0.0, few_allowed=0, prefix_start=2,
                                         prefix_growth=2, prefix_max=32, prefix_share=10**9,
                                         seed_first=0),
    "tiny-prefix-all-tables": TopKPolicy(dense_first=0.0, few_allowed=0, prefix_start=2,
                                         prefix_growth=2, prefix_max=32, prefix_share=10**9,
                                         table_share=10**9),
    # Tiny prefixes again, their fallbacks by MaxScore where it reads fewer postings.
    "tiny-prefix-maxscore": TopKPolicy(dense_first=0.0, few_allowed=0, prefix_start=2,
                                       prefix_growth=2, prefix_max=32, prefix_share=10**9,
                                       maxscore=True),
}


@pytest.fixture(params=list(POLICIES))
def prefixes(request: pytest.FixtureRequest) -> TopKPolicy:
    """Run with the shipped settings (these small corpora are mostly scored at once); pruned by
    prefixes; with masks always pruned; with tiny prefixes: many rounds and fallbacks
    (scoring every posting, or by MaxScore); and every query scored at once (qa.densetop),
    masks too."""
    return POLICIES[request.param]


@pytest.mark.parametrize("seed", [1, 2])
def test_search_equals_passage_index_on_tied_corpora(prefixes: TopKPolicy, seed: int) -> None:
    vocab, docs = small_corpus(seed)
    rng = np.random.default_rng(seed)
    for index, served in layouts(docs, 50, prefixes):
        reference = PassageIndex.build(served)
        allowed = rng.random(len(served)) < 0.3
        one_report = np.arange(len(served)) // 50 == 3  # few passages: all scored
        groups = (np.arange(len(served)) // 23).astype(np.int32)
        for query in random_queries(vocab, seed):
            for k in (1, 5, 10, 40):
                for mask in (None, allowed, one_report):
                    assert index.search(query, k, mask) == reference.search(query, k, mask)
                    assert (index.search_per_group(query, k, groups, mask)
                            == reference.search_per_group(query, k, groups, mask)), (query, k)


def test_top10_equals_rank_bm25_on_zipf_corpus(prefixes: TopKPolicy) -> None:
    vocab, docs = zipf_corpus(17)
    for index, served in layouts(docs, 100, prefixes):
        oracle = BM25Okapi(served)
        for query in random_queries(vocab, 9):
            ours = [r.position for r in index.search(query, 10)]
            assert ours == oracle_top10(oracle.get_scores(query), served, query), query


def test_weights_zero_negative_and_fractional(prefixes: TopKPolicy) -> None:
    vocab, docs = zipf_corpus(5)
    for index, served in layouts(docs, 100, prefixes):
        reference = PassageIndex.build(served)
        groups = (np.arange(len(served)) // 41).astype(np.int32)
        for query in random_queries(vocab, 4, 10):
            for weight in (0.0, 0.3, -0.5):
                w = {query[0]: weight}
                for k in (1, 10, 60):
                    assert index.search(query, k, None, w) == reference.search(query, k, None, w)
                    assert (index.search_per_group(query, k, groups, None, w)
                            == reference.search_per_group(query, k, groups, None, w))


def test_identical_passages_tie_by_position() -> None:
    docs = [["甲", "乙"]] * 300 + [["丙", "甲", "甲"]] * 300
    index = SegmentIndex.assemble([(segment("a", [("r", docs)]), frozenset())], ["r"])
    reference = PassageIndex.build(docs)
    for query in (["甲"], ["乙"], ["甲", "丙"], ["乙", "丙", "乙"]):
        for k in (1, 7, 100, 500):
            assert index.search(query, k) == reference.search(query, k), (query, k)


def test_common_terms_are_answered_from_prefixes() -> None:
    """With the shipped prefix sizes, the zipf corpus' queries never need dense scoring
    (the early switch for plans reading much of a small corpus' lists is turned off here)."""
    vocab, docs = zipf_corpus(11)
    policy = TopKPolicy(dense_share=0, dense_first=0.0)
    index = SegmentIndex.assemble([(segment("a", [("r", docs)]), frozenset())], ["r"],
                                  policy=policy)
    reference = PassageIndex.build(docs)
    for query in ([vocab[0], vocab[1]], [vocab[0], vocab[3], vocab[300]], [vocab[2]]):
        assert index.search(query, 10) == reference.search(query, 10)
    assert index.dense_calls == 0


def test_short_prefixes_fall_back_to_dense_scoring() -> None:
    vocab, docs = zipf_corpus(11)
    policy = TopKPolicy(prefix_max=16, prefix_share=10**9, dense_first=0.0)
    index = SegmentIndex.assemble([(segment("a", [("r", docs)]), frozenset())], ["r"],
                                  policy=policy)
    reference = PassageIndex.build(docs)
    for query in ([vocab[0], vocab[1]], [vocab[0], vocab[3], vocab[300]], [vocab[2]]):
        assert index.search(query, 10) == reference.search(query, 10)
    assert index.dense_calls > 0


def test_impact_prefix_is_the_largest_saturations() -> None:
    rng = np.random.default_rng(0)
    docs = np.sort(rng.choice(5000, 800, replace=False)).astype(np.int32)
    tfs = rng.integers(1, 4, 800).astype(np.float32)
    norm = length_norm(rng.integers(1, 40, 5000).astype(np.float64))
    sat = tf_saturation(tfs.astype(np.float64), norm[docs])
    for size in (1, 50, 799, 800, 2000):
        got = topk.impact(docs, tfs, norm, size)
        assert np.array_equal(got.sats, np.sort(sat)[::-1][:size])
        assert np.array_equal(sat[np.searchsorted(docs, got.docs)], got.sats)
        assert got.rest == (np.sort(sat)[::-1][size] if size < 800 else 0.0)
        for m in range(min(size, 800)):
            assert got.beyond(m) == got.sats[m]


def test_impact_cache_stays_within_its_bound() -> None:
    cache = topk.ImpactCache(capacity=100)
    norm = np.ones(1000)
    docs = np.arange(1000, dtype=np.int32)
    tfs = np.ones(1000, dtype=np.float32)
    for key in range(10):
        got = cache.get(key, 40, lambda size: topk.impact(docs, tfs, norm, size))
        assert len(got.docs) == 40
        assert cache._held <= 100
    built = []
    cache.get(9, 30, lambda size: built.append(size) or topk.impact(docs, tfs, norm, size))
    assert built == []  # a longer cached prefix serves a shorter request
    cache.get(9, 60, lambda size: built.append(size) or topk.impact(docs, tfs, norm, size))
    assert built == [60] and cache._held <= 100


def test_slack_keeps_the_bound_strict() -> None:
    # A passage that ties θ could still win on position: the bound must be strictly below.
    assert prune.cutoff(1.0) < 1.0 and prune.cutoff(-np.inf) == -np.inf


def test_plan_depths_lowers_the_bound_within_budget() -> None:
    rng = np.random.default_rng(1)
    heads = [topk.impact(np.arange(n, dtype=np.int32), rng.integers(1, 4, n).astype(np.float32),
                         length_norm(rng.integers(1, 60, n).astype(np.float64)), n)
             for n in (3000, 800, 50)]
    scales = [1.0, 2.5, 4.0]
    start = [min(64, len(m.docs)) for m in heads]

    def bound(depth: list[int]) -> float:
        return sum(s * m.beyond(d) for s, m, d in zip(scales, heads, depth, strict=True))

    for target in (bound(start) * 0.9, bound(start) * 0.5, 0.0):
        depth = topk.plan_depths(heads, scales, start, target, budget=100_000)
        assert all(d >= s for d, s in zip(depth, start, strict=True))
        assert bound(depth) < target or depth == [len(m.docs) for m in heads]
    tight = topk.plan_depths(heads, scales, start, 0.0, budget=sum(start) + 100)
    assert sum(tight) <= sum(start) + 100


def test_seed_theta_is_reached_by_k_passages() -> None:
    vocab, docs = zipf_corpus(11)
    index = SegmentIndex.assemble([(segment("a", [("r", docs)]), frozenset())], ["r"])
    reference = PassageIndex.build(docs)
    live = index.live[0]
    for query in random_queries(vocab, 3, 15):
        terms = list(dict.fromkeys(query))
        spans, _ = index._spans(0, live, terms, query, None)
        order = [terms.index(q) for q in query]
        theta = topk.seed_theta(spans, order, live.norm, lambda d: np.ones(len(d), bool),
                                lambda d, t: prune.kth_best(t, 10), 32)
        best = reference.search(query, 10)
        assert theta == -np.inf or (len(best) == 10 and theta <= best[-1].score)


def test_distinct_marks_as_unique_sorts() -> None:
    rng = np.random.default_rng(3)
    for size, count in ((1000, 20), (1000, 900), (50, 400)):
        docs = rng.integers(0, size, count).astype(np.int32)
        union, place = topk.distinct(docs, size)
        expected, inverse = np.unique(docs, return_inverse=True)
        assert np.array_equal(union, expected) and np.array_equal(place, inverse)



def test_hopeless_only_when_no_plan_within_budget_gets_below_theta() -> None:
    rng = np.random.default_rng(2)
    norm = 0.5 + rng.random(5000)
    heads = [topk.impact(np.sort(rng.choice(5000, n, replace=False)).astype(np.int32),
                         rng.integers(1, 4, n).astype(np.float32), norm, n, 8)
             for n in (3000, 1200)]
    scales, start = [1.0, 2.0], [8, 8]
    top = sum(s * float(m.sats[0]) for s, m in zip(scales, heads, strict=True))
    assert not topk.hopeless(heads, scales, start, -np.inf, 10)  # no θ: nothing to judge
    assert topk.hopeless(heads, scales, start, top * 0.5, 0)  # no postings to read
    assert not topk.hopeless(heads, scales, start, top * 0.5, 5000)  # whole lists: bound 0
    assert not topk.hopeless(heads, scales, start, top * 2, 0)  # the bound is below θ already
