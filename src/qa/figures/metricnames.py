"""Metric phrases: fold a figure's wording so that synonyms meet (data/metrics.txt)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from qa.data import data_path

# Quotes, brackets and spaces carry no meaning in a metric phrase: “固定党日＋”活动 = 固定党日+活动.
_NOISE = re.compile(r"[\s“”‘’\"'《》〈〉「」『』【】（）()\[\]·]")


def read_groups(lines: Iterable[str]) -> dict[str, str]:
    """Parse synonym-group lines ("canonical syn syn …", # comments) into phrase → canonical."""
    mapping: dict[str, str] = {}
    for raw in lines:
        words = raw.split("#", 1)[0].split()
        for word in words:
            mapping.setdefault(_fold(word), _fold(words[0]))
    return mapping


@lru_cache(maxsize=1)
def metric_groups() -> dict[str, str]:
    """Return the reviewed synonym groups of data/metrics.txt as phrase → canonical phrase."""
    text = data_path("metrics.txt").read_text(encoding="utf-8")
    return read_groups(text.splitlines())


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # Longest first: at 换届选举 the alternation must try 换届选举 before 换届.
    words = sorted(metric_groups(), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _fold(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).lower()


@lru_cache(maxsize=65536)
def fold_metric(text: str) -> str:
    """Fold a phrase for matching: NFKC, no quotes or spaces, every synonym → its canonical."""
    groups = metric_groups()
    return _pattern().sub(lambda m: groups[m.group(0)], _fold(text))


@lru_cache(maxsize=65536)
def canonical_metric(text: str) -> str:
    """Return the canonical phrase of the synonym that ends text, else the folded text.

    Only the end counts: a Chinese phrase's head noun comes last, so 开展中心组学习 is a count of
    中心组学习 while 中心组学习选派优秀代表 counts representatives.
    """
    folded = _fold(text)
    groups = metric_groups()
    ending = [w for w in groups if folded.endswith(w)]
    return groups[max(ending, key=len)] if ending else fold_metric(text)


def metric_matches(query: str, metric: str, metric_raw: str) -> bool:
    """Tell whether a figure (its metric and raw phrase) answers a metric asked for in words."""
    asked = canonical_metric(query)
    return bool(asked) and (asked == metric or asked in fold_metric(metric_raw))
