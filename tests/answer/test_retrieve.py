"""Retrieval policy (qa.answer.retrieve): what may count as an answer at all."""

from __future__ import annotations

from pathlib import Path

from qa import QAEngine, Tokenizer
from qa.answer.retrieve import is_fragment

TASKS = """机关党支部2018年工作任务清单
一
突出从严治党，加强党的政治建设
1、按照公司党委部署和要求，认真组织好党员干部政治理论学习和党性党纪党规教育，落实学习研讨、征求意见、谈心谈话，全年不少于12次。
全年
党支部书记
2、严格执行党章，坚决维护民主集中制原则，规范议事规则，落实“三重一大”决策制度。
全年
党支部委员
"""


def test_a_bare_label_is_a_fragment_a_row_or_a_sentence_is_not() -> None:
    assert is_fragment("全年") and is_fragment("党支部书记") and is_fragment(" 党支部委员 ")
    assert not is_fragment("党员人数：87名") and not is_fragment("发展党员3名")
    assert not is_fragment("严格执行党章，坚决维护民主集中制原则。")


def test_a_table_cell_never_answers_alone(segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "tasks.txt").write_text(TASKS, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("机关党支部书记叫什么名字")
    assert not answer.found  # the owner cell 「党支部书记」 names a post, not a person
    answer = engine.ask("政治理论学习全年不少于几次")
    assert answer.found and "不少于12次" in answer.hits[0].passage.text


GOV = """2025年某省政府工作报告
一、2024年工作回顾
生态环境持续改善，全省空气质量优良天数达到329天，河湖水质稳中向好，群众获得感明显增强。
二、2025年主要任务
持续深入推进污染防治攻坚，力争空气质量优良天数达到338天以上，巩固提升河湖水质。
"""


def test_a_figure_question_is_answered_by_what_was_done_not_the_target(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "gov.txt").write_text(GOV, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    assert "329天" in engine.ask("空气优良天数有多少天").hits[0].passage.text
    assert "338天" in engine.ask("今年计划空气优良天数力争多少天").hits[0].passage.text
