"""Reading files in several encodings, and parsing structure and section kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import EmptyCorpusError, ReportReadError, load_reports, parse_report
from qa.reports.clean import has_noise
from qa.reports.ingest import decode_bytes
from qa.reports.structure import classify_heading, split_heading, split_items

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEXT = "一、工作情况\n全年发展党员5名。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_decode_common_encodings(encoding: str) -> None:
    assert decode_bytes(TEXT.encode(encoding), "x.txt") == TEXT


def test_binary_file_is_named_in_the_error() -> None:
    with pytest.raises(ReportReadError, match="bad.txt"):
        decode_bytes(b"\x89PNG\x00\x01\x02", "bad.txt")


def test_latin_garbage_is_not_decoded_into_mojibake() -> None:
    with pytest.raises(ReportReadError):
        decode_bytes(bytes(range(0x80, 0xFF)) * 20, "garbage.txt")


def test_bad_file_is_skipped_and_others_load(corpus_dir: Path) -> None:
    (corpus_dir / "zz_broken.txt").write_bytes(b"\x00\x01\x02binary")
    (corpus_dir / "zz_empty.txt").write_text("\n\n", encoding="utf-8")
    corpus = load_reports(corpus_dir)
    assert [r.report_id for r in corpus.reports] == ["a_report", "b_report", "c_report"]
    assert {name for name, _ in corpus.skipped} == {"zz_broken.txt", "zz_empty.txt"}


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(EmptyCorpusError):
        load_reports(tmp_path / "nope")
    with pytest.raises(EmptyCorpusError):
        load_reports(tmp_path)


def test_manifest_title_wins_else_first_line_or_content(corpus_dir: Path) -> None:
    (corpus_dir / "reports.toml").write_text(
        '[reports.c_report]\ntitle = "丙单位总结"\nyear = "2023"\n', encoding="utf-8"
    )
    titles = {r.report_id: r.title for r in load_reports(corpus_dir).reports}
    assert titles == {
        "a_report": "某局2023年党建工作总结",
        "b_report": "某中心2023年党建工作报告",
        "c_report": "丙单位总结",
    }


def test_broken_manifest_is_named_and_the_reports_still_load(corpus_dir: Path) -> None:
    # Issue 21: one bad manifest line must not take every report away.
    (corpus_dir / "reports.toml").write_text("[reports\n", encoding="utf-8")
    corpus = load_reports(corpus_dir)
    assert corpus.reports
    ((name, why),) = [s for s in corpus.skipped if s[0] == "reports.toml"]
    assert "清单格式错误" in why and "已忽略清单" in why


def test_heading_with_body_is_split() -> None:
    head, body = split_heading(
        "（一）淬炼思想“铸魂补钙”，擦亮党员干部底色。一是政治机关建设常态化。"
    )
    assert head == "（一）淬炼思想“铸魂补钙”，擦亮党员干部底色"
    assert body == "一是政治机关建设常态化。"
    assert split_heading("1.支部亮品牌。持续开展。") == ("1.支部亮品牌", "持续开展。")
    assert split_heading("一、主要工作完成情况") == ("一、主要工作完成情况", "")


def test_inline_items_accept_a_jump_but_not_a_restart() -> None:
    lead, items = split_items("总体如下：一是甲。二是乙。三是丙。五是丁。")
    assert lead == "总体如下："
    assert [i[:2] for i in items] == ["一是", "二是", "三是", "五是"]
    assert split_items("没有列举的段落。")[1] == []


def test_nested_items_under_an_item_keep_their_parent() -> None:
    report = parse_report("r", "一、履职情况\n一是强基础。一是学习；二是建设；三是发展党员10名。\n")
    paths = [p.section_path for p in report.passages]
    assert paths[-1] == ("一、履职情况", "一是强基础", "三是发展党员10名")
    assert len(report.passages) == 3


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("二、问题整改情况", "rectification"),
        ("三、存在问题", "problems"),
        ("二、存在的问题不足及主要原因", "problems"),
        ("三、原因分析", "causes"),
        ("四、下步打算", "plans"),
        ("三、2023年党建工作主要任务", "plans"),
        ("二、亮点工作开展情况", "highlights"),
        ("一、履职情况", "work"),
        ("一、主要工作完成情况", "work"),
    ],
)
def test_heading_kinds(title: str, kind: str) -> None:
    assert classify_heading(title) == kind


def test_every_seed_has_one_problems_and_one_plans_section() -> None:
    corpus = load_reports(SEEDS)
    assert len(corpus.reports) == 5 and not corpus.skipped
    for report in corpus.reports:
        kinds = [s.kind for s in report.sections]
        assert kinds.count("problems") == 1, report.report_id
        assert kinds.count("plans") == 1, report.report_id
        for passage in report.passages:
            assert not has_noise(passage.text), passage.passage_id


def test_seed_outlines() -> None:
    reports = {r.report_id[:3]: r for r in load_reports(SEEDS).reports}
    expected = {
        "000": ["preamble", "work", "highlights", "problems", "plans"],
        "001": ["preamble", "work", "rectification", "problems", "plans"],
        "002": ["preamble", "work", "problems", "causes", "plans"],
        "003": ["work", "problems", "plans"],
        "004": ["preamble", "work", "problems", "plans"],
    }
    for prefix, kinds in expected.items():
        assert [s.kind for s in reports[prefix].sections] == kinds
    # 002's first line is its title, not a passage; its paid-content marker is gone.
    assert reports["002"].passages[0].text.startswith("今年以来")
    assert (
        reports["002"].sections[1].passages[4].section_path[1]
        == "（二）“标准化”抓管理，强化责任落实"
    )
    # 004's causes live inside its problems section, after "分析这些现象…".
    causes = [p for p in reports["004"].passages if p.kind == "causes"]
    assert causes[1].label == "一是思维转变还不彻底" and len(causes) == 6
    # 004 numbers its plans 一是, 二是, 三是, 五是 and still parses every item.
    plans = [p.label for p in reports["004"].passages if p.kind == "plans" and p.label]
    assert [label[:2] for label in plans] == ["一是", "二是", "三是", "五是"]


def test_bare_leaf_headings_are_passages_not_lost() -> None:
    text = (
        "一、存在问题\n（一）学习不够。\n（1）个别党员学习不主动。\n（2）学习形式单一。\n"
        "二、下一步打算\n1.加强学习。\n"
    )
    report = parse_report("r", text)
    assert [(p.kind, p.text) for p in report.passages] == [
        ("problems", "（1）个别党员学习不主动"),
        ("problems", "（2）学习形式单一"),
        ("plans", "1.加强学习"),
    ]
    assert report.passages[0].section_path == (
        "一、存在问题",
        "（一）学习不够",
        "（1）个别党员学习不主动",
    )
