"""A unit named by what it did: "搞七个铁腕整治那家" scopes a question to one report.

A descriptive phrase names a report when one report holds far more of the phrase's
information than any other. The rule is general: the best report's coverage of the phrase
(``retrieve.coverage``) against the next best report's; nothing here lists units or deeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .retrieve import Scored

# The next report must hold less than this share of the best one's coverage for the phrase
# to name the best report alone; above it, both fit and the answer says which it chose.
DECISIVE_SHARE = 0.7


@dataclass(frozen=True, slots=True)
class DeedChoice:
    """The report a descriptive phrase picks, and whether another report fits it as well."""

    report_id: str
    rival: str = ""  # the other report that fits nearly as well ("" when the choice is clear)


def choose_report(rows: Sequence[Scored]) -> DeedChoice | None:
    """Return the report a phrase fits best (rows: each report's best passage, best first)."""
    fitting = [r for r in rows if r.answers]
    if not fitting:
        return None
    best = max(fitting, key=lambda r: r.coverage)
    others = [r for r in fitting if r is not best]
    rival = max(others, key=lambda r: r.coverage, default=None)
    if rival is None or rival.coverage < DECISIVE_SHARE * best.coverage:
        return DeedChoice(best.hit.passage.report_id)
    return DeedChoice(best.hit.passage.report_id, rival.hit.passage.report_id)
