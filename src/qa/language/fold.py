"""NFKC without decomposing every character: only the runs of characters it changes.

``unicodedata.normalize("NFKC", text)`` decomposes and recomposes the whole text: ≈ 20 µs for a
130-character passage, a sixth of tokenising it, although in our texts only full-width
punctuation and digits change. Here each run of Basic Multilingual Plane characters whose NFKC
differs from themselves is replaced by its own NFKC, and the result is accepted only if it is
NFKC-normalised; otherwise the whole text is normalised as before. Exact: replacing a run by its
NFKC leaves the text's full compatibility decomposition unchanged (canonical reordering is a
stable sort, so pre-sorted pieces sort the same), so both texts have one NFKC, and a normalised
text is its own NFKC (tests/language/test_tokenizer_speed.py compares every text it can find).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from .startcache import cached_json


def nfkc(text: str) -> str:
    """Return ``unicodedata.normalize("NFKC", text)``, faster when few characters change."""
    folded = _changed().sub(_fold_run, text)
    if unicodedata.is_normalized("NFKC", folded):
        return folded
    return unicodedata.normalize("NFKC", text)


def _fold_run(match: re.Match[str]) -> str:
    return _fold(match.group())


@lru_cache(maxsize=4096)
def _fold(run: str) -> str:
    # Runs repeat (，（）, full-width digits): most are folded once.
    return unicodedata.normalize("NFKC", run)


@cache
def _changed() -> re.Pattern[str]:
    """Return a pattern of runs of BMP characters that NFKC changes."""
    # Finding them takes 65,536 normalisations (≈ 50 ms): kept in the start-up cache, by the
    # Unicode version that decides them.
    ranges = cached_json("nfkc-changed", f"{unicodedata.unidata_version} 1", _changed_ranges,
                         _are_ranges)
    spans = (re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    changed = "[" + "".join(spans) + "]"
    # c c* rather than c+: a pattern that starts with a character class is scanned in C up to
    # a character of the class (re's charset prefix, which a repeat hides): ≈ half the time.
    return re.compile(changed + changed + "*")


def _changed_ranges() -> list[list[int]]:
    """Return [first, last] code points of each run of BMP characters that NFKC changes."""
    ranges: list[list[int]] = []
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp < 0xE000 or unicodedata.is_normalized("NFKC", chr(cp)):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges


def _are_ranges(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(r, list) and len(r) == 2 and all(isinstance(c, int) for c in r)
        and 0x80 <= r[0] <= r[1] < 0x10000 for r in value)
