"""The on-disk segment store: reuse, re-tokenise only what changed, live re-index, damage."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa import QAEngine, Tokenizer
from qa.reindex import engine_with, reload_engine
from qa.reports.ingest import parse_report
from qa.search import ondisk as diskindex
from qa.search.ondisk import MANIFEST, read_manifest
from qa.search.segindex import SegmentIndex
from tests.search.test_reindex import NEW
from tests.search.test_tokenize import CountingTokenizer

QUESTIONS = ("志愿服务", "存在哪些问题", "发展党员", "红色物业联盟覆盖多少小区", "主题党日")


def build(folder: Path, index_dir: Path, segmenter: CountingTokenizer) -> QAEngine:
    segmenter.calls = 0
    return QAEngine.from_directory(folder, segmenter=segmenter, index_dir=index_dir)


def answers(engine: QAEngine) -> list[list[tuple[str, float]]]:
    return [[(h.passage.passage_id, round(h.score, 9)) for h in engine.ask(q).hits]
            for q in QUESTIONS]


def test_second_start_memory_maps_and_tokenises_nothing(corpus_dir: Path, tmp_path: Path) -> None:
    seg, where = CountingTokenizer(), tmp_path / "index"
    first = build(corpus_dir, where, seg)
    assert seg.calls == len(first.passages)
    second = build(corpus_dir, where, seg)
    assert seg.calls == 0 and isinstance(second.index, SegmentIndex)
    assert isinstance(second.index.live[0].segment.docs, np.memmap)
    plain = QAEngine.from_directory(corpus_dir, segmenter=seg)
    query = list(plain.index.vocabulary)[:50]
    assert np.array_equal(second.index.scores(query), plain.index.scores(query))
    assert answers(second) == answers(plain)


def test_changed_and_removed_reports_touch_only_themselves(corpus_dir: Path,
                                                           tmp_path: Path) -> None:
    seg, where = CountingTokenizer(), tmp_path / "index"
    build(corpus_dir, where, seg)
    path = corpus_dir / "a_report.txt"
    path.write_text(path.read_text(encoding="utf-8") + "四、其他\n新增一段关于党费收缴的说明。\n",
                    encoding="utf-8")
    (corpus_dir / "c_report.txt").unlink()
    engine = build(corpus_dir, where, seg)
    assert seg.calls == sum(1 for p in engine.passages if p.report_id == "a_report")
    plain = QAEngine.from_directory(corpus_dir, segmenter=seg)
    assert answers(engine) == answers(plain)
    live = {r.report_id for e in read_manifest(where, seg.version) for r in e.reports
            if r.report_id not in e.dead}
    assert live == {"a_report", "b_report"}
    assert build(corpus_dir, where, seg) and seg.calls == 0


def test_live_reindex_writes_one_segment_and_matches_a_full_build(
    corpus_dir: Path, tmp_path: Path, segmenter: Tokenizer
) -> None:
    where = tmp_path / "index"
    engine = QAEngine.from_directory(corpus_dir, segmenter=segmenter, index_dir=where)
    report = parse_report("z_new", NEW)
    swapped = engine_with(engine, add=[report], remove={"b_report"})
    full = QAEngine([r for r in engine.reports if r.report_id != "b_report"] + [report],
                    segmenter)
    assert answers(swapped) == answers(full)
    assert swapped.ask("红色物业联盟覆盖多少小区").found and not engine.ask("红色物业联盟").found
    # A restart serves the same reports from disk without tokenising the new one again.
    (corpus_dir / "z_new.txt").write_text(NEW, encoding="utf-8")
    (corpus_dir / "b_report.txt").unlink()
    restarted = reload_engine(swapped, corpus_dir)
    assert answers(restarted) == answers(full)


def test_in_memory_segment_index_reindexes_too(corpus_dir: Path, segmenter: Tokenizer) -> None:
    base = QAEngine.from_directory(corpus_dir, segmenter=segmenter)
    from qa.search.bm25 import TokenTable
    from qa.search.ondisk import add_reports
    from qa.search.segments import SegmentReport, build_segment

    table = TokenTable.from_lists(base.segmenter.tokens(p.text) for p in base.passages)
    ids = [r.report_id for r in base.reports]
    reports = tuple(SegmentReport(r.report_id, "k", len(r.passages)) for r in base.reports)
    index = SegmentIndex.assemble([(build_segment("m", table, reports), frozenset())], ids)
    smaller = add_reports(index, "v", [], None, ids[:2])
    assert smaller.size == sum(len(r.passages) for r in base.reports[:2])


@pytest.mark.parametrize("damage", ["manifest", "array", "version"])
def test_damaged_store_is_rebuilt(corpus_dir: Path, tmp_path: Path, damage: str) -> None:
    seg, where = CountingTokenizer(), tmp_path / "index"
    first = build(corpus_dir, where, seg)
    manifest = where / MANIFEST
    if damage == "manifest":
        manifest.write_text("{not json", encoding="utf-8")
    elif damage == "array":
        name = json.loads(manifest.read_text(encoding="utf-8"))["segments"][0]["name"]
        docs = where / name / "docs.npy"
        docs.write_bytes(docs.read_bytes()[:-8])
    else:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        manifest.write_text(json.dumps({**data, "version": "old"}), encoding="utf-8")
    again = build(corpus_dir, where, seg)
    assert seg.calls == len(first.passages)
    assert answers(again) == answers(first)


def test_many_live_additions_compact_into_one_segment(corpus_dir: Path, tmp_path: Path,
                                                      segmenter: Tokenizer) -> None:
    where = tmp_path / "index"
    engine = QAEngine.from_directory(corpus_dir, segmenter=segmenter, index_dir=where)
    for i in range(10):
        engine = engine_with(engine, add=[parse_report(f"z{i}", NEW.replace("37", str(i)))])
    assert len(read_manifest(where, segmenter.version)) <= 8
    assert len([p for p in where.iterdir() if p.is_dir()]) <= 8
    full = QAEngine(engine.reports, segmenter)
    assert answers(engine) == answers(full)


def test_a_cold_build_writes_batches_and_keeps_them_if_stopped(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seg, where = CountingTokenizer(), tmp_path / "index"
    plain = QAEngine.from_directory(corpus_dir, segmenter=seg)
    sizes = {r.report_id: len(r.passages) for r in plain.reports}
    monkeypatch.setattr(diskindex, "BATCH_PASSAGES", 1)  # one report per batch
    broken = CountingTokenizer()
    original = broken.tokens

    def stop_in_the_last_batch(text: str) -> list[str]:
        if broken.calls >= len(plain.passages) - sizes[plain.reports[-1].report_id]:
            raise KeyboardInterrupt  # the machine stops mid-build
        return original(text)

    monkeypatch.setattr(broken, "tokens", stop_in_the_last_batch)
    with pytest.raises(KeyboardInterrupt):
        QAEngine.from_directory(corpus_dir, segmenter=broken, index_dir=where)
    kept = read_manifest(where, seg.version)
    assert [len(e.reports) for e in kept] == [1] * (len(plain.reports) - 1)
    engine = build(corpus_dir, where, seg)
    assert seg.calls == sizes[plain.reports[-1].report_id]  # only the report not yet written
    assert len(engine.index.live) == len(plain.reports)
    assert answers(engine) == answers(plain)
    query = list(plain.index.vocabulary)[:50]
    assert np.array_equal(engine.index.scores(query), plain.index.scores(query))
    # Every report changed: the old segments die, each new batch stays whole.
    for path in sorted(corpus_dir.glob("*.txt")):
        encoding = "gb18030" if path.name == "c_report.txt" else "utf-8"
        path.write_bytes(path.read_bytes() + "\n四、其他\n补充说明党费收缴。\n".encode(encoding))
    changed = build(corpus_dir, where, seg)
    assert seg.calls == len(changed.passages)
    assert answers(changed) == answers(QAEngine.from_directory(corpus_dir, segmenter=seg))


def test_batches_split_by_passages_within_the_free_places(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wanted = [(f"r{i}", "k", n) for i, n in enumerate([5, 5, 5, 5, 80])]
    everything = [0, 1, 2, 3, 4]
    assert diskindex._batches(everything, wanted, 8) == [everything]
    monkeypatch.setattr(diskindex, "BATCH_PASSAGES", 20)
    assert diskindex._batches(everything, wanted, 8) == [[0, 1, 2, 3], [4]]
    assert diskindex._batches(everything, wanted, 1) == [everything]
    assert diskindex._batches(everything, wanted, 0) == [everything]
    assert diskindex._batches([], wanted, 8) == []
