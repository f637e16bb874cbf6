"""A shortcoming described by grammar, and the words that make the complaint."""

from __future__ import annotations

import pytest

from qa.language.shortcoming import complaint_words, shortcoming_spans


def spans_of(text: str, phrases: tuple[str, ...] = ()) -> list[str]:
    return [text[a:b] for a, b in shortcoming_spans(text, phrases)]


@pytest.mark.parametrize(("question", "span"), [
    ("支部里新党员进来得太少了吧", "太少了"),
    ("书记工作室那个事是不是推得有点慢", "有点慢"),
    ("服务职工的办法是不是太老套了", "太老套"),
    ("有的党员干活没劲头", "没劲头"),
    ("有的党员身份意识淡了，起不到带头作用？", "不到带"),
    ("学得也不深", "不深"),
    ("示范点老面孔新的没培养起来", "没培养"),
])
def test_a_complaint_is_read_by_its_grammar(question: str, span: str) -> None:
    assert span in spans_of(question)


@pytest.mark.parametrize("question", [
    "有没有哪家开展了主题党日",  # 有没有 asks
    "是不是每个支部都开了组织生活会",  # A不A asks
    "有人提过没",  # a final 没 asks
    "不同单位发展党员多少",  # 不同: different
    "不知道哪家办了党课",  # the asker's own doubt
    "有些支部办了读书班",  # 有些 before a noun: some
    "对违纪的人是不是一点都不手软",  # absolute negation: resolve
    "是否绝不姑息",
])
def test_questions_and_resolve_are_no_complaint(question: str) -> None:
    assert spans_of(question) == []


def test_listed_idioms_count_as_spans() -> None:
    assert spans_of("党建和业务两张皮", ("两张皮",)) == ["两张皮"]


def test_complaint_words_are_the_terms_inside_a_span() -> None:
    text = "支部里新党员进来得太少了吧"
    terms = ("支部", "新党员", "进来", "得太少")
    assert complaint_words(text, terms, shortcoming_spans(text)) == ("得太少",)
