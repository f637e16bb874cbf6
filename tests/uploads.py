"""Build upload fixtures in the test: .docx with Word list numbering, text PDFs, GBK .txt."""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# (style, list level or None, text). Level 0 → 一、, 1 → （一）, 2 → 1. from Word's numbering.
DocxRow = tuple[str, int | None, str]

LEVELS = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."))


def _add_numbering(document: docx.document.Document, num_id: int) -> None:
    """Add one multilevel numbering definition (一、/（一）/1.) as Word writes it."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(num_id))
    for ilvl, (fmt, text) in enumerate(LEVELS):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
    numbering.insert(0, abstract)  # abstractNum elements precede num elements
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(num_id))
    num.append(ref)
    numbering.append(num)


def _number(paragraph: docx.text.paragraph.Paragraph, num_id: int, level: int) -> None:
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", level), ("w:numId", num_id)):
        child = OxmlElement(tag)
        child.set(qn("w:val"), str(value))
        num_pr.append(child)
    paragraph._p.get_or_add_pPr().append(num_pr)


def make_docx(rows: Sequence[DocxRow], num_id: int = 100) -> bytes:
    """Return a .docx whose numbered rows carry Word automatic numbering, not typed numbers."""
    document = docx.Document()
    _add_numbering(document, num_id)
    for style, level, text in rows:
        paragraph = document.add_paragraph(text, style=style)
        if level is not None:
            _number(paragraph, num_id, level)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """Return a PDF with a real text layer (reportlab, a built-in Chinese CID font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for lines in pages:
        page.setFont("STSong-Light", 11)
        y = 800
        for line in lines:
            page.drawString(40, y, line)
            y -= 18
        page.showPage()
    page.save()
    return out.getvalue()
