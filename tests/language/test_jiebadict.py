"""The compact jieba dictionary against a plain reading of its lines, and its start-up cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.language import startcache
from qa.language.jiebadict import JiebaDictionary, dictionary_path, read_dictionary

LINES = """党员 3000 n
党 5000 n
党员大会 40 n
a 7 eng
ab 3 eng
中国 9000 ns
党员 3100 n
𠀀字 2 n
中华人民共和国 600 ns
""".encode()


def plain(data: bytes) -> dict[str, tuple[int, str]]:
    """word → (freq, tag) as jieba reads the file: a repeated word keeps its last line."""
    table = {}
    for line in data.decode().splitlines():
        word, freq, tag = line.split(" ")
        table[word] = (int(freq), tag)
    return table


def probes(words: list[str]) -> Iterator[str]:
    """Every word, every prefix of a word, and words no line has."""
    for word in words:
        yield from (word[:k] for k in range(len(word) + 1))
        yield word + "的"
    yield from ("", "z", "b", "党建", "中华人民", "中华人民共和国万岁", "𠀀", "𠀁")


def check(table: JiebaDictionary, data: bytes) -> None:
    expected = plain(data)
    assert dict(table.items()) == expected and len(table) == len(expected)
    assert list(table) == sorted(expected, key=str.encode)
    assert table.total == sum(int(line.split()[1]) for line in data.splitlines())
    for word in probes(list(expected)):
        longer = any(w != word and w.startswith(word) for w in expected)
        assert table.is_prefix(word) == (word != "" and longer), word
        freq = expected[word][0] if word in expected else (0 if word and longer else None)
        assert table.jieba_freq(word) == freq, word
        assert (word in table) == (word in expected), word


def test_lookups_read_the_lines_as_jieba_does() -> None:
    check(JiebaDictionary.parse(LINES), LINES)
    assert JiebaDictionary.parse(LINES)["党员"] == (3100, "n")  # the last of two lines


def test_the_cached_form_reads_back_the_same() -> None:
    table = JiebaDictionary.parse(LINES)
    check(JiebaDictionary.from_bytes(table.to_bytes()), LINES)
    with pytest.raises(ValueError):
        JiebaDictionary.from_bytes(table.to_bytes()[:-3])
    with pytest.raises(ValueError):
        JiebaDictionary.from_bytes(b'{"format": 0}\n')
    empty = JiebaDictionary.from_bytes(JiebaDictionary.parse(b"").to_bytes())
    assert len(empty) == 0 and "党" not in empty and empty.jieba_freq("党") is None


def test_jiebas_own_dictionary_is_read_through_the_start_up_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "dict.txt"
    source.write_bytes(dictionary_path().read_bytes())
    monkeypatch.setattr(startcache, "_cache_dir", tmp_path / "cache")
    try:
        first = read_dictionary(source)
        (cached,) = (tmp_path / "cache").glob("qa-jiebadict-*.bin")
        read_dictionary.cache_clear()
        again = read_dictionary(source)
        assert again is not first and dict(again.items()) == dict(first.items())
        assert again.total == first.total
        cached.write_bytes(b"damaged")
        read_dictionary.cache_clear()
        assert read_dictionary(source)["党员"] == first["党员"]  # parsed again
    finally:
        read_dictionary.cache_clear()
