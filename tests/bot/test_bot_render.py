"""Rendering: escaping, bold spans, pages of whole quotes within 4096 UTF-16 units, buttons."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from qa import Answer, Hit, Passage, QAEngine, Quote, Suggestion, Tokenizer
from qa_bot.keyboards import CallbackData, answer_keyboard, outline_keyboard, parse_callback
from qa_bot.render import (
    MAX_UNITS,
    clip,
    highlight,
    render_answer,
    render_help,
    render_passage,
    render_section,
    utf16_len,
)
from tests.fakebot.validate import check_markup, parse_html


def _passage(i: int, text: str, title: str = "某局<2023>党建&总结") -> Passage:
    return Passage(f"000_{'f' * 40}#{i}", "000_" + "f" * 40, title, ("一、工作", f"{i}.<b>小节"),
                   "work", text)


def _answer(texts: list[str], spans: tuple[tuple[int, int], ...] = ()) -> Answer:
    hits = tuple(Hit(_passage(i, t), 1.0, ("党员",)) for i, t in enumerate(texts))
    quotes = tuple(Quote(h, h.passage.text, spans) for h in hits[:3])
    return Answer("发展<党员>&多少", "general", True, quotes, hits)


def _valid(text: str) -> None:
    error, plain = parse_html(text)
    assert error is None, error
    assert utf16_len(plain) <= MAX_UNITS and utf16_len(text) <= MAX_UNITS


def test_everything_is_escaped_and_spans_are_bold() -> None:
    (page,) = render_answer(_answer(["发展党员<10>名 & 更多"], spans=((0, 4), (4, 8))))
    _valid(page.text)
    assert "<b>发展党员&lt;10&gt;</b>" in page.text
    assert "&lt;党员&gt;&amp;" in page.text and "《某局&lt;2023&gt;党建&amp;总结》" in page.text
    assert "&lt;b&gt;小节" in page.text


def test_overlapping_and_out_of_range_spans_are_merged() -> None:
    assert highlight("abcdef", [(0, 3), (2, 4), (5, 99), (7, 9)]) == "<b>abcd</b>e<b>f</b>"


def test_clip_counts_utf16_and_never_splits_a_surrogate_pair() -> None:
    text = "😀" * 10
    clipped = clip(text, 7)
    assert utf16_len(clipped) <= 7 and clipped.endswith("…") and "\ud83d" not in clipped


@pytest.mark.parametrize("size", [1, 4, 9])
def test_pages_hold_whole_quotes_and_fit(size: int) -> None:
    texts = [f"第{i}段" + "党员" * 2000 + "😀" * 500 for i in range(size)]
    pages = render_answer(_answer(texts))
    assert [i for p in pages for i in p.items] == list(range(size))
    for page in pages:
        _valid(page.text)
        assert page.text.count("<blockquote>") == len(page.items)


def test_not_found_shows_notice_and_suggestions() -> None:
    suggestions = (Suggestion("command", "problems"), Suggestion("section", "三、存在问题<b>"))
    answer = Answer("火星", "general", False, (), (), suggestions, "没找到<火星>")
    (page,) = render_answer(answer)
    _valid(page.text)
    assert "没找到&lt;火星&gt;" in page.text and "/problems [关键词]" in page.text
    assert "相近章节：三、存在问题&lt;b&gt;" in page.text
    assert page.items == ()


def test_long_passage_and_section_fit() -> None:
    passage = _passage(1, "长" * 9000)
    _valid(render_passage(passage))
    assert "<blockquote expandable>" in render_passage(passage)


def test_callback_data_fits_64_bytes_and_round_trips() -> None:
    (page, *_) = render_answer(_answer(["党员"] * 9))
    markup = answer_keyboard(2**31, page)
    assert check_markup(markup.to_dict()) is None
    for row in markup.inline_keyboard:
        for button in row:
            parsed = parse_callback(button.callback_data)  # type: ignore[arg-type]
            assert parsed is not None and parsed.encode() == button.callback_data
    with pytest.raises(ValueError):
        CallbackData("s", "x" * 70, 1).encode()
    assert parse_callback("m:abc:1") is None and parse_callback(None) is None


def test_seed_reports_render_valid_outlines_and_sections(seeds_engine: QAEngine) -> None:
    for report in seeds_engine.reports:
        assert check_markup(outline_keyboard(report).to_dict()) is None
        for section in report.sections:
            _valid(render_section(report, section))


def test_help_lists_every_command() -> None:
    _valid(render_help("djqa_bot"))


def test_a_list_answer_is_headed_by_its_question_or_its_section_with_the_counts() -> None:
    items = tuple(Hit(_passage(i, f"{i}是坚持"), 0.0, ()) for i in range(3))
    quote = Quote(items[0], "0是坚持", (), tuple(h.passage.text for h in items), items)
    listed = Answer("提了哪几个坚持", "general", True, (quote,), items)
    (page,) = render_answer(listed)
    _valid(page.text)
    assert "提了哪几个坚持" in page.text and "📋" not in page.text  # not a section's listing
    counted = Answer("谁家列的问题最多", "problems", True, (quote,), items,
                     lead="各报告「存在问题」列出的条数：党组（002） 5 条")
    (page,) = render_answer(counted)
    _valid(page.text)
    assert "存在问题" in page.text and "5 条" in page.text


def test_a_scoped_answer_is_headed_by_its_question_a_follow_up_by_what_it_reasked() -> None:
    scoped = dataclasses.replace(_answer(["发展党员10名"]), question="湖北25年发展党员多少",
                                 scope="湖北省人民政府、2025年")
    (page,) = render_answer(scoped)
    assert "湖北25年发展党员多少" in page.text
    followed = dataclasses.replace(scoped, question="那湖北呢", follows="发展党员多少")
    (page,) = render_answer(followed)
    assert "发展党员多少（湖北省人民政府、2025年）" in page.text and "那湖北呢" not in page.text


def test_a_ranking_of_many_reports_shows_how_many_it_leaves_out_on_the_phone(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    # The lead is clipped at LEAD_MAX_CHARS: the count must come before the names.
    body = "加强统筹协调，完善工作机制，推动各项任务落地见效，取得了明显成效。"
    for n in range(1, 31):
        items = "\n".join(f"（{c}）第{c}个问题还需改进\n{body}" for c in "一二三四五"[:1 + n % 5])
        (tmp_path / f"b{n:02d}.txt").write_text(
            f"某某市某某区机关事务管理局第{n}党支部2023年党建工作总结\n一、主要工作\n{body}\n二、存在问题\n{items}\n",
            encoding="utf-8")
    answer = QAEngine.from_directory(tmp_path, segmenter=segmenter).ask("谁家列的问题最多")
    (page, *_) = render_answer(answer)
    _valid(page.text)
    assert "共 30 份报告有此部分，这里列出条数最多的 20 份" in page.text
    assert "管理局第4党支部" in page.text  # the first of those with five
