"""PassageIndex against rank-bm25 as an oracle, and matching by overlap rather than score."""

from __future__ import annotations

import random

import numpy as np
from rank_bm25 import BM25Okapi

from qa.search.bm25 import PassageIndex, idf_okapi


def test_scores_equal_rank_bm25_get_scores() -> None:
    rng = random.Random(7)
    vocab = [f"词{i}" for i in range(200)]
    docs = [
        [rng.choice(vocab[: rng.randint(3, 200)]) for _ in range(rng.randint(1, 30))]
        for _ in range(500)
    ]
    index, oracle = PassageIndex.build(docs), BM25Okapi(docs)
    for _ in range(40):
        query = [rng.choice(vocab) for _ in range(rng.randint(1, 6))]
        ours, theirs = index.scores(query), oracle.get_scores(query)
        assert np.allclose(ours, theirs)
        top = np.lexsort((np.arange(len(theirs)), -theirs))[:10]
        assert [r.position for r in index.search(query, 10)][: len(top)] == [
            int(i) for i in top if any(t in docs[i] for t in query)
        ][:10]


def test_idf_matches_rank_bm25_including_the_floor() -> None:
    docs = [["收入", "增长"], ["人口", "下降"], ["收入", "下降"]]
    oracle = BM25Okapi(docs)
    index = PassageIndex.build(docs)
    for term, expected in oracle.idf.items():
        assert np.isclose(index.term_idf(term), expected)
    floor = 0.25 * (np.log(0.5 / 2.5) / 2)  # negative: the mean idf is negative here
    assert np.allclose(idf_okapi(np.array([1.0, 2.0]), 2), [0.0, floor])


def test_a_unique_term_in_a_two_passage_corpus_ranks_first() -> None:
    docs = [["收入", "增长"], ["人口", "下降"]]
    # rank-bm25 scores both passages 0 here (idf = 0 at df = N/2): overlap decides the match.
    assert list(BM25Okapi(docs).get_scores(["收入"])) == [0.0, 0.0]
    hits = PassageIndex.build(docs).search(["收入"], 5)
    assert [(h.position, h.matched) for h in hits] == [(0, ("收入",))]


def test_search_respects_the_allowed_mask_and_reports_matched_terms() -> None:
    docs = [["党费", "收缴"], ["党费", "管理"], ["志愿", "服务"]]
    index = PassageIndex.build(docs)
    hits = index.search(["党费", "收缴"], 5, np.array([False, True, True]))
    assert [(h.position, h.matched) for h in hits] == [(1, ("党费",))]
    assert index.search(["不存在"], 5) == []


def test_search_per_group_equals_the_best_hit_of_each_group() -> None:
    rng = random.Random(3)
    vocab = [f"词{i}" for i in range(50)]
    docs = [[rng.choice(vocab) for _ in range(rng.randint(1, 12))] for _ in range(400)]
    groups = np.array([i // 37 for i in range(len(docs))], dtype=np.int32)
    index = PassageIndex.build(docs)
    for _ in range(20):
        query = [rng.choice(vocab) for _ in range(3)]
        best: dict[int, int] = {}
        for hit in index.search(query, len(docs)):
            best.setdefault(int(groups[hit.position]), hit.position)
        expected = list(best.values())[:4]
        assert [h.position for h in index.search_per_group(query, 4, groups)] == expected
