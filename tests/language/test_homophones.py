"""Homophone repair against a library vocabulary (qa.language.homophones)."""

from __future__ import annotations

import pytest

from qa.language import Homophones, LanguageSettings

LIBRARY = {"党员": 40, "党课": 12, "发展": 30, "党建": 50}
GENERAL = {"当然", "发展", "今年"}


def make() -> Homophones:
    return Homophones(lambda: LIBRARY, lambda w: LIBRARY.get(w, 0), GENERAL.__contains__)


def test_a_homophone_typo_becomes_the_library_word() -> None:
    assert make().correct("当员") == "党员"


def test_words_general_chinese_knows_are_never_repaired() -> None:
    assert make().correct("当然") == "当然"


def test_a_word_with_no_library_homophone_stays() -> None:
    assert make().correct("刊物") == "刊物"


def test_repair_joins_two_single_characters() -> None:
    assert make().repair("当员发展了几个", ["当", "员", "发展", "了", "几个"]) == "党员发展了几个"


def test_settings_switch_one_source_off() -> None:
    off = LanguageSettings().without("homophones")
    assert not off.homophones and off.deed_scope


def test_pinyin_initials_become_the_library_word() -> None:
    library = {"主题教育": 9, "主体教育": 0, "党建": 50}
    found = Homophones(lambda: library, lambda w: library.get(w, 0), set().__contains__)
    assert found.repair("ztjy期间", ["ztjy", "期间"]) == "主题教育期间"


def test_short_initials_are_too_ambiguous() -> None:
    assert make().expand_initials("dj") == "dj"


def test_load_hears_the_library_up_front_so_a_typo_hears_only_itself(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # qa-bot's warm-up thread calls load(): the first typo must not sound every library word.
    from qa.language import homophones, startcache

    monkeypatch.setattr(startcache, "_cache_dir", None)  # no sounds kept by an earlier test

    heard: list[str] = []
    real = homophones.sound

    def counted(word: str) -> tuple[str, ...]:
        heard.append(word)
        return real(word)

    monkeypatch.setattr(homophones, "sound", counted)
    found = make()
    found.load()
    assert sorted(heard) == sorted(w for w in LIBRARY if len(w) >= homophones.MIN_LEN)
    heard.clear()
    assert found.correct("当员") == "党员" and found.repair("dy", ["dy"]) == "dy"
    assert set(heard) <= {"当员"}  # the question word alone (remembered across tests)
