"""Near-miss checks (qa.answer.nearmiss): a qualifier, an unexplained slogan, a given number."""

from __future__ import annotations

from qa.answer.nearmiss import new_counts, qualifier_clash, states_qualifier, unexplained_slogan


def test_another_numbered_qualifier_is_another_thing() -> None:
    assert qualifier_clash(["三星级", "党支部"], "评选五星级党支部59个") == ("三星级", "五星级")
    assert qualifier_clash(["第二届"], "举办机关首届职工运动会") == ("第二届", "首届")


def test_the_same_qualifier_or_a_plain_count_never_clashes() -> None:
    assert qualifier_clash(["五星级"], "评选五星级党支部59个") is None
    assert qualifier_clash(["两个"], "组建三个工作组") is None


def test_a_slogan_named_but_not_explained_is_a_near_miss() -> None:
    text = "大力纠治“五多四过”，持续端正工作作风。"
    assert unexplained_slogan("五多四过具体指的是什么", ["五多四过"], text) == "五多四过"
    explained = "大力纠治“五多四过”（文山会海多……），持续端正工作作风。"
    assert unexplained_slogan("五多四过具体指的是什么", ["五多四过"], explained) == ""


def test_a_list_question_is_not_a_meaning_question() -> None:
    text = "大力纠治“五多四过”，持续端正工作作风。"
    assert unexplained_slogan("五多四过是哪几家提的", ["五多四过"], text) == ""


def test_a_number_the_question_gives_is_not_an_answer() -> None:
    quote = "今年已开展中心组学习12次，累计48人发言"
    assert new_counts(quote, "中心组学习12次里头外请专家的有几次", "次") == set()
    assert new_counts(quote, "中心组学习开展了几次", "次") == {"12次"}


def test_a_number_written_the_other_way_is_the_same_qualifier() -> None:
    assert qualifier_clash(["一万公里"], "全省通车总里程突破1万公里") is None
    assert qualifier_clash(["一万公里"], "农村公路27万公里") == ("一万公里", "27万公里")
    assert states_qualifier("一万公里", "突破1万公里")
    assert states_qualifier("第二届", "第二届运动会")
    assert not states_qualifier("三星级", "五星级党支部")
    assert not states_qualifier("三星级", "党支部")
