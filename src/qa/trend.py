"""Several years of one unit: a figure by year (「县直工委近三年发展党员」, compare by unit).

Real libraries hold a unit's reports year after year. A figure belongs to the year it
describes: the year a report reviews (a 2026 政府工作报告 reports 2025's results), and for a
plans passage the year after (the targets it sets).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from .figtable import Comparison, FigureTable, ReportInfo
from .models import Kind, Report
from .unitnames import UnitNames, report_years, unit_of

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


def unit_reports(reports: Sequence[Report], names: UnitNames, asked: str
                 ) -> tuple[str, list[Report]]:
    """Return the unit a text names (by any learned name) and its reports, or ("", [])."""
    found, _ = names.find(asked)
    units = [u for _, named in found for u in named]
    if len(set(units)) != 1:
        return "", []
    return units[0], [r for r in reports if unit_of(r) == units[0]]


def compare_by_year(table: FigureTable, phrase: str, reports: Sequence[Report], unit: str,
                    last: int = -1) -> Comparison:
    """Compare a metric across one unit's reports, one row per report, oldest year first."""
    years = {r.report_id: figure_year(r) for r in reports}
    kept = latest_years(list(years.values()), last)
    ids = {r for r, year in years.items() if year in kept}
    infos = [ReportInfo(r.report_id, r.title, unit, years[r.report_id])
             for r in reports if r.report_id in ids]
    sub = FigureTable((f for f in table.figures if f.report_id in ids), infos)
    comparison = sub.compare(phrase)
    rows = sorted(comparison.rows, key=lambda row: (row.report.year, row.report.report_id))
    return dataclasses.replace(comparison, rows=tuple(rows), order="year", unit=unit)


def compare_unit(table: FigureTable, phrase: str, reports: Sequence[Report], names: UnitNames,
                 asked: str, last: int = -1) -> Comparison | None:
    """Compare a metric year by year for the unit a text names; None if it names none."""
    unit, own = unit_reports(reports, names, asked)
    return compare_by_year(table, phrase, own, unit, last) if own else None


def unit_trend(table: FigureTable, text: str, reports: Sequence[Report], names: UnitNames
               ) -> Comparison | None:
    """Read 「发展党员 县直机关工委」 / 「县直工委近三年发展党员」 as one unit's figure by year;
    None when the text names no single unit or no metric beside it."""
    last, text = trend_asked(text)
    found, rest = names.find(text)
    units = {u for _, named in found for u in named}
    metric = "".join(rest.split())
    if len(units) != 1 or not metric:
        return None
    unit = units.pop()
    own = [r for r in reports if unit_of(r) == unit]
    return compare_by_year(table, metric, own, unit, last or -1)
