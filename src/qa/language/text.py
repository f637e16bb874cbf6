"""Sentences and terms: the text units every wing cuts the same way."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*")


def split_sentences(text: str) -> list[str]:
    """Split a passage into sentences, keeping their closing punctuation."""
    return list(_split_cached(text))


@lru_cache(maxsize=16384)
def _split_cached(text: str) -> tuple[str, ...]:
    return tuple(s for s in (m.group(0).strip() for m in _SENTENCE.finditer(text)) if s)


def drop_subterms(terms: Sequence[str]) -> list[str]:
    """Keep only the longest of nested terms (jieba's search mode yields 主题教育, 主题, 教育)."""
    kept: list[str] = []
    for term in sorted(set(terms), key=len, reverse=True):
        if not any(term in longer for longer in kept):
            kept.append(term)
    return kept
