"""Live re-index: the new engine answers from the new report, scores as a full rebuild would."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa import QAEngine, Tokenizer
from qa.errors import EmptyCorpusError
from qa.reindex import engine_with, index_token_table, reload_engine
from qa.reports.ingest import load_reports, parse_report

NEW = """某街道2024年党建工作总结
一、主要工作情况
（一）红色物业。组建红色物业联盟，覆盖小区37个。
二、存在问题
一是物业党建覆盖不全。
三、下步打算
一是扩大红色物业联盟。
"""


def test_index_token_table_round_trips_the_index(small_engine: QAEngine) -> None:
    index = small_engine.index
    rebuilt = type(index).from_table(index_token_table(index))
    assert rebuilt.vocabulary == index.vocabulary
    for field in ("indptr", "doc_ids", "tfs", "saturated", "idf", "doc_len"):
        assert np.array_equal(getattr(rebuilt, field), getattr(index, field)), field


def test_added_report_is_answerable_and_scores_match_a_full_build(
    small_engine: QAEngine, segmenter: Tokenizer
) -> None:
    report = parse_report("z_new", NEW)
    before = small_engine.ask("红色物业联盟覆盖多少小区")
    swapped = engine_with(small_engine, add=[report])
    answer = swapped.ask("红色物业联盟覆盖多少小区")
    assert not before.found and answer.found
    assert answer.hits[0].passage.report_id == "z_new"
    full = QAEngine([*small_engine.reports, report], segmenter)
    for question in ("红色物业联盟覆盖多少小区", "志愿服务", "存在哪些问题", "发展党员"):
        ours, theirs = swapped.ask(question), full.ask(question)
        assert [(h.passage.passage_id, round(h.score, 9)) for h in ours.hits] == [
            (h.passage.passage_id, round(h.score, 9)) for h in theirs.hits
        ]
    assert small_engine.ask("红色物业联盟覆盖多少小区").found is False  # old engine untouched


def test_removed_report_is_gone_from_answers(small_engine: QAEngine) -> None:
    assert small_engine.ask("志愿服务").hits[0].passage.report_id == "b_report"
    without = engine_with(small_engine, remove={"b_report"})
    assert all(h.passage.report_id != "b_report" for h in without.ask("志愿服务").hits)
    assert [r.report_id for r in without.reports] == ["a_report", "c_report"]
    with pytest.raises(EmptyCorpusError):
        engine_with(small_engine, remove={"a_report", "b_report", "c_report"})


def test_reload_picks_up_files_dropped_into_the_folder(
    small_engine: QAEngine, corpus_dir: Path
) -> None:
    (corpus_dir / "z_new.txt").write_text(NEW, encoding="utf-8")
    reloaded = reload_engine(small_engine, corpus_dir)
    assert [r.report_id for r in reloaded.reports] == [
        r.report_id for r in load_reports(corpus_dir).reports
    ]
    assert reloaded.ask("红色物业").found
