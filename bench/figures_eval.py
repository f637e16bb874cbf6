"""Score the figure extractor (qa.figures) against a hand-written gold file.

    .venv/bin/python bench/figures_eval.py [--gold bench/figures_gold.jsonl] [--reports seeds] [-v]

The gold file lists, by reading the reports, *every* figure in them (so precision means something):
one JSON object per line, ``{"report": "000", "metric": "发展党员", "value": 20, "measure": "人",
"approx": "", "redacted": false, "quote": "全年发展党员20人"}``. ``value`` is null for a redacted
figure (``**名``, ``x次``, ``X余册``); ``quote`` is the place in the report, which must contain it.

An extracted figure matches a gold entry when all of these hold:

1. its report id starts with the gold ``report``;
2. its measure word equals the gold ``measure`` (人次 never matches 人);
3. its value equals the gold ``value`` — both null when redacted (a redacted figure read as a
   number never matches, and is counted apart);
4. its approximation mark (余/多/近/约/超过 or "") equals the gold ``approx``;
5. the gold ``metric`` finds it by the rule ``FigureTable.for_metric`` uses
   (``qa.metricnames.metric_matches``): the phrase a user would ask for reaches this figure.

Pairs are made one to one, in gold order, each gold entry taking the first unmatched extracted
figure that matches. precision = matched / extracted, recall = matched / gold.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.figures.extract import Figure
from qa.figures.metricnames import metric_matches
from qa.figures.table import FigureTable
from qa.reports.ingest import load_reports

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Score:
    gold: int
    extracted: int
    matched: int
    redacted_as_numbers: int
    unmatched_gold: list[dict[str, Any]]
    unmatched_extracted: list[Figure]

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0


def read_gold(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                sys.exit(f"{path.name} 第 {number} 行不是 JSON：{exc}")
    return rows


def matches(gold: dict[str, Any], fig: Figure) -> bool:
    value = gold["value"]
    return (
        fig.report_id.startswith(gold["report"])
        and fig.measure == gold["measure"]
        and (fig.value is None if value is None else fig.value == float(value))
        and fig.approx == gold.get("approx", "")
        and metric_matches(gold["metric"], fig.metric, fig.metric_raw)
    )


def score(gold: list[dict[str, Any]], figures: tuple[Figure, ...]) -> Score:
    free = list(figures)
    missed = []
    for entry in gold:
        hit = next((f for f in free if matches(entry, f)), None)
        if hit is None:
            missed.append(entry)
        else:
            free.remove(hit)
    markers = ("*", "＊", "x", "X", "×")
    as_numbers = sum(1 for f in figures if f.value is not None and f.text.startswith(markers))
    matched = len(gold) - len(missed)
    return Score(len(gold), len(figures), matched, as_numbers, missed, free)


def check_quotes(gold: list[dict[str, Any]], texts: dict[str, str]) -> list[str]:
    """Name the gold entries whose quote is not in their report (a typo in the gold)."""
    bad = []
    for entry in gold:
        text = next((t for rid, t in texts.items() if rid.startswith(entry["report"])), "")
        if entry.get("quote") and entry["quote"] not in text:
            bad.append(f"{entry['report']} {entry['quote']}")
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "bench" / "figures_gold.jsonl")
    parser.add_argument("--reports", type=Path, default=ROOT / "seeds")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = parser.parse_args()
    reports = load_reports(args.reports).reports
    gold = read_gold(args.gold)
    bad = check_quotes(gold, {r.report_id: "\n".join(p.text for p in r.passages) for r in reports})
    for line in bad:
        print("gold quote not found in report:", line)
    result = score(gold, FigureTable.from_reports(reports).figures)
    if args.verbose:
        for entry in result.unmatched_gold:
            print("  missed   ", json.dumps(entry, ensure_ascii=False))
        for fig in result.unmatched_extracted:
            print("  spurious ", fig.report_id[:3], fig.text, fig.metric_raw, "|", fig.sentence)
    print(f"gold {result.gold}  extracted {result.extracted}  matched {result.matched}")
    print(f"precision {result.precision:.3f}  recall {result.recall:.3f}")
    print(f"redacted figures read as numbers: {result.redacted_as_numbers}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
