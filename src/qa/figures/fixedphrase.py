"""Numerals that count nothing (set phrases such as 四个中心, 三会一课) and plain number display.

A Chinese numeral with a classifier followed straight by a short noun names a set of ideas in
these reports far more often than it counts: 「完成四个中心建设」 builds no four centres. Such a
phrase is a set phrase when ``data/fixed_phrases.txt`` lists it, or when the same passage also
writes it in quotes (“四个中心”), the way reports introduce a slogan.
"""

from __future__ import annotations

import re
from functools import cache

from qa.language import read_lines

_SMALL_NUMERAL = "一二两三四五六七八九"
# A small numeral, a classifier or none, and the two to four characters of a slogan's noun.
_SLOGAN = re.compile(rf"[{_SMALL_NUMERAL}](?:个|项|种|大|条)?[\u4e00-\u9fff]{{2,4}}")


@cache
def fixed_phrases() -> tuple[str, ...]:
    """Return the listed set phrases, longest first."""
    return tuple(sorted(set(read_lines("fixed_phrases.txt")), key=len, reverse=True))


def is_set_phrase(text: str, at: int) -> bool:
    """Tell whether the numeral at ``text[at]`` opens a set phrase rather than a count."""
    if text[at - 1 : at] == "第" and text.startswith("第一议题", at - 1):
        return True
    if any(text.startswith(phrase, at) for phrase in fixed_phrases()):
        return True
    match = _SLOGAN.match(text, at)
    if match is None:
        return False
    # The same words quoted anywhere in the text: 「围绕“四个中心”……完成四个中心建设」.
    for end in range(match.end(), at + 2, -1):
        if f"“{text[at:end]}”" in text:
            return True
    return False


def plain_number(value: float) -> str:
    """Return a number as people write it: 118.3万, 172亿, 3005, 12.5; never 1.183e+06."""
    value = float(value)  # an int passed where a float is typed still prints
    for at_least, unit, name in ((1e12, 1e12, "万亿"), (1e8, 1e8, "亿"), (1e5, 1e4, "万")):
        if abs(value) >= at_least:
            return _digits(round(value / unit, 4)) + name
    return _digits(value)


def _digits(value: float) -> str:
    if value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")
