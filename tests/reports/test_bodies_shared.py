"""A body read from the parsed cache shares its repeated strings and rebuilds the same passages."""

from __future__ import annotations

import json
from pathlib import Path

from qa.reports import load_reports
from qa.reports.bodies import Body
from qa.reports.parsecache import stored_body

ROOT = Path(__file__).resolve().parents[2]


def test_a_kept_body_shares_labels_headings_and_kinds() -> None:
    reports = load_reports(ROOT / "seeds").reports
    labelled = 0
    for report in reports:
        body = Body(json.loads(stored_body(report.key, report).body))
        assert body.passages() == report.passages
        assert [body.passage(i) for i in range(len(body))] == list(report.passages)
        built = body.passages()
        for passage in built:
            if passage.label and passage.section_path[-1] == passage.label:
                assert passage.section_path[-1] is passage.label
                labelled += 1
        for a, b in zip(built, built[1:], strict=False):
            assert a.kind != b.kind or a.kind is b.kind
            if a.section_path[:1] == b.section_path[:1] and a.section_path:
                assert a.section_path[0] is b.section_path[0]
    assert labelled > 20
