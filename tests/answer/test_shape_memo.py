"""A question's Shape answers quotes_heading per section path as the plain function does."""

from __future__ import annotations

from qa.answer.retrieve import Shape, quotes_heading
from qa.language import Query

PATHS = [("一、2023年党建工作主要任务", "（三）执纪问责"), ("二、存在问题",), (), ("三、下步打算",)]


def test_the_remembered_answer_is_the_plain_one_for_each_path_every_time() -> None:
    text = "2023年党建工作主要任务里面，执纪问责那块"
    shape = Shape.of(Query(text, text, "general"), False)
    for path in PATHS + PATHS[::-1]:
        assert shape.quotes_heading(path) is quotes_heading(shape.said, path)
    assert shape.quotes_heading(PATHS[0]) is True and shape.quotes_heading(PATHS[1]) is False


def test_each_question_has_its_own_memo() -> None:
    quoting = Shape.of(Query("存在问题是什么呢大家", "存在问题是什么呢大家", "general"), False)
    other = Shape.of(Query("党员发展", "党员发展", "general"), False)
    assert quoting.quotes_heading(("二、存在问题是什么",)) is True  # 7 characters, quoted
    assert quoting.quotes_heading(PATHS[1]) is False  # 存在问题 is 4 characters: too short
    assert other.quoted is not quoting.quoted
