"""A query asked again of a segment (per-report search: best passages, then each report's best)
reuses its scores of every passage, and answers exactly as a PassageIndex does."""

from __future__ import annotations

import numpy as np

from qa.search.bm25 import PassageIndex
from qa.search.densetop import Scratch, scatter_scores
from qa.search.prune import TermSpan
from qa.search.segindex import SegmentIndex
from tests.search.test_bm25_oracle import queries, zipf_corpus
from tests.search.test_segindex_oracle import REPORT, segment


def _index() -> tuple[SegmentIndex, PassageIndex, list[str]]:
    """Return two segments of twelve reports, the same passages in one PassageIndex (the
    oracle), and the vocabulary."""
    vocab, docs = zipf_corpus(5)
    reports = [(f"r{i:03d}", docs[i * REPORT : (i + 1) * REPORT]) for i in range(12)]
    ids = [r for r, _ in reports]
    index = SegmentIndex.assemble([(segment("a", reports[:5]), frozenset()),
                                   (segment("b", reports[5:]), frozenset())], ids)
    return index, PassageIndex.build([d for _, ds in reports for d in ds]), vocab


def test_a_repeated_query_reuses_its_scores_and_answers_as_a_fresh_index() -> None:
    asked, fresh, vocab = _index()
    groups = (np.arange(asked.size) // REPORT).astype(np.int32)
    for query in queries(vocab)[:40]:
        for weights in (None, {query[0]: 0.5}):
            first = asked.search(query, 30, None, weights)
            reused = {s: entry[2] for s, entry in asked._last_scores.items()}
            per_group = asked.search_per_group(query, 30, groups, None, weights)
            assert first == fresh.search(query, 30, None, weights)
            assert per_group == fresh.search_per_group(query, 30, groups, None, weights)
            # The second call scored nothing again: the very arrays of the first.
            assert all(asked._last_scores[s][2] is scores for s, scores in reused.items())


def test_other_weights_are_another_query() -> None:
    asked, _, vocab = _index()
    query = queries(vocab)[0]
    asked.search(query, 10)
    before = {s: entry[2] for s, entry in asked._last_scores.items()}
    asked.search(query, 10, None, {query[0]: 0.5})
    assert before and all(asked._last_scores[s][2] is not scores for s, scores in before.items())


def test_scatter_reuses_its_buffers_without_changing_scores() -> None:
    """Scores laid out in reused (longer, dirty) buffers equal those in fresh ones."""
    rng = np.random.default_rng(1)
    spans = [TermSpan(np.sort(rng.choice(500, n, replace=False)).astype(np.int32),
                      np.ones(n, np.float32), w, 1) for n, w in ((300, 0.7), (40, 2.5))]
    sats = [rng.random(len(s.docs)) for s in spans]
    scratch = Scratch()
    scratch.take(10_000)[1][:] = np.nan  # left over from a longer query
    for tokens in ([0, 1], [1, 0, 1], [0]):
        fresh = scatter_scores(spans, tokens, sats, 500)
        again = scatter_scores(spans, tokens, sats, 500, scratch)
        assert np.array_equal(fresh, again)
    assert len(scratch.postings) == 10_000  # grown once, never shrunk
