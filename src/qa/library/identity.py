"""A report's identity by content: the bytes as uploaded and the text as read.

Two uploads are the same report when their files are byte-identical, or when their texts are
the same once line endings, blank lines and the spaces around lines are ignored (the same
report saved as .docx and as .txt, or re-encoded from GBK to UTF-8).
"""

from __future__ import annotations

import hashlib


def file_digest(data: bytes) -> str:
    """Return the sha256 of a file's bytes (what the audit log records)."""
    return hashlib.sha256(data).hexdigest()


def text_digest(text: str) -> str:
    """Return the sha256 of a report's text with layout differences ignored."""
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    canonical = "\n".join(line for line in lines if line)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
