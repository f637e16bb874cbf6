"""The years of a report and of a question: written, reviewed, and "近三年" asked.

A figure belongs to the year it describes: the year a report reviews (a 2026 政府工作报告
reports 2025's results), and for a plans passage the year after (the targets it sets).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.models import Deferred, Kind, Report

from .docmeta import covered_year

_TREND = re.compile(
    r"近([两二三四五六七八九十\d]{1,2})年(?:来)?|历年(?:来)?|逐年|每年|这几年|几年来|多年来|"
    r"各年度?|按年份?|年度变化|变化趋势")
_SMALL = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
          "十": 10}


def trend_asked(text: str) -> tuple[int, str]:
    """Return how many recent years a question asks for (-1: every year, 0: not asked) and
    the text without the words that asked it."""
    match = _TREND.search(text)
    if match is None:
        return 0, text
    count = match.group(1) or ""
    years = int(count) if count.isdigit() else _SMALL.get(count, -1) if count else -1
    return years, text[: match.start()] + " " + text[match.end():]


def figure_year(report: Report, kind: Kind | str = "") -> str:
    """Return the year a figure of the report describes ("" when the report has no year)."""
    written, covered = report_years(report)
    if kind == "plans" and covered.isdigit():
        return str(int(covered) + 1)
    return covered or written


def latest_years(years: Sequence[str], count: int) -> set[str]:
    """Return the latest ``count`` distinct years (all of them when count < 1)."""
    ordered = sorted(set(years))
    return set(ordered if count < 1 else ordered[-count:])


def report_years(report: Report) -> tuple[str, str]:
    """Return (written, covered) years: a 政府工作报告 of 2026 reviews 2025."""
    body = report.body
    if isinstance(body, Deferred):  # worked out when it was parsed: no body read
        known = body.store.covered(body.slot)
        if known is not None:
            return report.year, known
    return report.year, _covered(report.report_id, report.key, report.year, report)


_COVERED: dict[tuple[str, str, str], str] = {}


def _covered(report_id: str, key: str, year: str, report: Report) -> str:
    cache_key = (report_id, key, year)
    found = _COVERED.get(cache_key)
    if found is None:
        texts: list[str] = []
        length = 0
        for passage in report.passages:  # the opening, past a saved web page's menu
            texts.append(passage.text)
            length += len(passage.text)
            if length > 3000:
                break
        opening = "\n".join(texts)
        if len(_COVERED) > 100_000:  # reports replaced many times over: start again
            _COVERED.clear()
        found = _COVERED[cache_key] = covered_year(year, f"{report.title}\n{opening}")
    return found
