"""Near-misses: a passage about the asked thing that qualifies it differently.

Small pure checks, each general: a number the question itself gives is not its answer
("中心组学习12次里头…有几次"); a numbered qualifier the passage states otherwise is another
thing ("三星级" asked, "五星级" said; "第二届" asked, "首届" said); a question asking what a
numbered slogan means is not answered by a passage that only names it ("五多四过指的是什么").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.figures import parse_chinese_number

from .asked import fits, stated_counts

NUMERALS = "零〇一二两三四五六七八九十百0123456789"
_NUMBERED = re.compile(rf"第?[{NUMERALS}]+")
# A question asking what something means or consists of.
_MEANING_ASKED = re.compile(
    r"指的是|指什么|指啥|什么意思|啥意思|分别指|具体是哪[一二三四五六七八九十]"
)
# How a report explains a slogan right after naming it: “五多四过”即…, （…）, ：…, 包括…
_EXPLAINED = r"[”\"」]?\s*(?:即|：|:|（|\(|包括|是指|就是|分别是|指的是)"


def counts_in(text: str, unit: str) -> set[str]:
    """Return the counts a text states in the asked measure word (as written)."""
    return {count for _, count, measure in stated_counts(text) if fits(measure, unit)}


def new_counts(quote: str, question: str, unit: str) -> set[str]:
    """Return the counts a quote states that the question did not already give."""
    return counts_in(quote, unit) - counts_in(question, unit)


def qualifier_clash(terms: Sequence[str], text: str) -> tuple[str, str] | None:
    """Return (asked, said) when a numbered question word appears in the text with another
    number ("三星级" → "五星级", "第二届" → "首届"); None when no word clashes."""
    for term in terms:
        match = _NUMBERED.match(term)
        rest = term[match.end():] if match else ""
        # "两个" vs "三个" is a count, not a qualifier: the rest must name something (星级),
        # or the number is an ordinal (第二届).
        if not match or term in text or len(rest) < (1 if term[0] == "第" else 2):
            continue
        said = [m.group(0) for m in
                re.finditer(rf"(?:第?[{NUMERALS}]+|首){re.escape(rest)}", text)]
        # "一万公里" is said as "1万公里": the same number written the other way.
        if said and not any(_numbered_value(s, rest) == _numbered_value(term, rest)
                            for s in said):
            return term, said[0]
    return None


def states_qualifier(term: str, text: str) -> bool:
    """Tell whether a text states a numbered question word, in either way of writing its
    number ("一万公里" in 「突破1万公里」)."""
    match = _NUMBERED.match(term)
    rest = term[match.end():] if match else ""
    if term in text or not rest or rest not in text:
        return term in text
    return qualifier_clash([term], text) is None


def _numbered_value(word: str, rest: str) -> float | None:
    """Return the number a numbered word states (「第二届」 → 2, 「1万公里」 → 1), None if none."""
    numeral = word[: len(word) - len(rest)].removeprefix("第")
    if numeral.isdigit():
        return float(numeral)
    try:
        return float(parse_chinese_number(numeral))
    except (KeyError, ValueError):
        return None


def unexplained_slogan(question: str, terms: Sequence[str], text: str) -> str:
    """Return the numbered slogan a meaning question asks about when the text names it without
    explaining it ("" when the question asks no meaning, or the text explains it)."""
    if not _MEANING_ASKED.search(question):
        return ""
    named = [t for t in terms if t in text and any(c in NUMERALS for c in t) and len(t) >= 3]
    for slogan in sorted(named, key=len, reverse=True):
        if not re.search(re.escape(slogan) + _EXPLAINED, text):
            return slogan
    return ""
