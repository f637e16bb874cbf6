"""Pick the sentence(s) worth quoting from a hit and mark what to highlight; no markup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from .models import Hit, Quote

_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*")
_CLAUSE = re.compile(r"[^，,、：:]+[，,、：:]*")
FIGURE = re.compile(
    r"\d+(?:\.\d+)?(?:余|多)?(?:[%％]|人次|名|人|个|次|条|项|件|家|场次|场|期|批|篇|册|支|万|余名|余次)?"
)
MAX_QUOTE_CHARS = 150

Weigh = Callable[[str], float]


def split_sentences(text: str) -> list[str]:
    """Split a passage into sentences, keeping their closing punctuation."""
    return [s for s in (m.group(0).strip() for m in _SENTENCE.finditer(text)) if s]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def sentence_score(sentence: str, terms: Sequence[str], weigh: Weigh, figure: bool) -> float:
    """Sum the weights of the distinct query terms a sentence holds; figures add for figure questions."""
    folded = _fold(sentence)
    score = sum(weigh(t) for t in set(terms) if t in folded)
    if figure and score > 0 and FIGURE.search(sentence):
        score *= 1.5
    return score


def trim_sentence(sentence: str, terms: Sequence[str], limit: int = MAX_QUOTE_CHARS) -> str:
    """Cut a long sentence to the window of clauses richest in query terms, marked with "…"."""
    if len(sentence) <= limit:
        return sentence
    clauses = [m.group(0) for m in _CLAUSE.finditer(sentence)]
    hits = [sum(1 for t in set(terms) if t in _fold(c)) for c in clauses]
    best = (0, 0, -1)  # (start, end, hit count)
    for start in range(len(clauses)):
        length, count = 0, 0
        for end in range(start, len(clauses)):
            length += len(clauses[end])
            if length > limit and end > start:
                break
            count += hits[end]
            if count > best[2]:
                best = (start, end + 1, count)
    start, end, _ = best
    text = "".join(clauses[start:end])[:limit]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(clauses) or len(text) < len("".join(clauses[start:end])) else ""
    return prefix + text.rstrip("，,、：:") + suffix


def highlight_spans(text: str, terms: Sequence[str], figure: bool) -> tuple[tuple[int, int], ...]:
    """Return sorted, non-overlapping (start, end) spans of query terms and, if asked, figures."""
    folded = _fold(text)
    if len(folded) != len(text):  # NFKC changed lengths: offsets would drift
        folded = text
    spans: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        if len(term) < 2 and not term.isdigit():
            continue
        spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(term), folded))
    if figure:
        spans.extend((m.start(), m.end()) for m in FIGURE.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def quote_hit(hit: Hit, terms: Sequence[str], weigh: Weigh, figure: bool = False) -> Quote:
    """Quote the best sentence of a hit's passage (the first one when nothing matches)."""
    sentences = split_sentences(hit.passage.text) or [hit.passage.text]
    scores = [sentence_score(s, terms, weigh, figure) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    text = trim_sentence(sentences[best], terms)
    return Quote(hit, text, highlight_spans(text, terms, figure))


def overview_quote(hit: Hit, items: Sequence[str]) -> Quote:
    """Quote a section by listing its item headings (for "存在哪些问题" style questions)."""
    text = items[0] if items else trim_sentence(split_sentences(hit.passage.text)[0], [])
    return Quote(hit, text, (), tuple(items))
