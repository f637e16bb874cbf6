"""The figures table: every report's figures in one place, looked up and compared by metric."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from qa.models import Report

from .extract import Figure, extract_figures
from .metricnames import canonical_metric, metric_matches
from .metricwords import is_real_metric
from .store import stored_figures

# value: ranked; redacted: figure hidden in the report (**名); other: only in another measure word
# (e.g. 人次 where the others count 人), shown but never ranked; missing: not mentioned (未提及).
RowStatus = Literal["value", "redacted", "other", "missing"]
_STATUS_ORDER = {"value": 0, "redacted": 1, "other": 2, "missing": 3}
# Measure words that count the same thing and may be ranked together. 人次 counts attendances,
# not people, so it is never ranked (or added) with 人/名.
MEASURE_CLASSES: dict[str, str] = {"名": "人", "人": "人", "位": "人", "场": "场次", "场次": "场次"}
# At equal values 300余 ranks above 300, and 近300 below it.
_APPROX_RANK = {"余": 1, "多": 1, "超过": 1, "": 0, "约": 0, "近": -1}


def measure_class(measure: str) -> str:
    """Return the class a measure word ranks in: 名/人/位 → 人; 人次, 次, 个 … stay apart."""
    return MEASURE_CLASSES.get(measure, measure)


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """What a comparison shows of a report, including one that never mentions the metric."""

    report_id: str
    title: str
    unit: str
    year: str

    @property
    def name(self) -> str:
        """Return the unit, or the title when the report has no unit."""
        return self.unit or self.title


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One report's line in a comparison: its figure, or None when it does not mention it."""

    report: ReportInfo
    figure: Figure | None
    status: RowStatus


@dataclass(frozen=True, slots=True)
class Comparison:
    """A metric across reports, one row per report: valued rows by value descending (extreme
    first), then redacted ones, then those only in another measure word, then "未提及"."""

    query: str
    metric: str  # the asked phrase, normalised
    measure: str  # measure class of the ranked rows (人 covers 名/人/位); "" when none has it
    rows: tuple[ComparisonRow, ...]
    others: tuple[Figure, ...] = ()  # further matches not shown in a row (a report's 2nd figure)
    order: Literal["value", "year"] = "value"  # "year": one unit's reports, oldest first
    unit: str = ""  # the unit of a by-year comparison

    @property
    def found(self) -> bool:
        """Tell whether any report mentions the metric."""
        return any(r.figure is not None for r in self.rows) or bool(self.others)

    @property
    def valued(self) -> tuple[ComparisonRow, ...]:
        """Return the rows with a number, the extreme first."""
        return tuple(r for r in self.rows if r.status == "value")

    @property
    def missing(self) -> tuple[ReportInfo, ...]:
        """Return the reports that do not mention the metric."""
        return tuple(r.report for r in self.rows if r.status == "missing")


class FigureTable:
    """Every figure of a set of reports, with lookups by report and by metric."""

    def __init__(self, figures: Iterable[Figure], reports: Iterable[ReportInfo]) -> None:
        self.figures = tuple(figures)
        self.reports = tuple(reports)

    @classmethod
    def from_reports(cls, reports: Iterable[Report], store: Path | None = None) -> FigureTable:
        """Extract the figures of every report (see qa.figures for what counts); with
        ``store``, an unchanged report's are read from that file, which keeps them for the
        next table (``qa.figures.store``)."""
        reports = tuple(reports)
        infos = (ReportInfo(r.report_id, r.title, r.unit, r.year) for r in reports)
        if store is not None:
            return cls((f for figures in stored_figures(reports, store) for f in figures), infos)
        return cls((f for r in reports for f in extract_figures(r)), infos)

    def for_report(self, report_id: str) -> tuple[Figure, ...]:
        """Return one report's figures in document order."""
        return tuple(f for f in self.figures if f.report_id == report_id)

    def for_metric(self, phrase: str) -> tuple[Figure, ...]:
        """Return the figures whose metric matches a phrase (新发展党员 finds 发展党员)."""
        return tuple(f for f in self.figures if metric_matches(phrase, f.metric, f.metric_raw))

    def metrics(self, min_reports: int = 2) -> tuple[str, ...]:
        """Return the metrics found in at least min_reports reports, most widespread first."""
        seen: dict[str, set[str]] = {}
        for f in self.figures:
            if is_real_metric(f.metric):
                seen.setdefault(f.metric, set()).add(f.report_id)
        ranked = sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        return tuple(metric for metric, ids in ranked if len(ids) >= min_reports)

    def compare(self, phrase: str) -> Comparison:
        """Compare a metric across every report: one row per report, the extreme first."""
        asked = canonical_metric(phrase)
        matches = self.for_metric(phrase)
        if not matches:
            absent = tuple(ComparisonRow(r, None, "missing") for r in self.reports)
            return Comparison(phrase, asked, "", absent)
        ranked_class = _main_class(matches)
        chosen: dict[str, Figure] = {}
        fallback: dict[str, Figure] = {}
        for f in sorted(matches, key=lambda f: f.metric != asked):  # stable: document order
            same = measure_class(f.measure) == ranked_class
            (chosen if same else fallback).setdefault(f.report_id, f)
        rows = [_row(r, chosen.get(r.report_id), fallback.get(r.report_id)) for r in self.reports]
        shown = {id(row.figure) for row in rows}
        others = tuple(f for f in matches if id(f) not in shown)
        return Comparison(phrase, asked, ranked_class, tuple(sorted(rows, key=_row_key)), others)


def _row(report: ReportInfo, ranked: Figure | None, other: Figure | None) -> ComparisonRow:
    if ranked is not None:
        return ComparisonRow(report, ranked, "redacted" if ranked.redacted else "value")
    if other is not None:
        return ComparisonRow(report, other, "other")
    return ComparisonRow(report, None, "missing")


def _main_class(figures: Sequence[Figure]) -> str:
    # The measure class most reports use; ties go to the one seen first.
    reports: dict[str, set[str]] = {}
    for f in figures:
        reports.setdefault(measure_class(f.measure), set()).add(f.report_id)
    counts = Counter({cls: len(ids) for cls, ids in reports.items()})
    return max(reports, key=lambda cls: counts[cls])


def _row_key(row: ComparisonRow) -> tuple[int, float, int]:
    order = _STATUS_ORDER[row.status]
    if row.status != "value" or row.figure is None or row.figure.value is None:
        return (order, 0.0, 0)
    return (order, -row.figure.value, -_APPROX_RANK.get(row.figure.approx, 0))
