"""A body read from the parsed cache: its passages decode one at a time, share their repeated
strings and are the passages parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.reports import load_reports, parse_report
from qa.reports.bodies import SEPARATOR, Body, decode_body, encode_body
from qa.reports.parsecache import pack, stored_body, unpack

ROOT = Path(__file__).resolve().parents[2]


def test_a_kept_body_shares_labels_headings_and_kinds() -> None:
    reports = load_reports(ROOT / "seeds").reports
    labelled = 0
    for report in reports:
        body = Body(stored_body(report.key, report).body)
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


def test_a_passage_decodes_alone_from_its_row() -> None:
    report = load_reports(ROOT / "seeds").reports[0]
    packed = pack(report)
    packed[4][-1][3][-1] = ["the last row", "is not a passage"]
    body = Body(encode_body(packed))
    assert body.report_id == report.report_id and len(body) == len(report.passages)
    assert [body.passage(i) for i in range(len(body) - 1)] == list(report.passages[:-1])
    with pytest.raises(ValueError):
        body.passage(len(body) - 1)


def test_a_body_round_trips_any_text() -> None:
    # Control characters (the head's separator among them; the parser drops most, a stored
    # body must not depend on it), commas and brackets in a passage.
    report = parse_report("001_x", "一、情况\n第一段，含[括号]与\"引号\"，\t制表。\n第二段。\n")
    packed = pack(report)
    packed[4][-1][3][0][2] = "含\x1e分隔],[\n与\\u001e"
    stored = encode_body(packed)
    assert stored.count(SEPARATOR) == 1
    assert decode_body(stored) == packed
    assert Body(stored).passage(len(report.passages) - 2).text == "含\x1e分隔],[\n与\\u001e"
    assert unpack(decode_body(encode_body(pack(report))), None, report.key) == report


def test_a_report_without_passages_round_trips() -> None:
    packed = ["001_x", "标题", "", "", [[0, [], "preamble", []]]]
    body = Body(encode_body(packed))
    assert len(body) == 0 and body.passages() == () and decode_body(encode_body(packed)) == packed
