"""A cold build on both cores writes the very segment one process writes (qa.search.coldbuild)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from qa import QAEngine, Tokenizer
from qa.models import index_text
from qa.search import SegmentReport, TokenTable
from qa.search.bm25 import table_postings
from qa.search.coldbuild import MadeParts, Part, chunk_table, indexed, post_texts, stitch
from qa.search.segments import ARRAYS, TERMS_FILE, build_segment, write_segment


def random_lists(rng: random.Random, count: int) -> list[list[str]]:
    words = [f"w{i}" for i in range(300)]
    # Skewed word use and some empty passages, as real reports have.
    return [[words[int(rng.paretovariate(1.2)) % 300] for _ in range(rng.randrange(0, 40))]
            for _ in range(count)]


def test_stitched_chunks_are_the_postings_of_the_whole_table() -> None:
    rng = random.Random(7)
    lists = random_lists(rng, 1_000)
    whole = TokenTable.from_lists(lists)
    expected = table_postings(whole)
    for size in (1, 7, 250, 1_000):
        parts = []
        for i in range(0, len(lists), size):
            table = TokenTable.from_lists(lists[i : i + size])
            parts.append((table.vocab, table_postings(table), table.lengths()))
        got = stitch(parts)
        assert got.vocab == whole.vocab
        # The segment's bounds come stitched from the chunks', as computed over the whole.
        assert got.bounds is not None
        reference = build_segment("whole", whole, (SegmentReport("r", "k", len(lists)),))
        assert np.array_equal(got.bounds[0], reference.maxtf), size
        assert np.array_equal(got.bounds[1], reference.minlen), size
        assert np.array_equal(got.lengths(), whole.lengths())
        for field in ("present", "indptr", "doc_ids", "tfs"):
            mine, theirs = getattr(got.postings, field), getattr(expected, field)
            assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs), (size, field)


def test_parts_numbered_as_they_arrive_stitch_as_fresh_ones() -> None:
    # A load numbers every part's words as it arrives (MadeParts.words); a later batch's
    # stitch must still number its words from its own first occurrences, and parts not made
    # in advance (a gap tokenised at stitch time) join the same numbering.
    rng = random.Random(5)
    lists = random_lists(rng, 1_200)
    parts: list[Part] = []
    for i in range(0, len(lists), 100):
        table = TokenTable.from_lists(lists[i : i + 100])
        parts.append((table.vocab, table_postings(table), table.lengths()))
    made = MadeParts()
    for at, part in enumerate(parts):
        made.add(((f"r{at}", "k"),), part)
    first = list(made.take([("r0", "k"), ("r1", "k"), ("r2", "k")]))
    assert not any(isinstance(p, range) for p in first)
    later = list(made.take([(f"r{at}", "k") if at != 5 else ("gap", "k")
                            for at in range(3, 12)]))
    assert later[2] == range(2, 3)  # the gap: tokenised when stitched, here parts[5]
    got = stitch([parts[5] if isinstance(p, range) else p for p in later], made.words)
    whole = TokenTable.from_lists(lists[300:])
    expected = table_postings(whole)
    assert got.vocab == whole.vocab and np.array_equal(got.lengths(), whole.lengths())
    for field in ("present", "indptr", "doc_ids", "tfs"):
        mine, theirs = getattr(got.postings, field), getattr(expected, field)
        assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs), field


def written(folder: Path, table: object, reports: tuple[SegmentReport, ...]) -> dict[str, bytes]:
    segment = build_segment("seg-test", table, reports)  # type: ignore[arg-type]
    write_segment(folder, segment)
    return {name: (folder / "seg-test" / name).read_bytes()
            for name in (TERMS_FILE, *(f"{a}.npy" for a in ARRAYS))}


def test_a_segment_built_by_two_worker_processes_is_bit_identical(tmp_path: Path) -> None:
    rng = random.Random(3)
    phrases = ["全年发展党员", "开展主题党日活动", "三会一课", "理论学习中心组", "警示教育",
               "志愿服务", "党风廉政建设", "存在问题", "下一步", "清廉机关"]
    texts = [(rng.choice([None, "一、基层组织", "（二）党员队伍 發展"]),
              "".join(rng.choice(phrases) for _ in range(rng.randrange(1, 9))) + f"{i}名")
             for i in range(4_500)]
    reports = (SegmentReport("a", "k", 4_000), SegmentReport("b", "k", 500))
    tokenizer = Tokenizer(lexicon=())
    one = post_texts(iter(texts), len(texts), tokenizer, workers=1)
    two = post_texts(iter(texts), len(texts), tokenizer, workers=2, min_parallel=1_000)
    assert isinstance(one, TokenTable) and not isinstance(two, TokenTable)
    files = written(tmp_path / "one", one, reports)
    assert files == written(tmp_path / "two", two, reports)
    # The headings apart give the tokens of the joined text (index_text), head by head.
    joined = TokenTable.from_lists(tokenizer.tokens(t if h is None else f"{h} {t}")
                                   for h, t in texts)
    assert written(tmp_path / "joined", joined, reports) == files


def test_a_chunk_table_is_the_table_from_lists() -> None:
    rng = random.Random(11)
    for lists in (random_lists(rng, 500), [[], ["a"], []], []):
        mine, theirs = chunk_table(lists), TokenTable.from_lists(lists)
        assert mine.vocab == theirs.vocab
        for field in ("ids", "offsets"):
            a, b = getattr(mine, field), getattr(theirs, field)
            assert a.dtype == b.dtype and np.array_equal(a, b), field


def test_a_passages_parts_join_to_its_indexed_text(seeds_engine: QAEngine) -> None:
    passages = seeds_engine.passages
    assert any(indexed(p)[0] is None for p in passages)
    assert any(p.label for p in passages) and any(not p.label for p in passages)
    for passage in passages:
        head, text = indexed(passage)
        assert (text if head is None else f"{head} {text}") == index_text(passage)
