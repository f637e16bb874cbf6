"""A PDF's text layer as report lines: pages read with pypdf, wrapped lines joined again.

A PDF has no paragraphs, only printed lines: a paragraph wrapped over three lines would
become three passages. A line is joined to the next when it runs to the page's usual full
width and does not end a sentence, unless the next line starts a numbered heading.
Page numbers and running headers/footers (the same line on most pages) are dropped.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import pypdf
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PyPdfError

from qa.errors import FileRefusedError
from qa.reports import ITEM_LEAD, heading_level

from .caps import DEFAULT_CAPS, Caps

MIN_CHARS_PER_PAGE = 20  # fewer visible characters per page on average: a scan
FIRST_LINE_INDENT = 2  # characters a paragraph's first printed line is indented by
_PAGE_NUMBER = re.compile(
    r"^[-—－\s]*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?)[-—－\s]*$"
)
_ENDS_SENTENCE = tuple("。！？!?；;：:”」")
_SPACE = re.compile(r"\s+")

_ENCRYPTED = ("这份 PDF 有密码保护", "请解除后再发送")
_REEXPORT = "请用 Word 或 WPS 重新导出 PDF，或发送 .docx"


def pdf_pages(data: bytes, name: str, caps: Caps = DEFAULT_CAPS) -> list[list[str]]:
    """Return each page's non-empty lines; refuse encrypted, damaged, oversized or scanned PDFs."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        _unlock(reader, name)
        pages = _page_texts(reader, name, caps)
    except FileRefusedError:
        raise
    except (DependencyError, FileNotDecryptedError) as exc:  # AES without `cryptography`
        raise FileRefusedError(name, "encrypted", *_ENCRYPTED) from exc
    except LimitReachedError as exc:
        raise _bomb(name) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError,
            RecursionError) as exc:
        raise FileRefusedError(name, "damaged", "PDF 已损坏，无法读取", _REEXPORT) from exc
    visible = sum(len(_SPACE.sub("", page)) for page in pages)
    if visible < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise FileRefusedError(
            name,
            "scanned_pdf",
            "这是扫描件或图片 PDF，没有可读取的文字",
            "请发送原始的 .docx，或用带文字层的 PDF",
        )
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


def _unlock(reader: pypdf.PdfReader, name: str) -> None:
    # An empty user password opens many "protected" PDFs; anything else needs the sender.
    if reader.is_encrypted and not reader.decrypt(""):
        raise FileRefusedError(name, "encrypted", *_ENCRYPTED)


def _bomb(name: str) -> FileRefusedError:
    return FileRefusedError(name, "pdf_bomb", "PDF 中的数据解压后异常庞大，不像是正常导出的文件",
                            _REEXPORT)


def _page_texts(reader: pypdf.PdfReader, name: str, caps: Caps) -> list[str]:
    """Read the pages' text within the caps: page count, decoded content, text length."""
    count = len(reader.pages)
    if count > caps.pdf_pages:
        raise FileRefusedError(name, "too_many_pages",
                               f"PDF 共 {count} 页，远超一份工作报告（上限 {caps.pdf_pages} 页）",
                               "请检查是否发错了文件，或拆分后分别发送")
    content = chars = 0
    texts: list[str] = []
    for page in reader.pages:
        stream = page.get_contents()
        size = len(stream.get_data()) if stream is not None else 0
        content += size
        # Checked before extract_text: parsing a huge content stream is what takes minutes.
        if size > caps.pdf_page_content or content > caps.pdf_content:
            raise _bomb(name)
        texts.append(page.extract_text() or "")
        chars += len(texts[-1])
        if chars > caps.text_chars:
            raise FileRefusedError(name, "too_much_text", "PDF 的文字远超一份工作报告",
                                   "请检查是否发错了文件，或拆分后分别发送")
    return texts


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Return lines printed on most pages (headers, footers); only for 3+ pages."""
    if len(pages) < 3:
        return set()
    seen = Counter(line for page in pages for line in set(page))
    return {line for line, count in seen.items() if count > len(pages) / 2}


def _full_width(lines: list[str]) -> int:
    """Return the usual length of a full printed line (long lines' upper quartile)."""
    lengths = sorted(len(line) for line in lines if len(line) >= 10)
    return lengths[len(lengths) * 3 // 4] if lengths else 10**9


def join_pdf_lines(pages: list[list[str]]) -> tuple[str, int]:
    """Rebuild paragraphs from printed lines; return the text and the lines dropped."""
    running = _running_lines(pages)
    kept: list[str] = []
    removed = 0
    for page in pages:
        for line in page:
            if line in running or _PAGE_NUMBER.match(line):
                removed += 1
            else:
                kept.append(line)
    width = _full_width(kept)
    out: list[str] = []
    wrapped = False  # the previous line ran to full width mid-sentence
    for line in kept:
        starts_new = heading_level(line) > 0 or ITEM_LEAD.match(line) is not None
        if wrapped and out and not starts_new:
            out[-1] += line
        else:
            out.append(line)
        # A paragraph's first line is printed indented (two characters in official
        # documents), so it is full when it reaches the width less that indent.
        indent = 0 if wrapped else FIRST_LINE_INDENT
        wrapped = len(line) >= width - 1 - indent and not line.endswith(_ENDS_SENTENCE)
    return "\n".join(out) + "\n", removed


def pdf_text(data: bytes, name: str, caps: Caps = DEFAULT_CAPS) -> tuple[str, int]:
    """Return a text PDF's report text and how many noise lines were dropped."""
    return join_pdf_lines(pdf_pages(data, name, caps))
