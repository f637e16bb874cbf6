"""A report's outline: the headings the parser finds, with depth and section kind."""

from __future__ import annotations

from .ingest import report_lines
from .sectionkind import genre_of
from .structure import OutlineHeading, outline_lines


def report_outline(report_id: str, text: str) -> tuple[OutlineHeading, ...]:
    """Return the headings of a report's text in reading order, as parsing reads them."""
    title, lines = report_lines(report_id, text)
    return outline_lines(lines, genre_of(title))
