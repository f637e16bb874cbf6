"""A cold load on two cores (qa.library.coldload) writes the very caches one process writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa import Tokenizer
from qa.library import coldload, load_indexed
from qa.reports import ingest, load_reports
from qa.search import ondisk
from qa.search.ondisk import MANIFEST
from qa.search.segments import ARRAYS, TERMS_FILE
from tests.search.test_tokenize import CountingTokenizer

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def library(folder: Path) -> Path:
    """Write 20 reports (the seeds, each four times with its figures changed) and two bad files."""
    folder.mkdir()
    for n, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = seed.read_text(encoding="utf-8")
        for copy in range(4):
            changed = text.replace("1", str(copy + 2)) if copy else text
            (folder / f"r{n}{copy}.txt").write_text(changed, encoding="utf-8")
    (folder / "r25_empty.txt").write_text("\n", encoding="utf-8")
    (folder / "r26_binary.txt").write_bytes(b"\x00\x01binary")
    return folder


def segment_files(index_dir: Path) -> list[dict[str, bytes]]:
    """Return each segment's files, in the manifest's order (names aside: they are times)."""
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    return [{name: (index_dir / s["name"] / name).read_bytes()
             for name in (TERMS_FILE, *(f"{a}.npy" for a in ARRAYS))}
            for s in manifest["segments"]]


def load(folder: Path, cache: Path, workers: int, chunk_bytes: int = 1) -> tuple[object, ...]:
    corpus, index = load_indexed(folder, cache / "reports.parsed", None, Tokenizer(lexicon=()),
                                 cache / "index", workers=workers, min_bytes=0,
                                 chunk_bytes=chunk_bytes)
    return corpus.reports, corpus.skipped, index.size


@pytest.mark.parametrize("chunk_bytes", [1, 20_000])
def test_two_workers_write_what_one_process_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_bytes: int) -> None:
    # Batches of ≥ 300 passages (two segments), so chunks of files straddle their edge.
    monkeypatch.setattr(ondisk, "BATCH_PASSAGES", 300)
    folder = library(tmp_path / "reports")
    one = load(folder, tmp_path / "one", workers=1)
    two = load(folder, tmp_path / "two", workers=2, chunk_bytes=chunk_bytes)
    assert one == two and len(one[0]) == 20  # type: ignore[arg-type]
    assert [name for name, _ in one[1]] == ["r25_empty.txt", "r26_binary.txt"]  # type: ignore[union-attr]
    assert len(segment_files(tmp_path / "one" / "index")) >= 2
    assert segment_files(tmp_path / "one" / "index") == segment_files(tmp_path / "two" / "index")
    parsed = [(tmp_path / side / "reports.parsed").read_bytes() for side in ("one", "two")]
    assert parsed[0] == parsed[1]
    assert load_reports(folder, tmp_path / "two" / "reports.parsed").reports == one[0]


def test_a_restart_after_a_parallel_load_parses_and_tokenises_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = library(tmp_path / "reports")
    first = load(folder, tmp_path / "cache", workers=2)
    before = segment_files(tmp_path / "cache" / "index")

    def refuse(*_: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(coldload, "parse_pending", refuse)
    counting = CountingTokenizer()
    parsed = (tmp_path / "cache" / "reports.parsed").stat()
    corpus, index = load_indexed(folder, tmp_path / "cache" / "reports.parsed", None, counting,
                                 tmp_path / "cache" / "index", workers=2)
    assert (corpus.reports, corpus.skipped, index.size) == first and counting.calls == 0
    assert segment_files(tmp_path / "cache" / "index") == before
    # The two bad files are read again (as ever), but nothing is rewritten for them.
    assert (tmp_path / "cache" / "reports.parsed").stat().st_ino == parsed.st_ino


def test_one_changed_file_is_parsed_again_and_the_rest_kept(tmp_path: Path) -> None:
    folder = library(tmp_path / "reports")
    load(folder, tmp_path / "cache", workers=2)
    (folder / "r31.txt").write_text("第一党支部工作总结\n一、基本情况\n全年发展党员九名。\n",
                                    encoding="utf-8")
    again = load(folder, tmp_path / "cache", workers=2)
    fresh = load(folder, tmp_path / "fresh", workers=1)
    assert again == fresh


@pytest.mark.parametrize("written_before_failing", [0, 5])
def test_a_cache_that_cannot_be_written_still_loads_every_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written_before_failing: int) -> None:
    folder = library(tmp_path / "reports")

    def fail(path: Path, entries: Iterator[object], old: object = None) -> bool:
        # A full disk part-way: some bodies were handed to the writer, then it gave up.
        for _ in range(written_before_failing):
            next(entries)
        return False

    monkeypatch.setattr(ingest, "write_entries", fail)
    reports, skipped, _ = load(folder, tmp_path / "cache", workers=2)
    plain = load_reports(folder)
    assert reports == plain.reports and skipped == plain.skipped
    assert not (tmp_path / "cache" / "reports.parsed").exists()
