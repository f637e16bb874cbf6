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
from pypdf.errors import PdfReadError

from qa.errors import FileRefusedError
from qa.reports import ITEM_LEAD, heading_level

MIN_CHARS_PER_PAGE = 20  # fewer visible characters per page on average: a scan
_PAGE_NUMBER = re.compile(
    r"^[-—－\s]*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?)[-—－\s]*$"
)
_ENDS_SENTENCE = tuple("。！？!?；;：:”」")
_SPACE = re.compile(r"\s+")

def pdf_pages(data: bytes, name: str) -> list[list[str]]:
    """Return each page's non-empty lines; refuse encrypted, damaged or scanned PDFs."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileRefusedError(
                name, "encrypted", "PDF 已加密", "请取消密码后重新导出 PDF，或发送 .docx"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except FileRefusedError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise FileRefusedError(
            name, "damaged", "PDF 已损坏，无法读取", "请重新导出 PDF，或发送 .docx"
        ) from exc
    visible = sum(len(_SPACE.sub("", page)) for page in pages)
    if visible < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise FileRefusedError(
            name,
            "scanned_pdf",
            "这是扫描件或图片 PDF，没有可读取的文字",
            "请发送原始的 .docx，或用带文字层的 PDF",
        )
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


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
        wrapped = len(line) >= width - 1 and not line.endswith(_ENDS_SENTENCE)
    return "\n".join(out) + "\n", removed


def pdf_text(data: bytes, name: str) -> tuple[str, int]:
    """Return a text PDF's report text and how many noise lines were dropped."""
    return join_pdf_lines(pdf_pages(data, name))
