"""Library: the reports folder as admins change it — manifest, add/replace/remove, upload
previews and corrections.
"""

from __future__ import annotations

from .folder import Library, LibraryEntry
from .preview import Preview, apply_corrections, build_preview

__all__ = [
    "Library",
    "LibraryEntry",
    "Preview",
    "apply_corrections",
    "build_preview",
]
