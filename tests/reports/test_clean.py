"""Each noise rule, one by one, and that content survives cleaning."""

from __future__ import annotations

import pytest

from qa.reports.clean import NOISE_RULES, clean_text, has_noise


def rule(name: str) -> tuple:
    return tuple(r for r in NOISE_RULES if r.name == name)


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("password_line", "正文。\n本文档编辑密码：wsx2023\n后文。", "正文。\n\n后文。"),
        ("paid_marker", "##paidbegin##（二）标题\n正文##paidend##", "（二）标题\n正文"),
        ("site_watermark", "强化了意识。“笔杆儿网www.bgzjy.cn”", "强化了意识。"),
        ("site_watermark", "推动工作。笔杆儿网，om", "推动工作。"),
        ("dangling_bi", "提升治理能力。笔\n下一段", "提升治理能力。\n下一段"),
        ("blank_runs", "甲\n\n\n\n\n乙", "甲\n\n乙"),
        ("broken_after_de", "今年经济社会发展的\n主要预期目标", "今年经济社会发展的主要预期目标"),
        ("broken_before_copula", "主要预期目标\n是：增长5%", "主要预期目标是：增长5%"),
    ],
)
def test_each_rule_removes_its_noise(name: str, raw: str, expected: str) -> None:
    assert clean_text(raw, rule(name)).strip() == expected


def test_dangling_bi_keeps_a_real_word() -> None:
    assert clean_text("拿起笔\n", rule("dangling_bi")) == "拿起笔\n"


def test_redactions_are_left_alone() -> None:
    text = "对**人实施党纪处分，开展了x次集中学习，学习党的XX大精神。"
    assert clean_text(text) == text + "\n"


def test_all_rules_leave_no_marker() -> None:
    raw = "##paidbegin##正文。“笔杆儿网www.bgzjy.cn”\n本文档编辑密码：abc\n收尾。笔\n##paidend##"
    cleaned = clean_text(raw)
    assert not has_noise(cleaned)
    assert "正文。" in cleaned and "收尾。" in cleaned


def test_empty_text_stays_empty() -> None:
    assert clean_text("\n\n  \n") == ""


def test_a_line_broken_by_a_bold_phrase_is_one_paragraph_again() -> None:
    raw = ("今年经济社会发展的\n主要预期目标\n是：地区生产总值增长4.5%—5%。\n"
           "一、工作回顾\n全年完成的\n")
    assert clean_text(raw).splitlines() == [
        "今年经济社会发展的主要预期目标是：地区生产总值增长4.5%—5%。", "一、工作回顾", "全年完成的"]


def test_the_copula_rule_matches_as_its_plain_pattern() -> None:
    """The class-first pattern of broken_before_copula finds exactly the plain pattern's
    matches (kept here verbatim) on every mix of blanks, breaks, copulas and colons."""
    import itertools
    import re

    from qa.reports.clean import NOISE_RULES

    plain = re.compile(r"[ \t\u3000]*\n(?=[是为][：:])")
    (rule,) = [r for r in NOISE_RULES if r.name == "broken_before_copula"]
    assert rule.pattern.pattern != plain.pattern
    pieces = [" ", "\t", "\u3000", "\n", "是", "为", "：", ":", "的", "a"]
    texts = ["".join(p) for n in range(1, 5) for p in itertools.product(pieces, repeat=n)]
    for text in texts:
        found = [m.span() for m in rule.pattern.finditer(text)]
        assert found == [m.span() for m in plain.finditer(text)], repr(text)
        assert rule.pattern.sub("", text) == plain.sub("", text)


def test_sentence_ends_are_the_plain_patterns() -> None:
    """SENTENCE_END, written class first, finds the plain alternation's matches (kept here)
    on every mix of its marks, dots, digits, blanks and text, from every start."""
    import itertools
    import re

    from qa.reports.structure import SENTENCE_END

    plain = re.compile(r"[。！？!?；;]|[.．](?=[^\s\d])")
    assert SENTENCE_END.pattern != plain.pattern
    pieces = ["。", "；", "!", ".", "．", "1", " ", "\n", "字", "a"]
    texts = ["".join(p) for n in range(1, 5) for p in itertools.product(pieces, repeat=n)]
    for text in texts:
        assert [m.span() for m in SENTENCE_END.finditer(text)] == [
            m.span() for m in plain.finditer(text)], repr(text)
        for at in range(len(text)):
            found, expected = SENTENCE_END.search(text, at), plain.search(text, at)
            assert (found and found.span()) == (expected and expected.span()), (text, at)
