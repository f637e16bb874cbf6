"""The parsed-report cache: same reports as parsing, used when valid, ignored when not."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from qa import load_reports
from qa.answer.compose import report_overview
from qa.language import report_years
from qa.models import KIND_CODES, Deferred, Passage, Report, Section
from qa.reports import PassageList, parsecache
from qa.reports.bodies import decode_body, encode_body
from qa.reports.parsecache import Footer, ParsedCache, unpack, write_entries

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "corpus"


def _stored(cache: Path) -> int:
    """Return how many entries the cache file holds."""
    opened = ParsedCache(cache)
    try:
        return len(opened.keys())
    finally:
        opened.close()


def _edit_first_entry(cache: Path, change: Callable[[bytes], bytes]) -> None:
    """Rewrite the cache with its first entry's stored body changed (footer kept as it was)."""
    opened = ParsedCache(cache)
    keys = sorted(opened.keys(), key=lambda k: opened._entries[k].offset)
    bodies = {k: opened.raw(k) or b"" for k in keys}
    reports = {k: opened.report(k, None) for k in keys}
    bodies[keys[0]] = change(bodies[keys[0]])

    class Edited(ParsedCache):
        def raw(self, key: str) -> bytes | None:
            return bodies[key]

    entries: list[tuple[str, Report]] = [(k, r) for k, r in reports.items() if r is not None]
    write_entries(cache, entries, Edited(cache))
    opened.close()


def _damage_first_body(cache: Path) -> None:
    """Overwrite the first stored body's bytes in place (a disk error, not a rewrite)."""
    opened = ParsedCache(cache)
    first = min(opened.keys(), key=lambda k: opened._entries[k].offset)
    entry = opened._entries[first]
    opened.close()
    data = bytearray(cache.read_bytes())
    data[entry.offset:entry.offset + entry.length] = b"[" + b" " * (entry.length - 2) + b"]"
    cache.write_bytes(bytes(data))


def _first_body(cache: Path) -> list[Any]:
    opened = ParsedCache(cache)
    first = min(opened.keys(), key=lambda k: opened._entries[k].offset)
    try:
        return decode_body(opened.raw(first) or b"")
    finally:
        opened.close()


