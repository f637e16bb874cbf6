"""Uploads → report text: .txt encodings, Word auto-numbering, text PDFs, and refusals."""

from __future__ import annotations

import io
import zipfile

import pytest

from qa.documents.convert import MAX_UPLOAD_BYTES, convert_file
from qa.errors import FileRefusedError
from qa.library.preview import build_preview
from tests.uploads import make_docx, make_pdf

REPORT = """第三党支部2024年党建工作总结
2024年，第三党支部在机关党委领导下扎实开展工作。
一、主要工作情况
（一）抓好理论学习。全年组织集中学习12次。
（二）加强组织建设。发展党员2名。
二、存在问题
一是学习不够深入。二是活动形式单一。
三、下一步工作计划
（一）强化理论武装。持续开展读书班。
"""

EXPECTED = [
    (1, "（前言）", "preamble", 1),
    (1, "一、主要工作情况", "work", 2),
    (2, "（一）抓好理论学习", "work", 1),
    (2, "（二）加强组织建设", "work", 1),
    (1, "二、存在问题", "problems", 2),
    (1, "三、下一步工作计划", "plans", 1),
    (2, "（一）强化理论武装", "plans", 1),
]


def outline(data: bytes, name: str) -> list[tuple[int, str, str, int]]:
    preview = build_preview(convert_file(data, name))
    return [(o.depth, o.title, o.kind, o.passages) for o in preview.outline]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16"])
def test_txt_in_every_encoding_parses_into_the_outline(encoding: str) -> None:
    assert outline(REPORT.encode(encoding), "总结.txt") == EXPECTED


def test_gbk_txt_preview_metadata() -> None:
    preview = build_preview(convert_file(REPORT.encode("gbk"), "x.txt"))
    assert (preview.title, preview.unit, preview.year) == (
        "第三党支部2024年党建工作总结", "第三党支部", "2024",
    )
    assert preview.passages == 6 and preview.warnings == ()
    kinds = [o.kind_name for o in preview.outline if o.depth == 1]
    assert kinds == ["前言", "工作", "问题", "计划"]


def test_text_pdf_parses_into_the_outline_with_wrapped_lines_joined() -> None:
    # A paragraph printed over two full-width lines, and a page number on each page.
    long_line = "2024年，第三党支部在机关党委领导下扎实开展工作，全面加强"
    page_one = [
        "第三党支部2024年党建工作总结", long_line, "党的建设。", "一、主要工作情况",
        "（一）抓好理论学习。全年组织集中学习12次。", "（二）加强组织建设。发展党员2名。", "- 1 -",
    ]
    page_two = [
        "二、存在问题", "一是学习不够深入。二是活动形式单一。", "三、下一步工作计划",
        "（一）强化理论武装。持续开展读书班。", "- 2 -",
    ]
    converted = convert_file(make_pdf([page_one, page_two]), "总结.pdf")
    assert converted.fmt == "pdf" and converted.removed_lines == 2
    assert long_line + "党的建设。" in converted.text.splitlines()
    assert outline(converted.data, "总结.pdf") == EXPECTED
    assert "已去除 2 行噪声（水印、页码、页眉等）" in build_preview(converted).warnings


def test_docx_auto_numbering_and_heading_styles_become_sections() -> None:
    # Numbers live in Word's numbering definitions (levels 0/1/2), not in the text; the last
    # section has a heading style only, so its number comes from the heading level.
    rows = [
        ("Title", None, "第三党支部2024年党建工作总结"),
        ("Normal", None, "2024年，第三党支部在机关党委领导下扎实开展工作。"),
        ("Heading 1", 0, "主要工作情况"),
        ("Heading 2", 1, "抓好理论学习"),
        ("Normal", None, "全年组织集中学习12次。"),
        ("Normal", 2, "开展读书班。共举办读书班3期。"),
        ("Heading 2", 1, "加强组织建设"),
        ("Normal", None, "发展党员2名。"),
        ("Heading 1", 0, "存在问题"),
        ("Normal", None, "一是学习不够深入。二是活动形式单一。"),
        ("Heading 1", None, "下一步工作计划"),
        ("Heading 2", None, "强化理论武装"),
        ("Normal", None, "持续开展读书班。"),
    ]
    converted = convert_file(make_docx(rows), "第三党支部.docx")
    assert "一、主要工作情况" in converted.text
    assert "1.开展读书班。共举办读书班3期。" in converted.text
    # The report of the other formats, with one more item (1.开展读书班) under （一）抓好理论学习.
    assert outline(converted.data, "第三党支部.docx") == [
        *EXPECTED[:1], (1, "一、主要工作情况", "work", 3), (2, "（一）抓好理论学习", "work", 2),
        *EXPECTED[3:],
    ]
    preview = build_preview(converted)
    assert (preview.title, preview.unit, preview.year) == (
        "第三党支部2024年党建工作总结", "第三党支部", "2024",
    )


def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        # An OLE2 header and nothing readable behind it, whatever the name says.
        ("总结.doc", OLE, "damaged", "损坏"),
        ("总结.docx", OLE, "damaged", "损坏"),
        ("总结.wps", OLE, "damaged", "损坏"),
        ("总结.wps", b"garbage, not a WPS file", "damaged", "损坏"),
        ("扫描.pdf", make_pdf([[], []]), "scanned_pdf", "扫描件中没有识别出文字"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x01" * 100, "damaged", "图片已损坏"),
        ("截图.txt", b"\x89PNG\r\n\x1a\n" + b"\x01" * 100, "damaged", "图片已损坏"),
        ("统计.xlsx", _zip(["xl/workbook.xml"]), "spreadsheet", "表格"),
        ("统计.xls", OLE, "spreadsheet", "表格"),
        ("统计.csv", "单位,人数\n".encode(), "spreadsheet", "表格"),
        ("空.txt", b"", "empty", "空"),
        ("空白.txt", b"  \n\n ", "empty", "空"),
        ("乱码.txt", bytes(range(256)) * 4, "binary", "不是文本文件"),
        ("坏.docx", b"PK\x03\x04garbage", "damaged", "损坏"),
        ("演示.pptx", _zip(["ppt/presentation.xml"]), "unsupported", "不支持 .pptx"),
        ("坏.pdf", b"%PDF-1.4 garbage", "damaged", "损坏"),
    ],
)
def test_bad_files_get_a_reason_and_what_to_do(
    name: str, data: bytes, code: str, words: str
) -> None:
    with pytest.raises(FileRefusedError) as caught:
        convert_file(data, name)
    assert caught.value.code == code
    message = str(caught.value)
    assert message.startswith(f"{name}：") and words in message and "\n" not in message
    assert caught.value.hint  # always says what to do


def test_files_over_ten_megabytes_are_refused_before_reading() -> None:
    with pytest.raises(FileRefusedError) as caught:
        convert_file(b"a" * (MAX_UPLOAD_BYTES + 1), "大.txt")
    assert caught.value.code == "too_large" and "10 MB" in str(caught.value)
