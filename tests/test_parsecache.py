"""The parsed-report cache: same reports as parsing, used when valid, ignored when not."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qa import load_reports
from qa.parsecache import ParsedCache

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _stored(cache: Path) -> int:
    """Return how many entries the cache file holds."""
    opened = ParsedCache(cache)
    try:
        return len(opened.keys())
    finally:
        opened.close()


def _edit_first_entry(cache: Path, change: Callable[[list[Any]], list[Any]]) -> None:
    header, first, *rest = cache.read_bytes().split(b"\n")
    key, _, body = first.partition(b"\t")
    edited = json.dumps(change(json.loads(body)), ensure_ascii=False).encode()
    cache.write_bytes(b"\n".join([header, key + b"\t" + edited, *rest]))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the seeds (reports and manifest) that a test may change."""
    target = tmp_path / "reports"
    target.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, target / path.name)
    shutil.copy(SEEDS / "reports.toml", target / "reports.toml")
    return target


def test_cached_reports_equal_parsed_ones(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    parsed = load_reports(folder).reports
    assert load_reports(folder, cache).reports == parsed  # cold: parses, writes the cache
    assert _stored(cache) == len(parsed)
    assert load_reports(folder, cache).reports == parsed  # warm: from the cache


def test_the_cache_is_what_a_warm_load_reads(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    load_reports(folder, cache)

    def retext(entry: list[Any]) -> list[Any]:
        entry[4][-1][3][0][2] = "缓存中的文字"  # last section, first passage, its text
        return entry

    _edit_first_entry(cache, retext)
    texts = {p.text for r in load_reports(folder, cache).reports for p in r.passages}
    assert "缓存中的文字" in texts


def test_an_edited_report_or_manifest_is_parsed_again(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    before = {r.report_id: r for r in load_reports(folder, cache).reports}
    first = sorted(folder.glob("*.txt"))[0]
    added = "\n四、其他\n新增一段关于档案管理的内容。\n"
    first.write_text(first.read_text(encoding="utf-8") + added, encoding="utf-8")
    manifest = (folder / "reports.toml").read_text(encoding="utf-8")
    second = sorted(folder.glob("*.txt"))[1].stem
    title = before[second].title
    (folder / "reports.toml").write_text(manifest.replace(title, "改过的标题"), encoding="utf-8")
    after = {r.report_id: r for r in load_reports(folder, cache).reports}
    assert any("档案管理" in p.text for p in after[first.stem].passages)
    assert after[second].title == "改过的标题"
    assert after == {r.report_id: r for r in load_reports(folder).reports}
    untouched = sorted(before)[2:]
    assert all(after[i] == before[i] for i in untouched)


def test_a_removed_report_leaves_the_cache(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    load_reports(folder, cache)
    sorted(folder.glob("*.txt"))[0].unlink()
    assert len(load_reports(folder, cache).reports) == _stored(cache) == 4


@pytest.mark.parametrize("damage", [b"\x00garbage", b"{}", b'{"parser": "old"}\nk\t[]\n',
                                    b"[1, 2]", b""])
def test_a_damaged_or_stale_cache_only_means_parsing_again(folder: Path, tmp_path: Path,
                                                           damage: bytes) -> None:
    cache = tmp_path / "parsed.reports"
    cache.write_bytes(damage)
    assert load_reports(folder, cache).reports == load_reports(folder).reports
    assert _stored(cache) == 5  # rewritten, usable next time


def test_a_damaged_entry_is_parsed_again_and_replaced(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    load_reports(folder, cache)
    _edit_first_entry(cache, lambda entry: ["only", "three", "fields"])
    assert load_reports(folder, cache).reports == load_reports(folder).reports
    _edit_first_entry(cache, lambda entry: entry if len(entry) == 5 else pytest.fail("kept"))
