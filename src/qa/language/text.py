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
    # Ties keep the question's order: a set's order changes from run to run (hash seeds).
    for term in sorted(dict.fromkeys(terms), key=len, reverse=True):
        if not any(term in longer for longer in kept):
            kept.append(term)
    return kept


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_chinese_number(text: str) -> int:
    """Parse a Chinese numeral below 10000: 十二 → 12, 两 → 2, 一百零五 → 105, 二十 → 20."""
    total, digit = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        else:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
    return total + digit
