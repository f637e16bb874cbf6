"""Pick the sentence(s) worth quoting from a hit and mark what to highlight; no markup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from qa.language import drop_subterms, split_sentences
from qa.models import Hit, Quote

_CLAUSE = re.compile(r"[^，,、：:]+[，,、：:]*")
FIGURE = re.compile(
    r"\d+(?:\.\d+)?(?:余|多)?(?:[%％]|人次|名|人|个|次|条|项|件|家|场次|场|期|批|篇|册|支|万|余名|余次)?"
)
_NUMBER_NEAR = re.compile(r".{0,4}?\d")
MAX_QUOTE_CHARS = 160
MIN_QUOTE_CHARS = 40

Weigh = Callable[[str], float]


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    # Cached: the same sentences are folded again for every question that reaches them.
    return unicodedata.normalize("NFKC", text).lower()


def fold_sentence(text: str) -> str:
    """Return a sentence as ``sentence_score`` matches terms in it (width, case)."""
    return _fold(text)


@lru_cache(maxsize=4096)
def longest_terms(terms: tuple[str, ...]) -> tuple[str, ...]:
    """Return ``drop_subterms`` of a tuple of terms, cached: every sentence and candidate of a
    question asks again for the same few combinations."""
    return tuple(drop_subterms(terms))


@dataclass(frozen=True, slots=True)
class QueryTerms:
    """What sentence choice needs from a question: terms, their order, and figure wishes."""

    terms: tuple[str, ...]
    order: tuple[str, ...] = ()
    figure: bool = False
    unit: str = ""
    weights: Mapping[str, float] = field(default_factory=dict)

    def weight(self, term: str, weigh: Weigh) -> float:
        """Return a term's information weight scaled by its query weight (synonyms < 1)."""
        return weigh(term) * self.weights.get(term, 1.0)


def sentence_score(sentence: str, query: QueryTerms, weigh: Weigh,
                   folded: str | None = None) -> float:
    """Score a sentence: weights of the query terms it holds, adjacent query words, figures.

    ``folded`` is ``fold_sentence(sentence)`` when the caller already has it.
    """
    return SentenceScorer(query, weigh).score(sentence, folded)


# The credited terms, their summed weight, and the pairs still open (SentenceScorer._holding).
_Held = tuple[tuple[str, ...], float, tuple[tuple[str, float], ...]]


class SentenceScorer:
    """``sentence_score`` for one question: its terms' weights and adjacent pairs worked out
    once, not again for every sentence of every candidate."""

    def __init__(self, query: QueryTerms, weigh: Weigh) -> None:
        self.query = query
        self.weights = {t: query.weight(t, weigh) for t in query.terms}
        self.pairs = [(a + b, 0.5 * (weigh(a) + weigh(b)))
                      for a, b in zip(query.order, query.order[1:], strict=False)]
        # Per set of terms held: what of a sentence's score depends on nothing else. A
        # question's sentences hold a few such sets between them.
        self._held: dict[tuple[str, ...], _Held] = {}

    def score(self, sentence: str, folded: str | None = None) -> float:
        """Score a sentence (``folded``: its ``fold_sentence``, when the caller has it)."""
        folded = _fold(sentence) if folded is None else folded
        return self.score_holding(sentence, folded,
                                  tuple(t for t in self.query.terms if t in folded))

    def score_holding(self, sentence: str, folded: str, present: tuple[str, ...]) -> float:
        """Score a sentence given the query terms its folded text holds, in query order."""
        if not present:
            return 0.0  # query.order ⊆ query.terms: no adjacent pair can match either
        held = self._held.get(present)
        if held is None:
            held = self._held[present] = self._holding(present)
        matched, score, open_pairs = held
        for pair, bonus in open_pairs:  # in pair order: the same sum as pair by pair
            if pair in folded:
                score += bonus
        if self.query.figure and score > 0:
            score = _with_figures(score, sentence, folded, matched, self.query.unit)
        return score

    def _holding(self, present: tuple[str, ...]) -> _Held:
        """Return the terms a sentence holding ``present`` is credited, their weight, and the
        adjacent pairs that can still add a bonus (those inside no credited term)."""
        matched = longest_terms(present) if len(present) > 1 else present
        score = sum(map(self.weights.__getitem__, matched))
        open_pairs = tuple((pair, bonus) for pair, bonus in self.pairs
                           if not any(pair in m for m in matched))
        return matched, score, open_pairs


