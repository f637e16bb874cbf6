"""The query caches of a segment index grow with its postings past their fixed sizes."""

from __future__ import annotations

from qa.search.segindex import SATURATION_ENTRIES, cache_entries
from qa.search.topk import CACHE_ENTRIES
from tests.search.test_bm25_oracle import zipf_corpus
from tests.search.test_topk_oracle import layouts


def test_small_indexes_keep_the_fixed_sizes() -> None:
    _, docs = zipf_corpus(3)
    index = layouts(docs, 100)[0][0]
    assert index.impacts.capacity == CACHE_ENTRIES
    assert index.saturations.capacity == SATURATION_ENTRIES


def test_capacity_is_a_share_of_the_postings_past_the_least() -> None:
    _, docs = zipf_corpus(3)
    live = layouts(docs, 100)[0][0].live
    postings = sum(len(one.docs) for one in live)
    assert postings > 1000
    assert cache_entries(live, 10, 4) == postings // 4
    assert cache_entries(live, postings, 4) == postings