def test_cached_reports_equal_parsed_ones(seed_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    parsed = load_reports(seed_dir).reports
    assert load_reports(seed_dir, cache).reports == parsed  # cold: parses, writes the cache
    assert _stored(cache) == len(parsed)
    assert load_reports(seed_dir, cache).reports == parsed  # warm: from the cache


def test_a_growing_cache_is_flushed_to_disk_as_it_is_written(
        seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A cold load writes the cache while workers parse: what is written goes to disk then,
    # not all in the fsync after the last file. The bytes are the same either way.
    plain = tmp_path / "plain.reports"
    load_reports(seed_dir, plain)
    flushed: list[int] = []
    monkeypatch.setattr(parsecache, "FLUSH_BYTES", 1)
    monkeypatch.setattr(parsecache.os, "fdatasync",
                        lambda fd: flushed.append(os.fstat(fd).st_size))
    cache = tmp_path / "flushed.reports"
    reports = load_reports(seed_dir, cache).reports
    assert len(flushed) == len(reports) and flushed == sorted(flushed) and flushed[0] > 0
    assert cache.read_bytes() == plain.read_bytes()


def test_the_cache_is_what_a_warm_load_reads(seed_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    load_reports(seed_dir, cache)

    def retext(entry: list[Any]) -> list[Any]:
        entry[4][-1][3][0][2] = "缓存中的文字"  # last section, first passage, its text
        return entry

    _edit_first_entry(cache, lambda raw: encode_body(retext(decode_body(raw))))
    texts = {p.text for r in load_reports(seed_dir, cache).reports for p in r.passages}
    assert "缓存中的文字" in texts


def test_an_edited_report_or_manifest_is_parsed_again(seed_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    before = {r.report_id: r for r in load_reports(seed_dir, cache).reports}
    first = sorted(seed_dir.glob("*.txt"))[0]
    added = "\n四、其他\n新增一段关于档案管理的内容。\n"
    first.write_text(first.read_text(encoding="utf-8") + added, encoding="utf-8")
    manifest = (seed_dir / "reports.toml").read_text(encoding="utf-8")
    second = sorted(seed_dir.glob("*.txt"))[1].stem
    title = before[second].title
    (seed_dir / "reports.toml").write_text(manifest.replace(title, "改过的标题"),
                                               encoding="utf-8")
    after = {r.report_id: r for r in load_reports(seed_dir, cache).reports}
    assert any("档案管理" in p.text for p in after[first.stem].passages)
    assert after[second].title == "改过的标题"
    assert after == {r.report_id: r for r in load_reports(seed_dir).reports}
    untouched = sorted(before)[2:]
    assert all(after[i] == before[i] for i in untouched)


def test_a_removed_report_leaves_the_cache(seed_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    load_reports(seed_dir, cache)
    sorted(seed_dir.glob("*.txt"))[0].unlink()
    assert len(load_reports(seed_dir, cache).reports) == _stored(cache) == 4


@pytest.mark.parametrize("damage", [b"\x00garbage", b"{}", b'{"parser": "old"}\nk\t[]\n',
                                    b"[1, 2]", b""])
def test_a_damaged_or_stale_cache_only_means_parsing_again(seed_dir: Path, tmp_path: Path,
                                                           damage: bytes) -> None:
    cache = tmp_path / "parsed.reports"
    cache.write_bytes(damage)
    assert load_reports(seed_dir, cache).reports == load_reports(seed_dir).reports
    assert _stored(cache) == 5  # rewritten, usable next time


def test_a_damaged_entry_is_parsed_again(seed_dir: Path, tmp_path: Path) -> None:
    # Bodies are read when first used, so damage found then means parsing that file again;
    # the entry itself is replaced when the cache is next rewritten (any file changing).
    cache = tmp_path / "parsed.reports"
    load_reports(seed_dir, cache)
    _edit_first_entry(cache, lambda raw: b'["only","three","fields"]')
    assert load_reports(seed_dir, cache).reports == load_reports(seed_dir).reports
    _damage_first_body(cache)
    assert load_reports(seed_dir, cache).reports == load_reports(seed_dir).reports
    sorted(seed_dir.glob("*.txt"))[-1].unlink()
    load_reports(seed_dir, cache)  # rewritten: the damaged body is packed afresh, not copied
    assert len(_first_body(cache)) == 5


@pytest.mark.parametrize("whole", [False, True])
def test_a_row_that_does_not_decode_means_parsing_that_file_again(
        seed_dir: Path, tmp_path: Path, whole: bool) -> None:
    # The crc32 matches (the row was written so): the head reads, the row fails when decoded.
    cache = tmp_path / "parsed.reports"
    fresh = load_reports(seed_dir).reports
    load_reports(seed_dir, cache)

    def unrowed(raw: bytes) -> bytes:
        packed = decode_body(raw)
        packed[4][0][3][0] = ["not", "a row"]
        return encode_body(packed)

    _edit_first_entry(cache, unrowed)
    loaded = load_reports(seed_dir, cache).reports
    first = min(loaded, key=lambda r: r.report_id)
    expected = next(r for r in fresh if r.report_id == first.report_id)
    if whole:
        assert first.passages == expected.passages
    else:
        assert first.passage(0) == expected.passages[0]
        assert first.passage(1) == expected.passages[1]


def test_a_body_is_unpacked_only_when_used(seed_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "parsed.reports"
    parsed = load_reports(seed_dir).reports
    load_reports(seed_dir, cache)
    warm = load_reports(seed_dir, cache).reports
    assert [r.size for r in warm] == [len(r.passages) for r in parsed]
    assert [r.kind_codes for r in warm] == [r.kind_codes for r in parsed]
    assert unpack(_first_body(cache), parsed[0].source_path, parsed[0].key) == parsed[0]


def test_passages_of_kinds_are_the_passages_filtered(seed_dir: Path, tmp_path: Path) -> None:
    # A deferred body builds only the rows of those kinds (few), or decodes the whole (most).
    cache = tmp_path / "parsed.reports"
    load_reports(seed_dir, cache)
    for reports in (load_reports(seed_dir, cache).reports, load_reports(seed_dir).reports):
        for report in reports:
            for kinds in (("problems",), ("plans", "rectification"), ("work", "preamble"), ()):
                assert report.passages_of(kinds) == tuple(
                    p for p in report.passages if p.kind in kinds)


def _parsed_and_cached(source: Path, cache: Path
                       ) -> tuple[list[Report], list[Report], ParsedCache]:
    """Return a folder's reports parsed, the same read back from a cache, and that cache."""
    parsed = load_reports(source).reports
    load_reports(source, cache)
    warm = load_reports(source, cache).reports
    opened = warm[0].body
    assert isinstance(opened, Deferred) and isinstance(opened.store, ParsedCache)
    return list(parsed), list(warm), opened.store


class _CountingStore:
    """A section store that counts the bodies read through it."""

    def __init__(self, cache: ParsedCache) -> None:
        self.cache, self.reads = cache, 0

    def sections(self, slot: int) -> tuple[Section, ...]:
        self.reads += 1
        return self.cache.sections(slot)

    def passages(self, slot: int) -> tuple[Passage, ...]:
        self.reads += 1
        return self.cache.passages(slot)

    def passage(self, slot: int, i: int) -> Passage:
        self.reads += 1
        return self.cache.passage(slot, i)

    def prefetch(self, slots: Sequence[int]) -> None:
        self.cache.prefetch(slots)

    def item_codes(self, slot: int) -> str:
        return self.cache.item_codes(slot)

    def covered(self, slot: int) -> str | None:
        return self.cache.covered(slot)


@pytest.mark.parametrize("folder", ["seeds", "corpus"])
def test_what_the_footer_knows_is_what_the_body_says(
        folder: str, seed_dir: Path, tmp_path: Path) -> None:
    # The footer's item counts rank 「谁家列的问题最多」 and its reviewed years scope
    # 「2022年度…」 without reading a body (41 s and 2.3 s at 10⁶ passages): each must be what
    # the report's overview of that kind lists and the year its opening reviews, on every seed
    # and real report.
    parsed, warm, opened = _parsed_and_cached(seed_dir if folder == "seeds" else CORPUS,
                                              tmp_path / "parsed.reports")
    store = _CountingStore(opened)  # the cache that handed the reports out
    deferred = [dataclasses.replace(r, body=dataclasses.replace(r.body, store=store))
                for r in warm if isinstance(r.body, Deferred)]
    assert len(deferred) == len(parsed)
    for report, fresh in zip(deferred, parsed, strict=True):
        assert report_years(report) == report_years(fresh), report.report_id
        for kind in KIND_CODES:
            overview = report_overview(fresh, kind)  # type: ignore[arg-type]
            assert report.item_count(kind) == fresh.item_count(kind) == (
                len(overview.items) if overview else 0), (report.report_id, kind)
    assert store.reads == 0
    assert any(r.item_count("problems") for r in parsed)
    # Real 政府工作报告 review the year before the one they are written in.
    assert any(w != c for w, c in map(report_years, parsed)) == (folder == "corpus")


def test_the_bodies_about_to_be_read_are_asked_of_the_kernel_once_each(
        seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "parsed.reports"
    load_reports(seed_dir, cache)
    reports = load_reports(seed_dir, cache).reports
    footer = ParsedCache(cache)._entries
    where = {footer.get(r.key).offset: r for r in reports}  # type: ignore[union-attr]
    reports[0].passage(0)  # its body is kept in memory now
    advised: list[tuple[int, int, int]] = []
    monkeypatch.setattr(os, "posix_fadvise", lambda fd, at, length, advice: advised.append(
        (at, length, advice)))
    passages = PassageList(reports)
    passages.prefetch(range(len(passages)))  # every passage: each report's body once
    assert [where[at] for at, _, _ in advised] == list(reports[1:])
    assert {advice for _, _, advice in advised} == {os.POSIX_FADV_WILLNEED}
    store = reports[0].body.store
    assert isinstance(store, ParsedCache)
    store.close()
    store.prefetch([1, 2])  # closed: nothing asked, nothing raised
    assert len(advised) == len(reports) - 1


def test_a_footer_whose_later_columns_do_not_fit_is_read_from_the_bodies(
        seed_dir: Path, tmp_path: Path) -> None:
    row = ("k", 0, 1, 0, "r", "t", "u", "2023", "w", "d")
    columns: list[list[Any]] = [[value] for value in row]
    assert Footer(columns, '[["2022"], ["w1"]]').later == (["2022"], ["w1"])
    for later in ("not json", '[["2022"], []]', '[["2022"], [1]]', '[["2022"]]'):
        assert Footer(columns, later).later is None, later
    # Worked out from the bodies instead (only a writer's bug can make such a footer: the
    # footer's crc32 vouches for its bytes).
    parsed, warm, opened = _parsed_and_cached(seed_dir, tmp_path / "parsed.reports")
    opened._entries.__dict__["later"] = None  # as the cached property had found
    for report, fresh in zip(warm, parsed, strict=True):
        assert report.item_codes == fresh.item_codes
        assert report_years(report) == report_years(fresh)
