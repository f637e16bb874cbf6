"""Warm starts read no unchanged file: digests remembered by stat, keys without texts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa import load_reports
from qa.models import Deferred, Passage, Report, Section
from qa.reports import filestat, parsecache
from qa.reports.filestat import FileDigests
from qa.search.tokens import segment_key
from tests.search.test_tokenize import CountingTokenizer


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remember fingerprints however recent (the files here were all written just now)."""
    monkeypatch.setattr(filestat, "RACY_NS", -10**18)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the report files read from now on."""
    seen: list[str] = []
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        if self.suffix == ".txt":
            seen.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return seen


def _rewrite_keeping_size_and_mtime(path: Path, data: bytes) -> None:
    """Write same-size bytes in place and put mtime back, as a careless tool might."""
    before = path.stat()
    for _ in range(1000):  # ctime has the kernel clock's granularity: wait for it to move
        with path.open("r+b") as out:
            out.write(data)
        if path.stat().st_ctime_ns != before.st_ctime_ns:
            break
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def test_a_warm_load_reads_no_unchanged_file(seed_dir: Path, tmp_path: Path, trusting: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "parsed.reports"
    parsed = load_reports(seed_dir).reports
    load_reports(seed_dir, cache)
    reads = _reads(monkeypatch)
    assert load_reports(seed_dir, cache).reports == parsed
    assert reads == []


def test_a_rewrite_with_size_and_mtime_restored_is_still_seen(
    seed_dir: Path, tmp_path: Path, trusting: None
) -> None:
    # What this relies on: any write moves ctime, which os.utime cannot set back.
    cache = tmp_path / "parsed.reports"
    first = sorted(seed_dir.glob("*.txt"))[0]
    old = next(r for r in load_reports(seed_dir, cache).reports if r.report_id == first.stem)
    text = first.read_text(encoding="utf-8")
    at = text.rfind("党")  # in the body: the first line's title comes from the manifest
    changed = text[:at] + "们" + text[at + 1:]
    assert len(changed.encode()) == len(text.encode())
    _rewrite_keeping_size_and_mtime(first, changed.encode())
    report = next(r for r in load_reports(seed_dir, cache).reports if r.report_id == first.stem)
    assert report != old
    assert report == next(r for r in load_reports(seed_dir).reports if r.report_id == first.stem)


def test_recently_changed_files_are_not_trusted(seed_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filestat, "RACY_NS", 10**18)  # every change counts as recent
    cache = tmp_path / "parsed.reports"
    load_reports(seed_dir, cache)  # none remembered: a second write could share their stat
    reads = _reads(monkeypatch)
    load_reports(seed_dir, cache)
    assert len(reads) == len(list(seed_dir.glob("*.txt")))


def test_a_damaged_digest_file_only_means_reading_again(seed_dir: Path, tmp_path: Path,
                                                        trusting: None) -> None:
    cache = tmp_path / "parsed.reports"
    load_reports(seed_dir, cache)
    digests = cache.with_suffix(".files")
    assert digests.is_file()
    good = digests.read_bytes()
    for damage in (b"\x00", b"{}", b'{"format": 1, "files": {"a.txt": [1]}}', b"[]",
                   good[:-1], good + b"\0", good.replace(b'"digests": "', b'"digests": "0', 1)):
        digests.write_bytes(damage)
        assert FileDigests(digests).known("a.txt", (seed_dir / "reports.toml").stat()) is None
        assert load_reports(seed_dir, cache).reports == load_reports(seed_dir).reports


def test_digests_are_rewritten_only_when_something_changed(
        seed_dir: Path, tmp_path: Path, trusting: None) -> None:
    path = tmp_path / "digests.files"
    files = sorted(seed_dir.glob("*.txt"))
    first = FileDigests(path)
    for i, file in enumerate(files):
        assert first.known(file.name, file.stat()) is None
        first.remember(file.name, file.stat(), f"{i:032x}")
    first.save()
    again = FileDigests(path)
    expected = [f"{i:032x}" for i in range(len(files))]
    assert [again.known(f.name, f.stat()) for f in files] == expected
    os.utime(path, ns=(0, 0))
    again.save()  # every file seen, none changed: not written
    assert path.stat().st_mtime_ns == 0
    fewer = FileDigests(path)
    for file in files[1:]:
        assert fewer.known(file.name, file.stat()) is not None
    fewer.save()  # the first file is gone: forgotten
    assert FileDigests(path).known(files[0].name, files[0].stat()) is None
    assert FileDigests(path).known(files[1].name, files[1].stat()) == f"{1:032x}"
    assert FileDigests(path).known(files[1].name, (seed_dir / "reports.toml").stat()) is None


class _Unreadable:
    """A store whose bodies must not be read."""

    def sections(self, slot: int) -> tuple[Section, ...]:
        raise AssertionError("read a body to key it")

    def passages(self, slot: int) -> tuple[Passage, ...]:
        raise AssertionError("read a body to key it")

    def passage(self, slot: int, i: int) -> Passage:
        raise AssertionError("read a body to key it")


def test_segment_keys_come_from_stored_digests_without_reading_texts(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = CountingTokenizer().version
    deferred = Report("r", "t", None, Deferred(_Unreadable(), 0, "ww"), digest="abc")
    assert segment_key(deferred, version) != segment_key(
        Report("r", "t", None, deferred.body, digest="abd"), version)
    cache = tmp_path / "parsed.reports"
    fresh = {r.report_id: segment_key(r, version) for r in load_reports(seed_dir).reports}
    loaded = {r.report_id: r for r in load_reports(seed_dir, cache).reports}
    warm = {r.report_id: r for r in load_reports(seed_dir, cache).reports}
    # The stored digest is the texts' own: same keys as hashing the freshly parsed texts.
    assert {rid: segment_key(r, version) for rid, r in warm.items()} == fresh
    first, second = sorted(seed_dir.glob("*.txt"))[:2]
    first.write_text(first.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    manifest = (seed_dir / "reports.toml").read_text(encoding="utf-8")
    unit = f'unit = "{loaded[second.stem].unit}"'
    assert manifest.count(unit) == 1
    (seed_dir / "reports.toml").write_text(manifest.replace(unit, 'unit = "改过的单位"'),
                                         encoding="utf-8")
    after = {r.report_id: segment_key(r, version) for r in load_reports(seed_dir, cache).reports}
    # An edited report is re-tokenised; new metadata is not indexed text, so it is not.
    assert {rid for rid in fresh if fresh[rid] != after[rid]} == {first.stem}
    other = CountingTokenizer(lexicon=("新词语",)).version
    reports = load_reports(seed_dir, cache).reports
    assert all(segment_key(r, other) != after[r.report_id] for r in reports)
    # A parser change re-parses every file but keys unchanged texts as before.
    monkeypatch.setattr(parsecache, "parser_version", lambda: "another parser")
    reparsed = load_reports(seed_dir, cache).reports
    assert {r.report_id: segment_key(r, version) for r in reparsed} == after
