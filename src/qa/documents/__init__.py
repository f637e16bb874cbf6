"""Documents: an uploaded file's bytes → the report's plain text (.txt, .docx, .doc/.wps, .pdf,
scans and photos of pages through OCR), or a refusal that says what to do.
"""

from __future__ import annotations

from .caps import DEFAULT_CAPS, Caps
from .convert import (
    MAX_UPLOAD_BYTES,
    REFUSALS,
    Converted,
    Progress,
    convert_file,
    document_text,
)
from .plausible import check_plausible

__all__ = [
    "Progress",
    "Caps",
    "DEFAULT_CAPS",
    "Converted",
    "MAX_UPLOAD_BYTES",
    "REFUSALS",
    "check_plausible",
    "convert_file",
    "document_text",
]
