"""Enumerations inside a paragraph or at a line's start, in the forms Chinese reports use.

一是…二是…, 一要…二要…, 第一，…第二，…, 首先…其次…最后…, （1）…（2）…, ①…②…: a family counts
only when its markers rise from the first (a lone 「第一」 or 「首先」 is prose), and a marker
inside a paragraph must follow punctuation, so 「第一议题」 or 「三要素」 never start an item.
"""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十"
_CN_VALUE = {c: i + 1 for i, c in enumerate(_CN)}
_WORDS = {"首先": 1, "其次": 2, "再次": 3, "然后": 3, "最后": 99}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_AFTER = r"(?:(?<=^)|(?<=[。；;：:，,！？”\s]))"
# Every marker starts with one of these. Checked first, the one character class rules out most
# positions before the two look-behinds are tried (the scan takes half the time); it consumes
# nothing, so the matches are the same.
_FIRST = rf"(?=[{_CN}第首其再然最（({_CIRCLED}])"
_MARKER = re.compile(
    _FIRST + _AFTER + rf"(?:(?P<shi>[{_CN}]{{1,3}})是|(?P<yao>[{_CN}]{{1,3}})要(?![素求])"
    rf"|第(?P<di>[{_CN}]{{1,3}})(?=[，,、：:])|(?P<word>首先|其次|再次|然后|最后)(?=[，,：:]|要|是)"
    rf"|[（(](?P<paren>\d{{1,2}})[）)]|(?P<circ>[{_CIRCLED}]))"
)
# Line-start list items that are never headings (一是 lines may be; see qa.structure).
LIST_LEAD = re.compile(
    rf"^(?:[{_CN}]{{1,3}}要(?![素求])|第[{_CN}]{{1,3}}[，,、：:]|(?:首先|其次|再次|最后)[，,：:]|[{_CIRCLED}])"
)
# What every marker above contains, without the look-behind that makes _MARKER try each
# position of a paragraph: a paragraph without it has no marker (most have 是 or 要 somewhere).
# Written as [一是|一要|第一|首先|…] would make the scan try each alternative at every position;
# one character class first lets it skip to a first character in C, then the look-behinds
# check the pair. Only whether it is found is used.
_CANDIDATE = re.compile(
    rf"[{_CN}第首其再然最（({_CIRCLED}](?:(?<=[{_CN}])[是要]|(?<=第)[{_CN}]|(?<=首)先|(?<=其)次"
    rf"|(?<=再)次|(?<=然)后|(?<=最)后|(?<=[（(])\d|(?<=[{_CIRCLED}]))"
)
_ORDER = ("shi", "yao", "di", "word", "paren", "circ")


def _cn(numeral: str) -> int:
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return _CN_VALUE.get(tens, 1) * 10 + _CN_VALUE.get(ones, 0)
    return _CN_VALUE.get(numeral, 0)


def _number(match: re.Match[str]) -> tuple[str, int]:
    family = match.lastgroup or ""
    text = match.group(family)
    if family in ("shi", "yao", "di"):
        return family, _cn(text)
    if family == "word":
        return family, _WORDS[text]
    if family == "paren":
        return family, int(text)
    return family, _CIRCLED.index(text) + 1


def enumeration_starts(paragraph: str) -> list[int]:
    """Return where the items of a paragraph's enumeration start ([] when it has none)."""
    if _CANDIDATE.search(paragraph) is None:  # most paragraphs enumerate nothing
        return []
    runs: dict[str, list[tuple[int, int]]] = {}
    for match in _MARKER.finditer(paragraph):
        family, number = _number(match)
        run = runs.setdefault(family, [])
        if (not run and number == 1) or (run and number > run[-1][1]):
            run.append((match.start(), number))
    # The family with most items wins; 一是 first on a tie, as the commonest form. Only a run
    # of two or more counts: most paragraphs have none, and no family is weighed then.
    counted = [(len(run), -_ORDER.index(f), f) for f, run in runs.items() if len(run) >= 2]
    if not counted:
        return []
    return [start for start, _ in runs[max(counted)[2]]]
