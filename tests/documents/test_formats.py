"""Formats offices use (issue 19 item 5): .doc/.wps, scans, photos, tables, look-alikes, folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qa.documents import convert_file, document_text
from qa.documents.doc import doc_lines, is_word_ole
from qa.documents.ocr import Box, box_lines, skew_degrees
from qa.documents.tablerows import spaced_table_lines, table_lines
from qa.errors import FileRefusedError
from qa.figures import extract_figures
from qa.language.lookalike import clean_code_points
from qa.reports import decode_bytes, load_reports, parse_report
from tests.scans import make_photo, make_scanned_pdf
from tests.uploads import make_docx, make_pdf

FIXTURES = Path(__file__).parents[1] / "fixtures"
DOC = (FIXTURES / "report.doc").read_bytes()
SCAN_PAGES = [
    ["某某社区党支部2024年党建工作总结", "一、主要工作情况", "（一）加强理论学习",
     "全年组织集中学习18次，开展主题党日活动12次。", "（二）抓好组织建设",
     "发展党员4名，培养入党积极分子6名。"],
    ["二、存在的问题", "一是学习形式较为单一。", "三、下一步工作计划", "计划走访群众300户。"],
]


def _figures(text: str) -> dict[str, str]:
    report = parse_report("x", text)
    return {f.metric_raw: f"{f.display_value}{f.measure}" for f in extract_figures(report)}


def test_a_libreoffice_doc_and_the_same_bytes_named_wps_read_alike() -> None:
    assert is_word_ole(DOC) and (FIXTURES / "report.wps").read_bytes() == DOC
    for name in ("report.doc", "report.wps", "没有扩展名"):
        converted = convert_file(DOC, name)
        assert converted.fmt == "doc"
        lines = converted.text.splitlines()
        assert lines[0] == "城东街道第二党支部2024年党建工作总结"
        assert "一、主要工作情况" in lines and "（二）夯实组织基础" in lines
        assert "三、2025年工作计划" in lines and "图1 支部活动照片" in lines  # the figure's caption
        # The table's rows, not its cells one by one; the header row is no figure.
        assert "走访困难群众：85户" in lines and "调解邻里纠纷：14件" in lines
        assert not any("\x07" in line or "\x01" in line for line in lines)
    figures = _figures(convert_file(DOC, "report.doc").text)
    assert figures["走访困难群众"] == "85户" and figures["发展党员"] == "5名"


def test_one_byte_pieces_are_cp1252_or_gbk_chinese() -> None:
    from qa.documents.doc import _compressed

    assert _compressed("发展党员5名。".encode("gbk")) == "发展党员5名。"
    assert _compressed("café – naïve".encode("cp1252")) == "café – naïve"


def test_a_docx_named_doc_is_read_as_the_docx_it_is() -> None:
    data = make_docx([("Normal", None, "第一党支部2024年工作总结"), ("Heading 1", 0, "主要工作"),
                      ("Normal", None, "发展党员3名。")])
    assert convert_file(data, "总结.doc").fmt == "docx"


def test_a_damaged_word_file_gets_a_reason() -> None:
    with pytest.raises(FileRefusedError) as caught:
        convert_file(DOC[:2048], "坏.doc")  # the header survives, the streams do not
    assert caught.value.code in ("damaged", "not_word") and caught.value.hint
    assert doc_lines(DOC)  # the whole file still reads


def test_table_rows_become_indicator_value_lines() -> None:
    assert table_lines([["发展党员", "12名"]]) == ["发展党员：12名"]
    assert table_lines([["指标", "数量"], ["走访", "85户"], ["调解", "14件"]]) == [
        "走访：85户", "调解：14件"]
    rows = [["指标", "2023年", "2024年"], ["发展党员", "12名", "15名"], ["培训", "3次", ""]]
    assert table_lines(rows) == ["发展党员2023年：12名；发展党员2024年：15名。",
                                 "培训2023年：3次。"]
    assert table_lines([["一、主要工作"], ["", ""]]) == ["一、主要工作"]
    pdf = ["一、主要工作", "指标 2023年 2024年", "发展党员 12名 15名", "开展培训 3次 4次", "正文。"]
    assert spaced_table_lines(pdf) == [
        "一、主要工作", "发展党员2023年：12名；发展党员2024年：15名。",
        "开展培训2023年：3次；开展培训2024年：4次。", "正文。"]
    assert spaced_table_lines(["全年发展党员 12名。"]) == ["全年发展党员 12名。"]


def test_figures_in_a_docx_table_are_found_with_their_indicator() -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("第四党支部2024年党建工作总结")
    document.add_paragraph("一、主要工作")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [["指标", "2023年", "2024年"], ["发展党员", "6名", "9名"],
                                       ["开展主题党日", "10次", "12次"]], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    figures = _figures(convert_file(out.getvalue(), "第四党支部.docx").text)
    assert figures["发展党员2024年"] == "9名" and figures["开展主题党日2023年"] == "10次"


def test_figures_of_a_printed_pdf_table_are_found() -> None:
    data = make_pdf([["第五党支部2024年党建工作总结", "一、主要工作", "指标 数量",
                      "发展党员 7名", "走访群众 120户", "二、存在问题", "学习不够深入。"]])
    figures = _figures(convert_file(data, "表格.pdf").text)
    assert figures["发展党员"] == "7名" and figures["走访群众"] == "120户"


def test_look_alike_code_points_fold_and_control_characters_go() -> None:
    assert clean_code_points("⾏政执⾏⼒") == "行政执行力"  # Kangxi radicals (NFKC)
    assert clean_code_points("⻓江⻔户⻢上") == "长江门户马上"  # radicals supplement (table)
    assert clean_code_points("第\x00一\x1b条\x7f") == "第一条"
    assert clean_code_points("（一）发展党员５名，占比３０％") == "（一）发展党员５名，占比３０％"
    text = "县直机关⼯委2024年工作总结\n一、主要工作\n⾏政服务中心开展培训3次。\x00\n"
    converted = convert_file(text.encode("utf-16"), "look.txt")
    assert "工委" in converted.text and "行政服务中心" in converted.text
    assert "\x00" not in converted.text
    # What was stored loads again: the text has no byte the decoder refuses.
    assert decode_bytes(converted.text.encode("utf-8"), "look.txt") == converted.text


def test_a_pdf_text_layer_with_radicals_and_nul_is_stored_clean_and_loads_again(
        tmp_path: Path) -> None:
    data = make_pdf([["县直机关⼯委2024年工作总结", "一、主要工作",
                      "⾏政服务中心开展培训3次。\x00全年发展党员5名。"]])
    text = convert_file(data, "层.pdf").text
    assert text.splitlines() == ["县直机关工委2024年工作总结", "一、主要工作",
                                 "行政服务中心开展培训3次。全年发展党员5名。"]
    (tmp_path / "层.txt").write_text(text, "utf-8")  # as the library stores it
    for _ in range(2):
        (report,) = load_reports(tmp_path).reports
        assert "行政服务中心" in report.passages[-1].text


def test_boxes_of_a_tilted_page_come_back_as_lines_in_order() -> None:
    def box(x: float, y: float, text: str, tilt: float) -> Box:
        w, h = 300.0, 30.0
        return Box(((x, y), (x + w, y + w * tilt), (x + w, y + h + w * tilt), (x, y + h)),
                   text, 0.9)

    tilt = 0.035  # two degrees
    boxes = [box(100, 100, "一、主要", tilt), box(420, 100 + 320 * tilt, "工作", tilt),
             box(100, 140, "发展党员", tilt), box(420, 140 + 320 * tilt, "3名。", tilt)]
    degrees = skew_degrees(boxes)
    assert 1.5 < degrees < 2.5
    assert box_lines(boxes, degrees) == ["一、主要工作", "发展党员3名。"]


def test_a_scanned_pdf_is_read_through_ocr_page_by_page() -> None:
    seen: list[tuple[int, int]] = []
    converted = convert_file(make_scanned_pdf(SCAN_PAGES), "扫描件.pdf",
                             progress=lambda done, total: seen.append((done, total)))
    assert converted.fmt == "scan" and seen == [(0, 2), (1, 2), (2, 2)]
    lines = converted.text.splitlines()
    assert lines[0] == "某某社区党支部2024年党建工作总结"
    assert "一、主要工作情况" in lines and "三、下一步工作计划" in lines
    assert _figures(converted.text)["发展党员"] == "4名"


def test_a_photo_of_a_page_is_read_and_a_blank_one_refused() -> None:
    converted = convert_file(make_photo(SCAN_PAGES[1], angle=-2.5), "照片.jpg")
    assert converted.fmt == "image" and "三、下一步工作计划" in converted.text.splitlines()
    with pytest.raises(FileRefusedError) as caught:
        convert_file(make_photo([]), "白纸.jpg")
    assert caught.value.code == "image" and "没有识别出文字" in str(caught.value)


def test_the_folder_loader_reads_documents_as_they_are_and_converts_once(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(FIXTURES / "report.doc", folder / "城东.doc")
    shutil.copy(FIXTURES / "report.wps", folder / "城东副本.wps")
    (folder / "第三.docx").write_bytes(make_docx([("Normal", None, "第三党支部2024年工作总结"),
                                                ("Heading 1", 0, "主要工作"),
                                                ("Normal", None, "发展党员3名。")]))
    (folder / "第五.pdf").write_bytes(make_pdf([["第五党支部2024年工作总结", "一、主要工作",
                                                 "开展主题党日活动8次。"]]))
    (folder / "第五.txt").write_text("第五党支部2024年工作总结\n一、主要工作\n开展活动9次。\n",
                                     "utf-8")
    (folder / "说明.md").write_text("不是报告", "utf-8")
    cache = tmp_path / "cache" / "parsed"
    cache.parent.mkdir()
    corpus = load_reports(folder, cache, document_text)
    assert sorted(r.report_id for r in corpus.reports) == ["城东", "城东副本", "第三", "第五"]
    assert [name for name, _ in corpus.skipped] == ["第五.pdf"]  # the .txt of that stem wins
    assert "开展活动9次" in corpus.reports[3].passages[-1].text
    # A second start converts nothing: had any file been parsed again, the parse cache would
    # have been rewritten (a new file, by atomic rename).
    written = os.stat(cache)
    again = load_reports(folder, cache, document_text)
    assert [r.title for r in again.reports] == [r.title for r in corpus.reports]
    assert (os.stat(cache).st_ino, os.stat(cache).st_mtime_ns) == (written.st_ino,
                                                                   written.st_mtime_ns)
    # A document that changed is converted again; one no converter takes is named, no crash.
    (folder / "城东.doc").write_bytes(b"\x00" * 4096)
    changed = load_reports(folder, cache, document_text)
    assert sorted(name for name, _ in changed.skipped) == ["城东.doc", "第五.pdf"]
    # Without a converter (a library-only caller) the folder's .txt reports load as before.
    assert [r.report_id for r in load_reports(folder).reports] == ["第五"]
