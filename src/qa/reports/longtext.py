"""Passages bounded at ingest: a paragraph far longer than any real one is cut at sentence ends.

The longest paragraph in the seeds and the shared corpus is about 1,300 characters; a passage
of megabytes makes every question that reaches it slow (sentence scoring walks it whole). A
paragraph above ``MAX_PASSAGE_CHARS`` becomes several passages, each ending at a sentence end
when one falls in the second half of the window, else cut hard.
"""

from __future__ import annotations

MAX_PASSAGE_CHARS = 2000
_ENDS = "。！？!?；;…"


def split_long(text: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """Return ``text`` as pieces of at most ``limit`` characters, cut after sentence ends."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(end) for end in _ENDS) + 1
        if cut <= limit // 2:  # no sentence end late enough: a hard cut keeps pieces bounded
            cut = limit
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return [piece for piece in pieces if piece.strip()]


def count_long(lines: list[str], limit: int = MAX_PASSAGE_CHARS) -> int:
    """Count the lines that ingest will split."""
    return sum(1 for line in lines if len(line) > limit)
