"""MaxScore (qa.maxscore), the fallback when impact prefixes give up, against PassageIndex."""

from __future__ import annotations

import numpy as np
import pytest

from qa.search.bm25 import PassageIndex
from qa.search.maxscore import maxscore_reads, split_terms
from qa.search.prune import TermSpan
from qa.search.tftables import tf_table
from qa.search.topk import TopKPolicy
from tests.search.test_bm25_oracle import zipf_corpus
from tests.search.test_topk_oracle import layouts, random_queries

# Prefixes too short to ever get their bound below θ: every query falls back, and always to
# MaxScore (however many postings its essential lists hold).
ALWAYS = TopKPolicy(dense_first=0.0, few_allowed=0, prefix_start=2, prefix_growth=2,
                    prefix_max=8, prefix_share=10**9, maxscore=True, maxscore_share=0.0)


def test_split_terms_keeps_the_smallest_bounds_below_the_floor() -> None:
    assert split_terms([3.0, 1.0, 0.0, 2.0], 3.5) == ([0], 3.0)  # 0 + 1 + 2 < 3.5
    assert split_terms([3.0, 1.0, 0.0, 2.0], 2.5) == ([0, 3], 1.0)
    assert split_terms([3.0, 1.0, 2.0], 3.0) == ([0, 2], 1.0)  # 1 + 2 reaches the floor
    assert split_terms([3.0, 1.0], 0.5) == ([0, 1], 0.0)


def test_maxscore_reads_counts_essential_postings_and_lookups() -> None:
    spans = [TermSpan(np.arange(n, dtype=np.int32), np.ones(n, np.float32), 1.0, 1)
             for n in (5, 50)]
    assert maxscore_reads(spans, [4.0, 1.0], -np.inf) == 55
    # The common term is not essential: its list is only looked up.
    assert maxscore_reads(spans, [4.0, 1.0], 3.0) == 5 * 2
    assert maxscore_reads(spans, [4.0, 0.0], 3.0) == 5  # an absent term is never looked up


@pytest.mark.parametrize("seed", [3, 8])
def test_maxscore_fallback_equals_passage_index(seed: int) -> None:
    vocab, docs = zipf_corpus(seed)
    rng = np.random.default_rng(seed)
    calls = 0
    for index, served in layouts(docs, 100, ALWAYS):
        reference = PassageIndex.build(served)
        allowed = rng.random(len(served)) < 0.5
        groups = (np.arange(len(served)) // 37).astype(np.int32)
        for query in random_queries(vocab, seed, 40):
            for k in (1, 10, 40):
                for mask in (None, allowed):
                    assert index.search(query, k, mask) == reference.search(query, k, mask)
                    assert (index.search_per_group(query, k, groups, mask)
                            == reference.search_per_group(query, k, groups, mask)), (query, k)
        calls += index.maxscore_calls
    assert calls > 100  # the path under test ran, not the dense fallback


def test_fractional_weights_through_maxscore() -> None:
    vocab, docs = zipf_corpus(5)
    index, served = layouts(docs, 100, ALWAYS)[0]
    reference = PassageIndex.build(served)
    for query in random_queries(vocab, 4, 15):
        for w in ({query[0]: 0.3}, {query[-1]: 2.5}):
            for k in (1, 10, 60):
                assert index.search(query, k, None, w) == reference.search(query, k, None, w)
    assert index.maxscore_calls > 0


def test_lookups_in_tf_tables_are_not_counted_as_reads() -> None:
    docs = np.arange(50, dtype=np.int32)
    tfs = np.ones(50, np.float32)
    spans = [TermSpan(docs[:5], tfs[:5], 1.0, 1),
             TermSpan(docs, tfs, 1.0, 1, tf_table(docs, tfs, 50))]
    assert maxscore_reads(spans, [4.0, 1.0], 3.0) == 5  # the common term is read in its table
