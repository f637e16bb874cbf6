"""Several years of one unit: a metric compared by year (「/compare 发展党员 县直机关工委」).

Real libraries hold a unit's reports year after year; which year a figure describes is the
language wing's reading (``qa.language.years``). Only the unit's own reports are read: the
whole library's figures took 109 s at 10⁶ passages (``bench/bench_ask.py --figures``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from qa.language import UnitNames, figure_year, latest_years, trend_asked, unit_of
from qa.models import Report

from .extract import extract_figures
from .table import Comparison, FigureTable, ReportInfo


def unit_reports(reports: Sequence[Report], names: UnitNames, asked: str
                 ) -> tuple[str, list[Report]]:
    """Return the unit a text names (by any learned name) and its reports, or ("", [])."""
    found, _ = names.find(asked)
    units = [u for _, named in found for u in named]
    if len(set(units)) != 1:
        return "", []
    return units[0], [r for r in reports if unit_of(r) == units[0]]


def compare_by_year(phrase: str, reports: Sequence[Report], unit: str, last: int = -1
                    ) -> Comparison:
    """Compare a metric across one unit's reports, one row per report, oldest year first."""
    years = {r.report_id: figure_year(r) for r in reports}
    kept = latest_years(list(years.values()), last)
    chosen = [r for r in reports if years[r.report_id] in kept]
    infos = [ReportInfo(r.report_id, r.title, unit, years[r.report_id]) for r in chosen]
    table = FigureTable((f for r in chosen for f in extract_figures(r)), infos)
    comparison = table.compare(phrase)
    rows = sorted(comparison.rows, key=lambda row: (row.report.year, row.report.report_id))
    return dataclasses.replace(comparison, rows=tuple(rows), order="year", unit=unit)


def compare_unit(phrase: str, reports: Sequence[Report], names: UnitNames, asked: str,
                 last: int = -1) -> Comparison | None:
    """Compare a metric year by year for the unit a text names; None if it names none."""
    unit, own = unit_reports(reports, names, asked)
    return compare_by_year(phrase, own, unit, last) if own else None


def unit_trend(text: str, reports: Sequence[Report], names: UnitNames) -> Comparison | None:
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
    return compare_by_year(metric, own, unit, last or -1)