def _with_figures(score: float, sentence: str, folded: str, matched: Sequence[str],
                  unit: str) -> float:
    """Return a figure question's score of a sentence raised for the numbers it states."""
    figures = [m.group(0) for m in FIGURE.finditer(sentence)]
    if figures:
        score *= 1.5
        if unit and any(f.endswith(unit) for f in figures):
            score *= 1.3
        if _count_follows_term(folded, matched):
            score *= 1.2  # "查摆问题67个": the count belongs to the asked thing
    return score


def _count_follows_term(folded: str, terms: Sequence[str]) -> bool:
    """Tell whether a number follows a query term within a few characters."""
    for term in terms:
        at = folded.find(term)
        while at >= 0:
            end = at + len(term)
            # Matched in place: slicing the rest of the text per occurrence was quadratic.
            if _NUMBER_NEAR.match(folded, end, end + 5):
                return True
            at = folded.find(term, at + 1)
    return False


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
    for term in _highlighted(tuple(terms)):
        spans.extend(_occurrences(term, folded))
    if figure:
        spans.extend((m.start(), m.end()) for m in FIGURE.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


@lru_cache(maxsize=4096)
def _highlighted(terms: tuple[str, ...]) -> tuple[str, ...]:
    """Return the terms a quote highlights, longest first: each a question's five quotes
    would otherwise sort and filter again. (The spans are sorted afterwards, so the order of
    equally long terms does not matter.)"""
    return tuple(term for term in sorted(set(terms), key=len, reverse=True)
                 if len(term) >= 2 or term.isdigit())


def _occurrences(term: str, text: str) -> list[tuple[int, int]]:
    """Return the non-overlapping (start, end) of a non-empty term in text, left to right:
    what ``re.finditer(re.escape(term), text)`` finds, without a pattern per term."""
    found = []
    at = text.find(term)
    while at >= 0:
        found.append((at, at + len(term)))
        at = text.find(term, at + len(term))
    return found


def best_sentence(text: str, query: QueryTerms, weigh: Weigh) -> tuple[int, float, list[str]]:
    """Return the index and score of a passage's best sentence, and all its sentences."""
    sentences = split_sentences(text) or [text]
    scorer = SentenceScorer(query, weigh)
    scores = [scorer.score(s) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    return best, scores[best], sentences


def quote_hit(hit: Hit, query: QueryTerms, weigh: Weigh,
              chosen: tuple[int, list[str]] | None = None) -> Quote:
    """Quote the best sentence of a hit's passage, led by the item's own heading sentence.

    ``chosen`` is the (best index, sentences) ``best_sentence`` already returned for this hit
    and query, so they are not worked out twice.
    """
    best, sentences = chosen or best_sentence(hit.passage.text, query, weigh)[::2]
    whole = "".join(sentences)
    if len(whole) <= MAX_QUOTE_CHARS and not query.figure:
        # A short item is quoted whole: the sentence after the best one is often the fact.
        return Quote(hit, whole, highlight_spans(whole, query.terms, query.figure))
    lead = ""
    first = sentences[0]
    if best > 0 and hit.passage.label and first.startswith(hit.passage.label) and len(first) <= 45:
        lead = first + ("" if best == 1 else "……")
    body = trim_sentence(sentences[best], query.terms, MAX_QUOTE_CHARS - len(lead))
    text = lead + body
    if len(text) < MIN_QUOTE_CHARS and best + 1 < len(sentences) and not body.endswith("…"):
        # A bare heading ("二是夯实理论武装。") says little: add what follows it.
        text += trim_sentence(sentences[best + 1], query.terms, MAX_QUOTE_CHARS - len(text))
    return Quote(hit, text, highlight_spans(text, query.terms, query.figure))


def overview_quote(hit: Hit, items: Sequence[str], item_hits: Sequence[Hit] = ()) -> Quote:
    """Quote a section by listing its item headings (for "存在哪些问题" style questions);
    ``item_hits`` are the passages behind the headings, one each."""
    text = items[0] if items else trim_sentence(split_sentences(hit.passage.text)[0], [])
    return Quote(hit, text, (), tuple(items), tuple(item_hits))

