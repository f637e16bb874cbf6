"""A start with nothing changed takes its reports from the start record; any change is seen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa import load_reports
from qa.reports import Corpus, filestat, startrecord
from qa.reports.startrecord import WarmStart, read_record


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record fingerprints however recent (the files here were all written just now)."""
    monkeypatch.setattr(filestat, "RACY_NS", -10**18)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Note, per load, whether the reports came from the record."""
    seen: list[bool] = []
    original = WarmStart.reports

    def noting(self: WarmStart, *args: object) -> object:
        got = original(self, *args)  # type: ignore[arg-type]
        seen.append(got is not None)
        return got

    monkeypatch.setattr(WarmStart, "reports", noting)
    return seen


def _same(a: Corpus, b: Corpus) -> None:
    assert a.reports == b.reports
    assert [r.key for r in a.reports] == [r.key for r in b.reports]
    assert [r.digest for r in a.reports] == [r.digest for r in b.reports]
    assert a.skipped == b.skipped


def _fresh(folder: Path) -> Corpus:
    """Load through a new, empty cache: a full load, reports deferred as any cached one."""
    cache = folder.parent / f"fresh{len(list(folder.parent.glob('fresh*')))}"
    cache.mkdir()
    return load_reports(folder, cache / "parsed.reports")


def _warm(folder: Path, cache: Path) -> Corpus:
    """Load twice: the first writes the caches and the record, the second uses them."""
    load_reports(folder, cache)
    return load_reports(folder, cache)


def test_an_unchanged_folder_loads_from_the_record(seed_dir: Path, tmp_path: Path,
                                                   trusting: None, recorded: list[bool]) -> None:
    (seed_dir / "空.txt").write_text("", encoding="utf-8")  # skipped, and named as skipped
    cache = tmp_path / "parsed.reports"
    full = _fresh(seed_dir)
    warm = _warm(seed_dir, cache)
    assert recorded == [False, False, True]
    _same(warm, full)
    assert any(name == "空.txt" for name, _ in warm.skipped)
    record = read_record(cache.with_suffix(".start"))
    assert record is not None and len(record.files) == len(full.reports)


def _edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n六、新增段落\n这是新加的一段正文。\n",
                    encoding="utf-8")


@pytest.mark.parametrize("change", ["edit", "add", "remove", "manifest", "touch"])
def test_every_change_is_seen(seed_dir: Path, tmp_path: Path, trusting: None,
                              recorded: list[bool], change: str) -> None:
    cache = tmp_path / "parsed.reports"
    _warm(seed_dir, cache)
    first = sorted(seed_dir.glob("*.txt"))[0]
    if change == "edit":
        _edit(first)
    elif change == "add":
        (seed_dir / "新报告.txt").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    elif change == "remove":
        first.unlink()
    elif change == "manifest":
        manifest = seed_dir / "reports.toml"
        manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        stat = first.stat()
        os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = load_reports(seed_dir, cache)
    assert recorded[-1] is False
    _same(after, _fresh(seed_dir))
    assert load_reports(seed_dir, cache).reports == after.reports
    assert recorded[-1] is True  # recorded again after the full load


def test_recent_changes_are_not_recorded(seed_dir: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch,
                                         recorded: list[bool]) -> None:
    monkeypatch.setattr(filestat, "RACY_NS", 10**18)  # every change counts as recent
    cache = tmp_path / "parsed.reports"
    warm = _warm(seed_dir, cache)
    assert recorded == [False, False]
    _same(warm, _fresh(seed_dir))
    assert not cache.with_suffix(".start").exists()


@pytest.mark.parametrize("damage", ["flip", "truncate", "cache gone"])
def test_a_damaged_record_or_cache_only_means_a_full_load(
        seed_dir: Path, tmp_path: Path, trusting: None, recorded: list[bool],
        damage: str) -> None:
    cache = tmp_path / "parsed.reports"
    full = _warm(seed_dir, cache)
    record = cache.with_suffix(".start")
    data = bytearray(record.read_bytes())
    if damage == "flip":
        data[-3] ^= 0x01  # a cache row: caught by the record's crc
        record.write_bytes(bytes(data))
    elif damage == "truncate":
        record.write_bytes(bytes(data[:-5]))
    else:
        cache.unlink()
    again = load_reports(seed_dir, cache)
    assert recorded[-1] is False
    _same(again, full)


def test_a_cache_rewritten_elsewhere_is_not_taken_for_the_recorded_one(
        seed_dir: Path, tmp_path: Path, trusting: None, recorded: list[bool]) -> None:
    cache = tmp_path / "parsed.reports"
    _warm(seed_dir, cache)
    kept = cache.with_suffix(".start").read_bytes()
    _edit(sorted(seed_dir.glob("*.txt"))[0])
    load_reports(seed_dir, cache)  # rewrites the cache and the record
    cache.with_suffix(".start").write_bytes(kept)  # an older record for another cache
    again = load_reports(seed_dir, cache)
    assert recorded[-1] is False
    _same(again, _fresh(seed_dir))


def test_inputs_digest_tells_names_manifest_and_extensions_apart() -> None:
    digest = startrecord.inputs_digest
    base = digest((".txt",), None, ["a.txt", "b.txt"])
    assert base == digest((".txt",), None, ["a.txt", "b.txt"])
    assert len({base, digest((".txt",), b"", ["a.txt", "b.txt"]),
                digest((".txt", ".docx"), None, ["a.txt", "b.txt"]),
                digest((".txt",), None, ["a.txtb.txt"]),
                digest((".txt",), None, ["a.txt", "b.txt", "b.docx"])}) == 5
