# ruff: noqa: E501 - the catalogue holds each reply line whole, as the user reads it
"""Issue 21: hostile uploads refused by the sandboxed worker, each with its own Chinese line."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from qa.documents import Caps
from qa.errors import FileRefusedError
from qa.library import DEFAULT_LIMITS, Limits, preview_isolated
from qa.reports import MAX_PASSAGE_CHARS, parse_report
from tests import hostile

REPORT_HEAD = "第三党支部2024年党建工作总结\n一、主要工作\n"
ENGLISH = ("The committee met twelve times this year and reviewed the annual plan.\n" * 2000)
HEADINGS = "一、工作\n学习。\n" * 1599

CATALOGUE: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("段落炸弹.docx", hostile.paragraph_bomb, "inflates_too_much",
     "Word 文档解压后约 60 MB，远超正常报告（可能是压缩炸弹）。请删去图片、拆分文档，或另存为新的 .docx 后再发送"),
    ("图片炸弹.docx", hostile.image_bomb, "inflates_too_much",
     "Word 文档解压后约 121 MB，远超正常报告（可能是压缩炸弹）。请删去图片、拆分文档，或另存为新的 .docx 后再发送"),
    ("超长文字.docx", hostile.huge_text_node, "xml_invalid",
     "Word 文档的内容结构异常（如一段超长的文字），无法读取。请在 Word 或 WPS 中打开并另存为新的 .docx 后再发送"),
    ("笑声.docx", hostile.billion_laughs, "xml_entities",
     "Word 文档中含有 XML 实体声明（DOCTYPE/ENTITY），正常文档不会有。请检查文件来源，用 Word 或 WPS 另存为新的 .docx 后再发送"),
    ("外部实体.docx", hostile.external_entity, "xml_entities",
     "Word 文档中含有 XML 实体声明（DOCTYPE/ENTITY），正常文档不会有。请检查文件来源，用 Word 或 WPS 另存为新的 .docx 后再发送"),
    ("路径.docx", hostile.traversal_names, "unsafe_names",
     "文件内部含有异常路径（../../etc/cron.d/evil），不是正常的 Word 文档。请检查文件来源，用 Word 或 WPS 另存为新的 .docx 后再发送"),
    ("加密.pdf", hostile.encrypted_pdf, "encrypted", "这份 PDF 有密码保护。请解除后再发送"),
    ("AES加密.pdf", hostile.aes_pdf, "encrypted", "这份 PDF 有密码保护。请解除后再发送"),
    ("流炸弹.pdf", hostile.stream_bomb, "pdf_bomb",
     "PDF 中的数据解压后异常庞大，不像是正常导出的文件。请用 Word 或 WPS 重新导出 PDF，或发送 .docx"),
    ("共享流.pdf", hostile.shared_stream, "pdf_bomb",
     "PDF 中的数据解压后异常庞大，不像是正常导出的文件。请用 Word 或 WPS 重新导出 PDF，或发送 .docx"),
    ("万页.pdf", lambda: hostile.pages_pdf(10_000, b"BT ET"), "too_many_pages",
     "PDF 共 10000 页，远超一份工作报告（上限 1000 页）。请检查是否发错了文件，或拆分后分别发送"),
    ("一行.txt", lambda: ("党建工作" * 200_000).encode(), "one_line",
     "有一段长达 80.0 万字的文字没有任何换行，不像是正常分段的报告。请检查文件是否完整，按段落换行后再发送"),
    ("全是a.txt", lambda: b"a" * 900_000, "no_chinese",
     "文件中几乎没有中文文字，不像是中文工作报告。请检查是否发错了文件"),
    ("英文.txt", ENGLISH.encode, "no_chinese",
     "文件中几乎没有中文文字，不像是中文工作报告。请检查是否发错了文件"),
    ("标题.txt", lambda: (REPORT_HEAD + HEADINGS).encode(), "too_many_headings",
     "识别出 1600 个标题，远超一份工作报告。请检查是否发错了文件，或拆分后分别发送"),
]


@pytest.mark.parametrize(("name", "build", "code", "line"), CATALOGUE,
                         ids=[c[0] for c in CATALOGUE])
def test_each_hostile_file_is_refused_with_its_own_line(
        name: str, build: Callable[[], bytes], code: str, line: str) -> None:
    with pytest.raises(FileRefusedError) as caught:
        preview_isolated(build(), name)
    assert (caught.value.code, f"{caught.value.reason}。{caught.value.hint}") == (code, line)
    assert "/work" not in str(caught.value) and "/tmp" not in str(caught.value)  # no server path


def test_a_lower_cap_is_a_parameter_not_a_patch() -> None:
    small = Limits(caps=Caps(xml_bytes=2 * 1024 * 1024))
    with pytest.raises(FileRefusedError) as caught:
        preview_isolated(hostile.paragraph_bomb(3), "小炸弹.docx", small)
    assert caught.value.code == "inflates_too_much"


def test_a_hanging_converter_is_killed_at_the_deadline() -> None:
    with pytest.raises(FileRefusedError) as caught:
        preview_isolated(b"x", "挂起.docx", Limits(wall_seconds=1), job=hostile.hang)
    assert caught.value.code == "timeout"
    assert f"{caught.value.reason}。{caught.value.hint}" == (
        "处理超时（超过 1 秒）。请检查文件，删去图片或拆分后，另存为新的 .docx 再发送")
    # The worker server survives and converts the next upload.
    assert preview_isolated("一、工作\n全年开展学习12次，发展党员2名，组织观影7次。".encode(),
                            "下一份.txt").passages == 1


def test_a_converter_past_its_memory_dies_alone() -> None:
    with pytest.raises(FileRefusedError) as caught:
        preview_isolated(b"x", "内存.docx", Limits(memory_bytes=512 * 1024 * 1024),
                         job=hostile.hog)
    assert caught.value.code == "worker_died"
    assert caught.value.reason == "处理这个文件时超出了内存上限（解压后过大，可能是压缩炸弹）"


def test_a_long_paragraph_is_split_at_sentence_ends_and_the_preview_says_so() -> None:
    paragraph = "全年组织集中学习12次，组织党员开展红色观影活动7次。" * 400  # ≈ 11,000 chars
    text = REPORT_HEAD + paragraph + "\n二、存在问题\n学习不够深入。\n"
    preview = preview_isolated(text.encode(), "长段.txt")
    assert f"有 1 段文字超过 {MAX_PASSAGE_CHARS} 字，已在句末切分后收录" in preview.warnings
    pieces = [p.text for p in parse_report("x", text).passages if "红色观影" in p.text]
    assert len(pieces) > 5 and "".join(pieces) == paragraph
    assert all(len(p) <= MAX_PASSAGE_CHARS and p.endswith("。") for p in pieces)


def test_a_paragraph_flood_within_the_size_caps_is_refused_before_python_docx() -> None:
    with pytest.raises(FileRefusedError) as caught:
        preview_isolated(hostile.paragraph_bomb(5), "段落.docx")  # 5 MB, 80,000 paragraphs
    assert caught.value.code == "too_many_paragraphs"
    assert f"{caught.value.reason}。{caught.value.hint}" == (
        "Word 文档含有约 80000 段，远超一份工作报告。请检查是否发错了文件，或拆分后分别发送")


def test_the_worker_yields_the_cpu_to_questions_by_its_niceness() -> None:
    text = "一、工作\n全年开展学习12次。".encode()
    ours = os.nice(0)
    lower = preview_isolated(text, "优先级.txt", job=hostile.tell_niceness)
    assert f"优先级{min(19, ours + DEFAULT_LIMITS.niceness)}。" in lower.source.text
    same = preview_isolated(text, "优先级.txt", Limits(niceness=0), job=hostile.tell_niceness)
    assert f"优先级{ours}。" in same.source.text
