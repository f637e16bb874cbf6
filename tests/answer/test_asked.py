"""Which counts of a sentence answer a figure question."""

from __future__ import annotations

import pytest

from qa.answer.asked import fitting_counts, stated_counts
from qa.answer.compose import count_terms
from qa.language import Query

BEIJING = ("预计全市地区生产总值增长5.2%左右，一般公共预算收入增长3.1%，"
           "居民人均可支配收入增长4.5%左右。")


@pytest.mark.parametrize(("terms", "counts"), [
    (("地区生产总值", "增长"), ["5.2%"]),  # 增长 precedes all three: the specific word decides
    (("一般公共预算收入", "增长"), ["3.1%"]),
    (("增长",), ["5.2%", "3.1%", "4.5%"]),
    ((), ["5.2%", "3.1%", "4.5%"]),
])
def test_the_clause_of_the_most_specific_word_answers(
        terms: tuple[str, ...], counts: list[str]) -> None:
    assert fitting_counts(BEIJING, "", terms) == counts


def test_a_count_right_after_a_question_word_still_comes_first() -> None:
    sentence = "组织党员参训300余名，全年发展党员20人。"
    assert fitting_counts(sentence, "人", ("发展党员",)) == ["20人"]


def test_条_and_项_count_the_same_things() -> None:
    sentence = "制定整改落实方案，细化为18项具体落实举措。"
    assert fitting_counts(sentence, "条", ("措施",)) == ["18项"]


@pytest.mark.parametrize(("sentence", "counts"), [
    ("研发投入强度从2.77%提高到3.3%左右，区域创新能力稳居全国第4位。", ["3.3%"]),
    ("常住人口城镇化率从60%到65%", ["65%"]),
    ("从2020年起累计发展党员20名", ["20名"]),  # a year after 从 is no count at all
    ("发展党员20名，比上年增加5名", ["20名", "5名"]),
])
def test_where_a_change_started_is_not_a_stated_count(sentence: str, counts: list[str]) -> None:
    assert [text for _, text, _ in stated_counts(sentence)] == counts


def test_counts_are_read_after_a_compounds_parts_when_the_text_abridges_it() -> None:
    query = Query("河北粮食产量是多少", "河北粮食产量是多少", "figure",
                  terms=("粮食", "产量", "粮食产量"))
    quote = "粮食总产781.8亿斤，创历史最高水平。开展盐碱地综合利用试点，建成高标准农田450万亩。"
    assert count_terms(query, quote) == ("粮食", "产量", "粮食产量")
    assert fitting_counts(quote, "", count_terms(query, quote)) == ["781.8亿斤"]
    assert count_terms(query, "粮食产量达到781.8亿斤") == ("粮食产量",)


def test_a_count_of_one_in_digits_is_a_count_and_a_list_comma_ends_its_clause() -> None:
    said = "上半年，共开展党员组织生活30次，线上召开党员大会1次、支委会6次。"
    assert fitting_counts(said, "次", ["党员大会"]) == ["1次"]
    assert fitting_counts("已开展书记讲党课1次，举办专题学习190次", "次", ["讲党课"]) == ["1次"]
    # 一次 is an article, not a count.
    assert fitting_counts("开展了一次集中学习，参训300人次", "次", ["集中学习"]) == []


def test_hui_is_the_spoken_ci() -> None:
    from qa.language.shapes import asked_unit
    assert asked_unit("支部书记讲了几回党课") == "回"
    assert fitting_counts("书记讲党课1次，举办专题学习190场", "回", ["讲党课"]) == ["1次"]


@pytest.mark.parametrize(("question", "unit"), [
    ("重庆新能源汽车产量多少辆", "辆"),
    ("高速公路修了多少公里", "公里"),
    ("研发投入强度提高了几个百分点", "个百分点"),
    ("培训党员多少人次", "人次"),
    ("建了多少平方米的活动室", "平方米"),
    ("一共发展了多少人", "人"),
])
def test_a_question_asks_for_any_measure_the_figure_reader_knows(question: str, unit: str) -> None:
    from qa.language.shapes import asked_unit
    assert asked_unit(question) == unit
    # The same measure is what the figure reader finds after a number.
    said = "新能源汽车产量达到95.3万辆，培育企业3千家"
    assert fitting_counts(said, "辆", ["产量"]) == ["95.3万辆"]
