"""Token cache: hits skip tokenising; edits, lexicon changes and damage re-tokenise safely."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa import QAEngine, Tokenizer
from qa.search.tokencache import MAGIC, cached_token_table, read_cache


class CountingTokenizer(Tokenizer):
    """A segmenter that counts how many texts it tokenises (character bigrams, no jieba)."""

    def __init__(self, lexicon: tuple[str, ...] = ()) -> None:
        super().__init__(lexicon=lexicon)
        self.calls = 0

    def tokens(self, text: str) -> list[str]:
        self.calls += 1
        return [text[i : i + 2] for i in range(0, len(text) - 1, 2)]


def build(folder: Path, cache: Path, segmenter: CountingTokenizer) -> QAEngine:
    segmenter.calls = 0
    return QAEngine.from_directory(folder, segmenter=segmenter, cache_path=cache)


def same_index(a: QAEngine, b: QAEngine) -> bool:
    query = list(a.index.vocabulary)[:50]
    return a.index.vocabulary.keys() == b.index.vocabulary.keys() and np.array_equal(
        a.index.scores(query), b.index.scores(query)
    )


def test_second_start_tokenises_nothing(corpus_dir: Path, tmp_path: Path) -> None:
    seg, cache = CountingTokenizer(), tmp_path / "tokens.bin"
    first = build(corpus_dir, cache, seg)
    assert seg.calls == len(first.passages) and cache.is_file()
    second = build(corpus_dir, cache, seg)
    assert seg.calls == 0
    assert same_index(first, second)


def test_changed_report_re_tokenises_only_that_report(corpus_dir: Path, tmp_path: Path) -> None:
    seg, cache = CountingTokenizer(), tmp_path / "tokens.bin"
    build(corpus_dir, cache, seg)
    path = corpus_dir / "a_report.txt"
    path.write_text(path.read_text(encoding="utf-8") + "四、其他\n新增一段关于党费收缴的说明。\n",
                    encoding="utf-8")
    engine = build(corpus_dir, cache, seg)
    changed = [p for p in engine.passages if p.report_id == "a_report"]
    assert seg.calls == len(changed) < len(engine.passages)
    assert same_index(engine, QAEngine.from_directory(corpus_dir, segmenter=seg))
    assert build(corpus_dir, cache, seg) and seg.calls == 0


def test_removed_report_is_dropped_from_the_cache(corpus_dir: Path, tmp_path: Path) -> None:
    seg, cache = CountingTokenizer(), tmp_path / "tokens.bin"
    build(corpus_dir, cache, seg)
    (corpus_dir / "c_report.txt").unlink()
    build(corpus_dir, cache, seg)
    contents = read_cache(cache)
    assert seg.calls == 0 and contents is not None
    assert set(contents.reports) == {"a_report", "b_report"}


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: b"not a cache at all",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-5] + bytes(b ^ 0xFF for b in data[-5:]),
        lambda data: MAGIC + b"\x00" * 40,
    ],
)
def test_damaged_cache_is_ignored_and_rebuilt(
    corpus_dir: Path, tmp_path: Path, damage: object
) -> None:
    seg, cache = CountingTokenizer(), tmp_path / "tokens.bin"
    first = build(corpus_dir, cache, seg)
    cache.write_bytes(damage(cache.read_bytes()))  # type: ignore[operator]
    engine = build(corpus_dir, cache, seg)
    assert seg.calls == len(engine.passages)
    assert same_index(first, engine)
    assert read_cache(cache) is not None


def test_lexicon_change_invalidates_everything(corpus_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "tokens.bin"
    old, new = CountingTokenizer(), CountingTokenizer(lexicon=("党建联盟",))
    assert old.version != new.version
    build(corpus_dir, cache, old)
    engine = build(corpus_dir, cache, new)
    assert new.calls == len(engine.passages)


def test_unwritable_cache_is_not_fatal(corpus_dir: Path, tmp_path: Path) -> None:
    seg = CountingTokenizer()
    engine = build(corpus_dir, tmp_path / "missing-dir" / "tokens.bin", seg)
    assert seg.calls == len(engine.passages) and engine.index.size == len(engine.passages)


def test_token_table_matches_direct_tokenising(tmp_path: Path) -> None:
    seg = CountingTokenizer()
    reports = [("r1", ["党建工作总结", "存在问题"]), ("r2", ["下步计划"])]
    table = cached_token_table(reports, seg, tmp_path / "t.bin")
    again = cached_token_table(reports, seg, tmp_path / "t.bin")
    expected = [seg.tokens(t) for _, texts in reports for t in texts]
    assert list(table) == list(again) == expected


def test_chain_reads_parts_as_one_sequence() -> None:
    from qa.search.tokencache import _Chain

    parts: list[list[str]] = [["a", "b"], [], ["c"], ["d", "e", "f"]]
    chain = _Chain(parts)  # type: ignore[arg-type]
    flat = ["a", "b", "c", "d", "e", "f"]
    assert len(chain) == 6 and list(chain) == flat
    assert [chain[i] for i in range(6)] == flat and chain[-1] == "f"
    for start in range(7):
        for stop in range(start, 8):
            assert chain[start:stop] == flat[start:stop]


def test_the_bot_keeps_every_cache_in_one_folder_beside_the_reports(
        corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.language import startcache as fastload
    from qa.search.tokencache import default_cache_dir
    from qa_bot.__main__ import load_engine
    from qa_bot.config import Settings

    monkeypatch.setattr(fastload, "_cache_dir", None)  # restored after the test
    load_engine(Settings(token="1:a", reports_dir=corpus_dir))
    folder = default_cache_dir(corpus_dir)
    names = sorted(p.name for p in folder.iterdir())
    # the segment index (which replaces the token cache) and the parsed reports
    assert "index" in names and "tokens.reports" in names
    # jieba's dictionary cache goes there too (written whenever this process builds it).
    assert fastload.cache_dir() == folder
    assert not [n for n in names if n.endswith(".tmp")]  # the atomic writer left nothing


def test_the_cache_writer_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    from qa.fsio import write_cache_with

    target = tmp_path / "c" / "cache.bin"
    assert write_cache_with(target, lambda out: out.write(b"old"))

    def broken(out: object) -> None:
        raise OSError("disk full")

    assert not write_cache_with(target, broken)
    assert target.read_bytes() == b"old" and sorted(p.name for p in target.parent.iterdir()) == [
        "cache.bin"]


def test_start_up_caches_are_written_only_where_a_front_end_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.language import startcache as fastload

    source = tmp_path / "table.txt"
    source.write_text("發黨", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()

    def compute() -> frozenset[str]:
        return frozenset(source.read_text(encoding="utf-8"))

    monkeypatch.setattr(fastload, "_cache_dir", None)
    assert fastload.load_char_set(source, compute) == {"發", "黨"}  # no folder given: nothing
    assert fastload.cache_dir() is None and sorted(tmp_path.iterdir()) == [out, source]
    fastload.use_cache_dir(out)
    assert fastload.load_char_set(source, compute) == {"發", "黨"}
    assert [p.name[:9] for p in out.iterdir()] == ["qa-chars-"]
