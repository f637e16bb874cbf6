"""Documents: an uploaded file's bytes → the report's plain text (.txt, .docx, .doc/.wps, .pdf,
scans and photos of pages through OCR), or a refusal that says what to do.
"""

from __future__ import annotations

from .convert import MAX_UPLOAD_BYTES, REFUSALS, Converted, convert_file, document_text

__all__ = [
    "Converted",
    "MAX_UPLOAD_BYTES",
    "REFUSALS",
    "convert_file",
    "document_text",
]
