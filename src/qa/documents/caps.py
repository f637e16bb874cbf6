"""How much work one upload may cost: the bounds every reader and the plausibility check keep.

A real report is a few hundred KB of text; these bounds sit far above that and far below what
would hurt the process reading it. Tests lower them through the same parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Caps:
    """Upper bounds for reading one uploaded file."""

    xml_bytes: int = 50 * MB  # a .docx's XML parts together, inflated
    part_bytes: int = 100 * MB  # all of a .docx's parts together (images too), inflated
    members: int = 2000  # parts in a .docx
    paragraphs: int = 50_000  # <w:p> in document.xml (a long report has a few thousand)
    pdf_pages: int = 1000
    pdf_page_content: int = 20 * MB  # one page's decoded content stream
    pdf_content: int = 100 * MB  # all pages' decoded content streams together
    text_chars: int = 1_000_000  # the converted text
    line_chars: int = 100_000  # one paragraph without a line break
    headings: int = 1000  # numbered heading lines


DEFAULT_CAPS = Caps()
