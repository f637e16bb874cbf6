"""Near-miss checks (qa.answer.nearmiss): a qualifier, an unexplained slogan, a given number."""

from __future__ import annotations

from pathlib import Path

from qa import QAEngine, Tokenizer
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


def test_people_counted_by_what_they_do_are_not_counted_by_a_prize(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "work.txt").write_text(
        "县直机关工委2023年度党建工作总结\n一、主要工作\n"
        "举办党务知识网络竞赛，经过激烈角逐，最终评出一等奖10名、二等奖30名、三等奖50名。\n"
        "组织党员志愿者开展义诊活动，共有120人参赛书法比赛，营造良好氛围。\n", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("党务知识网络竞赛一共有多少人参赛")
    assert not answer.found  # 一等奖10名 counts prize winners, not those who took part
    assert engine.understand("书法比赛有多少人参赛").measured == "参赛"
    assert engine.understand("发展了几名党员").measured == ""
