"""Library: the reports folder as admins change it — manifest, add/replace/remove, upload
previews and corrections, a report's identity by content and the audit log (issue 19) — and
as an engine opens it: a cold load parses and tokenises on every core (``coldload``).
"""

from __future__ import annotations

from . import auditlog
from .auditlog import AuditRecord
from .coldload import load_indexed
from .folder import CACHE_DIR_NAME, Library, LibraryEntry
from .identity import file_digest, text_digest
from .preview import Preview, apply_corrections, build_preview
from .sandbox import DEFAULT_LIMITS, Limits, preview_isolated, preview_upload, start_worker_server

__all__ = [
    "AuditRecord",
    "CACHE_DIR_NAME",
    "DEFAULT_LIMITS",
    "Library",
    "LibraryEntry",
    "Limits",
    "Preview",
    "apply_corrections",
    "auditlog",
    "build_preview",
    "file_digest",
    "load_indexed",
    "text_digest",
    "preview_isolated",
    "preview_upload",
    "start_worker_server",
]
