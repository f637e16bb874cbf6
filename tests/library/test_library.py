"""The reports folder as a store: add, replace, remove, list; the loader sees each state."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from qa.documents.convert import convert_file
from qa.errors import UnknownReportError
from qa.library.folder import Library
from qa.library.preview import Preview, apply_corrections, build_preview
from qa.reports.ingest import load_reports
from tests.uploads import make_docx

ROOT = Path(__file__).resolve().parents[2]
WHEN = datetime(2024, 6, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))

REPORT = """第三党支部2024年党建工作总结
一、主要工作情况
（一）抓好理论学习。全年组织集中学习12次。
二、存在问题
一是学习不够深入。二是活动形式单一。
三、下一步工作计划
（一）强化理论武装。持续开展读书班。
"""


def preview_of(text: str = REPORT, name: str = "第三党支部总结.txt") -> Preview:
    return build_preview(convert_file(text.encode("gbk"), name))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the seeds (hand-written manifest with comments) to change."""
    target = tmp_path / "reports"
    shutil.copytree(ROOT / "seeds", target)
    return target


def loaded(folder: Path) -> dict[str, tuple[str, str, str]]:
    return {r.report_id: (r.title, r.unit, r.year) for r in load_reports(folder).reports}


def test_add_writes_text_original_and_audited_entry(folder: Path) -> None:
    before = loaded(folder)
    library = Library(folder)
    data = make_docx([("Normal", None, line) for line in REPORT.splitlines()])
    preview = build_preview(convert_file(data, "第三党支部.docx"))
    corrected = apply_corrections(preview, "标题：第三党支部2024年工作总结")
    entry = library.add(corrected, "42", now=WHEN)
    assert entry.report_id.startswith("005_")
    meta = ("第三党支部2024年工作总结", "第三党支部", "2024")
    assert (entry.title, entry.unit, entry.year) == meta
    assert (entry.added_by, entry.added_at) == ("42", "2024-06-01T09:30:00+08:00")
    assert (folder / entry.original).read_bytes() == data
    assert entry.original == f"originals/{entry.report_id}.docx" and entry.passages == 4
    after = loaded(folder)
    assert after == before | {entry.report_id: ("第三党支部2024年工作总结", "第三党支部", "2024")}
    manifest = (folder / "reports.toml").read_text("utf-8")
    assert manifest.startswith("# Report metadata shown to users.")  # hand-written part kept
    assert library.entries()[-1] == entry
    assert library.read(entry.report_id).passages[0].report_title == "第三党支部2024年工作总结"


def test_replace_same_unit_and_year_keeps_the_old_files_in_removed(folder: Path) -> None:
    library = Library(folder)
    first = library.add(preview_of(), "42", now=WHEN)
    assert [e.report_id for e in library.find_same("第三党支部", "2024年")] == [first.report_id]
    second = library.add(preview_of(REPORT + "补充一段。\n"), "43", replace=first.report_id)
    ids = set(loaded(folder))
    assert second.report_id in ids and first.report_id not in ids
    removed = sorted(p.name for p in (folder / "removed").iterdir())
    assert [n.split(".", 2)[2] for n in removed] == ["original.txt", "toml", "txt"]
    record = next((folder / "removed").glob("*.toml")).read_text("utf-8")
    assert f'reason = "被 {second.report_id} 替换"' in record and 'removed_by = "43"' in record
    manifest = (folder / "reports.toml").read_text("utf-8")
    assert first.report_id not in manifest and "replaces" not in manifest


def test_remove_moves_files_and_drops_the_entry_nothing_deleted(folder: Path) -> None:
    library = Library(folder)
    gone = library.remove("000_bbf0c16ce2b44802", "42", now=WHEN)
    assert gone.unit == "县直机关工委"
    assert "000_bbf0c16ce2b44802" not in loaded(folder)
    assert "000_bbf0c16ce2b44802" not in (folder / "reports.toml").read_text("utf-8")
    moved = folder / "removed" / "000_bbf0c16ce2b44802.20240601T093000000000.txt"
    assert moved.read_bytes() == (ROOT / "seeds" / "000_bbf0c16ce2b44802.txt").read_bytes()
    with pytest.raises(UnknownReportError):
        library.remove("000_bbf0c16ce2b44802", "42")
    assert library.add(preview_of(), "42").report_id.startswith("005_")


def test_ids_are_never_reused_after_a_removal(folder: Path) -> None:
    library = Library(folder)
    first = library.add(preview_of(), "42")
    library.remove(first.report_id, "42")
    assert library.add(preview_of(), "42").report_id.startswith("006_")


def test_entries_include_hand_placed_files_without_audit(folder: Path) -> None:
    (folder / "zz_dropped.txt").write_text(REPORT, encoding="utf-8")
    entries = Library(folder).entries()
    assert [e.report_id for e in entries][-1] == "zz_dropped"
    assert entries[-1].added_by == "" and entries[0].unit == "县直机关工委"


def test_a_half_done_replace_loads_as_the_new_state_and_recovers(folder: Path) -> None:
    library = Library(folder)
    old = library.add(preview_of(), "42")
    # What a crash right after the commit rename leaves: new entry + text, old still there.
    new_id = "009_feedface"
    manifest = folder / "reports.toml"
    manifest.write_text(
        manifest.read_text("utf-8") + f'\n[reports.{new_id}]\ntitle = "新"\nunit = "第三党支部"\n'
        f'year = "2024"\nadded_at = "x"\nreplaces = "{old.report_id}"\n',
        encoding="utf-8",
    )
    (folder / f"{new_id}.txt").write_text(REPORT, encoding="utf-8")
    assert new_id in loaded(folder) and old.report_id not in loaded(folder)
    library.recover()
    assert not (folder / f"{old.report_id}.txt").exists()
    assert "replaces" not in manifest.read_text("utf-8")
