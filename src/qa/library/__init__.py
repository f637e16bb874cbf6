"""Library: the reports folder as admins change it — manifest, add/replace/remove, upload
previews and corrections.
"""

from __future__ import annotations

from .folder import Library, LibraryEntry
from .preview import Preview, apply_corrections, build_preview
from .sandbox import DEFAULT_LIMITS, Limits, preview_isolated, preview_upload, start_worker_server

__all__ = [
    "DEFAULT_LIMITS",
    "Library",
    "LibraryEntry",
    "Limits",
    "Preview",
    "apply_corrections",
    "build_preview",
    "preview_isolated",
    "preview_upload",
    "start_worker_server",
]
