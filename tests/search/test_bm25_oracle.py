"""PassageIndex against rank-bm25's ``get_scores`` on a few thousand Zipf-distributed passages."""

from __future__ import annotations

import random

import numpy as np
import numpy.typing as npt
import pytest
from rank_bm25 import BM25Okapi

from qa.search.bm25 import PassageIndex, TokenTable, top_k_order

N_PASSAGES = 3000
Corpus = tuple[list[str], list[list[str]], PassageIndex, BM25Okapi]


def zipf_corpus(seed: int) -> tuple[list[str], list[list[str]]]:
    """Return a vocabulary and passages whose word frequencies fall off like real text."""
    rng = random.Random(seed)
    vocab = [f"词{i}" for i in range(2000)]
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    docs = [rng.choices(vocab, weights, k=rng.randint(5, 120)) for _ in range(N_PASSAGES)]
    docs[7] = []  # an empty passage must not break the averages
    return vocab, docs


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    vocab, docs = zipf_corpus(11)
    return vocab, docs, PassageIndex.build(docs), BM25Okapi(docs)


def queries(vocab: list[str]) -> list[list[str]]:
    rng = random.Random(5)
    common, rare = vocab[:5], vocab[200:]
    out = [[rng.choice(vocab) for _ in range(rng.randint(1, 6))] for _ in range(30)]
    # Terms in more than half the passages hit rank-bm25's epsilon idf floor.
    out += [common[:2], [common[0], rare[3]], [rare[5], rare[5], "未知词"], ["未知词"]]
    return out


def oracle_top10(
    scores: npt.NDArray[np.float64], docs: list[list[str]], query: list[str]
) -> list[int]:
    """Return rank-bm25's top 10 among passages sharing a query term, ties by position."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    terms = set(query)
    return [int(i) for i in order if terms.intersection(docs[i])][:10]


def test_scores_equal_get_scores(corpus: Corpus) -> None:
    vocab, docs, index, oracle = corpus
    for query in queries(vocab):
        assert np.allclose(index.scores(query), oracle.get_scores(query), rtol=1e-12, atol=0)


def test_top10_identical_to_get_scores(corpus: Corpus) -> None:
    vocab, docs, index, oracle = corpus
    for query in queries(vocab):
        ours = [r.position for r in index.search(query, 10)]
        assert ours == oracle_top10(oracle.get_scores(query), docs, query), query


def test_idf_and_average_length_follow_the_model(corpus: Corpus) -> None:
    _, docs, index, oracle = corpus
    assert np.isclose(index.doc_len.mean(), oracle.avgdl)
    for term, t in index.vocabulary.items():
        assert np.isclose(index.idf[t], oracle.idf[term])


def test_token_table_and_lists_build_the_same_index() -> None:
    _, docs = zipf_corpus(3)
    from_lists = PassageIndex.build(docs)
    from_table = PassageIndex.build(TokenTable.from_lists(docs))
    assert from_lists.vocabulary.keys() == from_table.vocabulary.keys()
    query = ["词0", "词9", "词300"]
    assert np.array_equal(from_lists.scores(query), from_table.scores(query))
    assert TokenTable.from_lists(docs)[42] == docs[42]


def test_top_k_order_breaks_ties_by_position_at_the_cut() -> None:
    scores = np.array([1.0, 3.0, 2.0, 3.0, 2.0, 2.0])
    assert top_k_order(scores, 3).tolist() == [1, 3, 2]
    assert top_k_order(scores, 10).tolist() == [1, 3, 2, 4, 5, 0]
