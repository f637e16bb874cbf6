"""Documents: an uploaded file's bytes → the report's plain text (.txt, .docx, .pdf), or a
refusal that says what to do.
"""

from __future__ import annotations

from .caps import DEFAULT_CAPS, Caps
from .convert import MAX_UPLOAD_BYTES, REFUSALS, Converted, convert_file
from .plausible import check_plausible

__all__ = [
    "Caps",
    "DEFAULT_CAPS",
    "Converted",
    "MAX_UPLOAD_BYTES",
    "REFUSALS",
    "check_plausible",
    "convert_file",
]
