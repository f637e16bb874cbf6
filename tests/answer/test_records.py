"""Meeting records (会议记录): a question about where, when or who is answered by the record's
own field line, and a report that is not a record is answered as usual."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import QAEngine, Tokenizer
from qa.answer.compose import record_field
from qa.reports import load_reports

RECORD = """2022年度民主评议党小组组织生活记录
会议主题：2022年度民主评议，开展批评和自我批评。
会议时间：2023-03-10 12:00—13:00
会议地点：机关党员活动室
主持人：傅晓华　记录人：李振翔
参加人员：曹吉蕾 顾文杰 李振翔 黄瑾 傅晓华　缺席人员：无
傅晓华：下面开展批评与自我批评，请大家一一发言，首先由我开始。
自评：政治理论学习方面还缺乏自觉性，学习的内容还不够深入。
"""
SUMMARY = """第一党支部2023年工作总结
一、加强理论学习
全年开展批评与自我批评2次，组织集中学习12次，地点设在公司会议室，党员参与率达到百分之百。
"""


@pytest.fixture
def engine(segmenter: Tokenizer, tmp_path: Path) -> QAEngine:
    (tmp_path / "record.txt").write_text(RECORD, encoding="utf-8")
    (tmp_path / "summary.txt").write_text(SUMMARY, encoding="utf-8")
    return QAEngine.from_directory(tmp_path, segmenter=segmenter)


@pytest.mark.parametrize(("question", "line"), [
    ("那次批评与自我批评在哪开的", "会议地点：机关党员活动室"),
    ("民主评议谁主持的", "主持人：傅晓华"),
    ("民主评议谁记录", "记录人：李振翔"),  # the second field of a line
    ("民主评议什么时候开的", "会议时间：2023-03-10 12:00—13:00"),
    ("民主评议有没有人缺席", "缺席人员：无"),
])
def test_a_record_field_is_answered_from_its_line(
        engine: QAEngine, question: str, line: str) -> None:
    answer = engine.ask(question)
    assert answer.found and answer.lead.endswith(line)
    assert answer.hits[0].passage.report_id == "record"


def test_a_report_that_is_not_a_record_has_no_fields(segmenter: Tokenizer,
                                                     tmp_path: Path) -> None:
    (tmp_path / "summary.txt").write_text(SUMMARY, encoding="utf-8")
    (report,) = load_reports(tmp_path).reports
    assert record_field(report, "地点") is None
    answer = QAEngine.from_directory(tmp_path, segmenter=segmenter).ask("批评与自我批评在哪开的")
    assert "地点：" not in answer.lead
