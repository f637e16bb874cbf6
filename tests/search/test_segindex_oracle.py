"""SegmentIndex (segments, dead reports, MaxScore pruning) against rank-bm25 and PassageIndex."""

from __future__ import annotations

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qa.search.bm25 import PassageIndex, TokenTable
from qa.search.segindex import SegmentIndex
from qa.search.segments import SegmentReport, build_segment
from tests.search.test_bm25_oracle import oracle_top10, queries, zipf_corpus

REPORT = 100  # passages per synthetic report
Docs = list[list[str]]


def segment(name: str, reports: list[tuple[str, Docs]]):
    table = TokenTable.from_lists([d for _, docs in reports for d in docs])
    return build_segment(name, table, tuple(SegmentReport(r, "k", len(d)) for r, d in reports))


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], Docs, list[tuple[str, Docs]]]:
    vocab, docs = zipf_corpus(11)
    reports = [(f"r{i:03d}", docs[i * REPORT : (i + 1) * REPORT]) for i in range(30)]
    return vocab, docs, reports


def layouts(reports: list[tuple[str, Docs]]) -> dict[str, tuple[SegmentIndex, Docs]]:
    """Return the same served corpus laid out several ways, with the passages it serves."""
    ids = [r for r, _ in reports]
    one = SegmentIndex.assemble([(segment("a", reports), frozenset())], ids)
    # A small first segment: most terms' global ids lie beyond its own vocabulary.
    three = SegmentIndex.assemble([(segment("a", reports[:1]), frozenset()),
                                   (segment("b", reports[1:25]), frozenset()),
                                   (segment("c", reports[25:]), frozenset())], ids)
    # Reports 3 and 7 dead in the big segment; report 7 served again from a later segment,
    # and the engine order is not the storage order.
    order = [r for r in ids if r != "r003"]
    order.remove("r007")
    order.insert(2, "r007")
    dead = SegmentIndex.assemble([(segment("a", reports), frozenset({"r003", "r007"})),
                                  (segment("b", [reports[7]]), frozenset())], order)
    by_id = dict(reports)
    served = [d for r in order for d in by_id[r]]
    full = [d for _, docs in reports for d in docs]
    return {"one": (one, full), "three": (three, full), "dead": (dead, served)}


@pytest.mark.parametrize("layout", ["one", "three", "dead"])
def test_scores_and_top10_equal_rank_bm25(corpus, layout: str) -> None:
    vocab, _, reports = corpus
    index, served = layouts(reports)[layout]
    oracle, reference = BM25Okapi(served), PassageIndex.build(served)
    assert index.size == len(served)
    for query in queries(vocab):
        assert np.array_equal(index.scores(query), reference.scores(query)), query
        assert np.allclose(index.scores(query), oracle.get_scores(query), rtol=1e-12, atol=0)
        ours = [r.position for r in index.search(query, 10)]
        assert ours == oracle_top10(oracle.get_scores(query), served, query), query
    for term in vocab[:300]:
        assert index.doc_freq(term) == reference.doc_freq(term)
        assert index.term_idf(term) == pytest.approx(oracle.idf.get(term, 0.0), rel=1e-12)


@pytest.mark.parametrize("layout", ["one", "three", "dead"])
def test_pruned_search_equals_exhaustive_search(corpus, layout: str) -> None:
    vocab, _, reports = corpus
    index, served = layouts(reports)[layout]
    reference = PassageIndex.build(served)
    rng = np.random.default_rng(3)
    allowed = rng.random(len(served)) < 0.4
    groups = (np.arange(len(served)) // 37).astype(np.int32)
    for query in queries(vocab):
        weights = {query[0]: 0.5}
        for k in (1, 3, 10, 30, 200):
            for mask, w in ((None, None), (allowed, weights)):
                assert index.search(query, k, mask, w) == reference.search(query, k, mask, w)
                assert (index.search_per_group(query, k, groups, mask, w)
                        == reference.search_per_group(query, k, groups, mask, w)), (query, k)


def test_ties_at_the_cut_keep_position_order() -> None:
    docs = [["甲", "乙"]] * 40 + [["丙"]] * 40  # forty identical passages: all tie
    index = SegmentIndex.assemble([(segment("a", [("r", docs)]), frozenset())], ["r"])
    assert [r.position for r in index.search(["甲", "丙"], 5)] == [0, 1, 2, 3, 4]
    assert index.search([], 5) == [] and index.search(["无"], 5) == []
