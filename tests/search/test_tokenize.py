"""Tokenising a corpus (in worker processes when large) and where the caches live."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import Tokenizer, cache_dir
from qa.search.tokenize import tokenize_texts


class CountingTokenizer(Tokenizer):
    """A tokenizer that counts how many texts it tokenises (character bigrams, no jieba)."""

    def __init__(self, lexicon: tuple[str, ...] = ()) -> None:
        super().__init__(lexicon=lexicon)
        self.calls = 0

    def tokens(self, text: str) -> list[str]:
        self.calls += 1
        return [text[i : i + 2] for i in range(0, len(text) - 1, 2)]

    def tokens_after(self, head: str, text: str) -> list[str]:
        return self.tokens(f"{head} {text}")  # its contract: a passage's text is one call


def test_parallel_tokenising_yields_the_same_tokens_in_order() -> None:
    texts = [f"第{i}段：全年发展党员{i}名，开展主题党日活动。" for i in range(2_500)]
    tokenizer = Tokenizer(lexicon=())
    expected = [tokenizer.tokens(t) for t in texts]
    assert list(tokenize_texts(texts, tokenizer, workers=1)) == expected
    assert list(tokenize_texts(texts, tokenizer, workers=2, min_parallel=1_000)) == expected


def test_the_bot_keeps_every_cache_in_one_folder_beside_the_reports(
        corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.language import startcache as fastload
    from qa_bot.__main__ import load_engine
    from qa_bot.config import Settings

    monkeypatch.setattr(fastload, "_cache_dir", None)  # restored after the test
    load_engine(Settings(token="1:a", reports_dir=corpus_dir))
    folder = cache_dir(corpus_dir)
    names = sorted(p.name for p in folder.iterdir())
    # the segment index and the parsed reports
    assert "index" in names and "reports.parsed" in names
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
