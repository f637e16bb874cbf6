"""A question that describes a shortcoming: 「新党员进来得太少」「推得有点慢」「没啥新花样」.

Staff ask about a report's problems without naming them: they describe the shortcoming the
way one complains. Chinese marks a complaint by grammar more than by vocabulary — a degree of
excess or lack before the predicate (太少, 有点慢, 不太会), a negated predicate (不深, 不主动,
没劲头), a negated potential complement (起不到, 跟不上) — so the rule reads those shapes; the
listed phrases (``intents.txt``, "deficiency") add idioms with no such mark (走过场, 两张皮).

What the shape spans (the marker and the word after it) is the complaint, not the topic: a
passage that states a shortcoming holds it, whatever words it uses for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

# A degree of excess or lack before a predicate (太少, 有点慢, 过于单一, 不太主动); not 有些,
# which before a noun is "some" (「有些支部」).
_DEGREE = re.compile(r"(?:太|过于|有点儿?|不太|不大|不怎么|不够)(?=[\u4e00-\u9fff])")
# 不 + these is no judgement: 不同 (different), 不断 (again and again), 不少 (many), 不仅/不但/
# 不过 (conjunctions), 不管/不论, 不久, 不然, 不要/不用 (imperatives), 不知道/不清楚 (the
# asker's own doubt: 「不知道哪家…」).
_NOT_JUDGING = frozenset("同断少仅但过管论久然要用知清")
# 没 ending the question or before a particle asks (「有人提过没」); 有没有 asks too.
_QUESTION_AFTER_MEI = frozenset("？?吧呢啊吗")
_WORD_CHARS = 2  # what a marker qualifies: the next two characters at most
# An absolute negation states resolve, not a shortcoming: 绝不手软, 决不姑息, 毫不放松,
# 「是不是一点都不手软」.
_RESOLVE_BEFORE = ("一点都", "一点也", "绝", "决", "毫", "从")


def _degree_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _DEGREE.finditer(text):
        yield match.start(), match.end() + _WORD_CHARS


_NEGATOR = re.compile("[不没]")


def _negation_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield 不 / 没 before a predicate, but not the A不A and 有没有 of a yes-no question."""
    # Only where a 不 or 没 is (found in C): a loop over every character was a tenth of parsing.
    for match in _NEGATOR.finditer(text):
        at, char = match.start(), match.group()
        if at + 1 >= len(text):
            continue
        after, before = text[at + 1], text[at - 1] if at else ""
        if not "\u4e00" <= after <= "\u9fff" or after in _QUESTION_AFTER_MEI:
            continue
        if before and before == after:  # 是不是, 能不能, 有没有
            continue
        if char == "不" and (after in _NOT_JUDGING or text[:at].endswith(_RESOLVE_BEFORE)):
            continue
        asks_after = after == "有" and text[at + 2 : at + 3] in ("", "？", "?")  # 「…没有？」
        if char == "没" and (before == "有" or asks_after):
            continue
        yield at, at + 1 + _WORD_CHARS


def shortcoming_spans(text: str, phrases: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Return the character spans of ``text`` that describe a shortcoming."""
    spans = [*_degree_spans(text), *_negation_spans(text)]
    for phrase in phrases:
        start = text.find(phrase)
        while start >= 0:
            spans.append((start, start + len(phrase)))
            start = text.find(phrase, start + 1)
    return sorted(spans)


def complaint_words(text: str, terms: Sequence[str], spans: Sequence[tuple[int, int]]) -> tuple[
        str, ...]:
    """Return the question's terms that sit inside a shortcoming's span (its complaint words)."""
    out = []
    for term in terms:
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            if any(a < end and start < b for a, b in spans):
                out.append(term)
                break
            start = text.find(term, start + 1)
    return tuple(out)
