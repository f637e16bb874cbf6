"""Paragraphs of a printed PDF whose first lines are indented, as official documents are."""

from __future__ import annotations

from qa.documents import convert_file
from qa.documents.pdf import join_pdf_lines
from tests.uploads import make_pdf

# A 20-character printed line; each paragraph's first line is indented by two characters.
PARAGRAPHS = [
    "党支部严格落实集团和公司防疫工作要求，充分发挥支部作用，为守牢防疫底线提供组织保障。"
    "一是及时传达上级精神，加强宣传教育，开展人员排摸，及时上报动态信息。",
    "下半年，党支部将结合开展庆祝建党系列活动，进一步加强党员干部的学习教育，激励党员干部"
    "牢记使命，坚定理想信念和宗旨意识。",
]


def printed(paragraph: str, width: int = 20, indent: int = 2) -> list[str]:
    lines, first = [], width - indent
    lines.append(paragraph[:first])
    rest = paragraph[first:]
    while rest:
        lines.append(rest[:width])
        rest = rest[width:]
    return lines


def test_an_indented_first_line_is_joined_to_the_rest_of_its_paragraph() -> None:
    pages = [["一、积极做好防疫末端落实", *printed(PARAGRAPHS[0]), *printed(PARAGRAPHS[1])]]
    text, _ = join_pdf_lines(pages)
    assert text.splitlines() == ["一、积极做好防疫末端落实", *PARAGRAPHS]


def test_a_printed_pdf_with_indented_paragraphs_keeps_its_plan_list_items() -> None:
    item = ("一是狠抓制度落实，严肃党内的政治生活。"
            "坚决贯彻落实党章党规，坚持主题党日活动和理论学习制度。")
    lines = ["2021上半年党支部工作总结", "一、主要工作", *printed(PARAGRAPHS[0]), *printed(item)]
    text = convert_file(make_pdf([lines]), "总结.pdf").text
    assert item in text.splitlines()
    assert PARAGRAPHS[0] in text.splitlines()
