"""What the index holds for a passage, and a digest of a report's indexed texts.

Kept apart from ``qa.indextext`` (tokens, caches, segments) because the parsed-report cache
stores each report's digest: this module's source is part of the parser's version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from .models import Passage


def index_text(passage: Passage) -> str:
    """Return what is indexed for a passage: its headings (minus its own label) and its text."""
    headings = passage.section_path[:-1] if passage.label else passage.section_path
    return " ".join((*headings, passage.text))


def texts_digest(passages: Iterable[Passage]) -> str:
    """Return a digest of the passages' indexed texts (boundaries included)."""
    digest = hashlib.blake2b(digest_size=16)
    for passage in passages:
        # Length-prefix each text so passage boundaries are part of the digest.
        encoded = index_text(passage).encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return digest.hexdigest()
