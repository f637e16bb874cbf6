"""The library words' sounds come back from the start-up cache: a restart or an upload asks
pypinyin only for the words it has not seen, and builds the very table it would have built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa import QAEngine
from qa.language import Homophones, homophones, startcache


def build(words: list[str]) -> Homophones:
    found = Homophones(lambda: words, lambda w: 1, set().__contains__)
    found.load()
    return found


def tables(found: Homophones) -> tuple[object, object]:
    return found._by_sound, found._by_initials


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    real = homophones.sound
    monkeypatch.setattr(homophones, "sound", lambda word: (asked.append(word), real(word))[1])
    return asked


def test_a_rebuilt_table_asks_only_for_new_words(seeds_engine: QAEngine, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    words = list(seeds_engine.index.vocabulary)
    monkeypatch.setattr(startcache, "_cache_dir", None)  # as set by no earlier test
    fresh = tables(build(words))  # no cache folder: every word asked, nothing written
    monkeypatch.setattr(startcache, "_cache_dir", tmp_path)
    asked = counting(monkeypatch)
    assert tables(build(words)) == fresh and len(asked) > 1000
    (entry,) = tmp_path.glob("qa-sounds-*.json")

    asked.clear()
    assert tables(build(words)) == fresh and asked == []  # a restart

    # An upload: two new words (one placed first), one gone; the order is the vocabulary's.
    changed = ["菠萝蜜饯", *words[1:], "鸵鸟羽毛"]
    monkeypatch.undo()
    monkeypatch.setattr(startcache, "_cache_dir", None)
    expected = tables(build(changed))
    monkeypatch.setattr(startcache, "_cache_dir", tmp_path)
    asked = counting(monkeypatch)
    assert tables(build(changed)) == expected
    assert sorted(asked) == sorted(["菠萝蜜饯", "鸵鸟羽毛"])
    assert list(tmp_path.glob("qa-sounds-*.json")) == [entry]  # rewritten in place
    stored = json.loads(entry.read_text("utf-8"))["words"].split("\n")
    assert stored == [w for w in changed if 2 <= len(w) <= 6 and homophones._is_han(w)]


def test_a_damaged_entry_is_asked_again(seeds_engine: QAEngine, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    words = [w for w in seeds_engine.index.vocabulary][:300]
    monkeypatch.setattr(startcache, "_cache_dir", tmp_path)
    first = tables(build(words))
    (entry,) = tmp_path.glob("qa-sounds-*.json")
    entry.write_text('{"format": 1, "words": "党员", "sounds": ""}', encoding="utf-8")
    assert tables(build(words)) == first
    entry.write_text("{", encoding="utf-8")
    asked = counting(monkeypatch)
    assert tables(build(words)) == first and asked
