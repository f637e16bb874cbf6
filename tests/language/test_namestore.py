"""Learned unit names come back from the start-up cache as they were learned, and only for the
same library."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from qa import QAEngine
from qa.language import load_language, startcache
from qa.language import unitnames as un


def learn(reports: tuple[object, ...]) -> un.UnitNames:
    """Learn as a fresh process would: nothing kept in memory from an earlier call."""
    un._CACHE.clear()
    un._LAST.clear()
    return un.library_names(reports, load_language().unit_aliases)  # type: ignore[arg-type]


def test_a_restart_reads_the_names_it_learned(seeds_engine: QAEngine, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    reports = seeds_engine.reports
    plain = learn(reports)  # no cache folder: learned, nothing written
    monkeypatch.setattr(startcache, "_cache_dir", tmp_path)
    assert list(tmp_path.iterdir()) == []
    learned = learn(reports)
    assert learned == plain and len(plain.names) > 5
    (stored,) = tmp_path.glob("qa-unitnames-*.json")

    def never(reports: object) -> object:
        raise AssertionError("learned again")

    with monkeypatch.context() as patch:
        patch.setattr(un, "_report_pairs", never)
        again = learn(reports)
    assert again == learned
    assert again.shared == learned.shared
    assert [again.find(p.text[:60]) for r in reports for p in r.passages[:3]] == \
        [learned.find(p.text[:60]) for r in reports for p in r.passages[:3]]

    # Another library (a report's unit changed) learns again and keeps only its own entry.
    changed = (dataclasses.replace(reports[0], unit="第九党支部"), *reports[1:])
    relearned = learn(changed)
    assert ("第九党支部",) in relearned.names.units and relearned != learned
    assert [p.name for p in tmp_path.iterdir()] != [stored.name]
    assert len(list(tmp_path.glob("qa-unitnames-*.json"))) == 1

    # A damaged entry is learned again.
    (entry,) = tmp_path.glob("qa-unitnames-*.json")
    entry.write_text("{", encoding="utf-8")
    assert learn(changed) == relearned
    assert entry.read_text(encoding="utf-8").startswith('{"format"')  # written anew


def test_threads_storing_the_same_names_write_one_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import threading

    from qa.language import namestore

    monkeypatch.setattr(startcache, "_cache_dir", tmp_path)
    names = [f"第{i}支部" for i in range(20000)]
    units = [(name,) for name in names]
    shared = {names[0]: (names[0], names[1])}
    threads = [threading.Thread(target=namestore.save_names, args=("k", names, units, shared))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "could not write cache" not in caplog.text
    stored = namestore.load_names("k")
    assert stored is not None
    assert stored.names.split("\n") == names and stored.shared == shared
    assert [stored.groups[i] for i in stored.which] == units
    assert len(list(tmp_path.iterdir())) == 1


def test_a_unit_with_an_undecodable_byte_is_learned_stored_and_found(
        seeds_engine: QAEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A title read with surrogateescape keeps the byte as a lone surrogate.
    odd = "第\udcb5党支部"
    reports = (dataclasses.replace(seeds_engine.reports[0], unit=odd), *seeds_engine.reports[1:])
    monkeypatch.setattr(startcache, "_cache_dir", tmp_path)
    learned = learn(reports)
    assert learned.find(f"{odd}发展党员")[0][0][1] == (odd,)
    again = learn(reports)  # read back from the store
    assert list(tmp_path.glob("qa-unitnames-*.json")) and again == learned
    assert again.find(f"{odd}发展党员") == learned.find(f"{odd}发展党员")
