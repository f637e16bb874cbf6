"""A question word's homophone fix is remembered per Homophones object (its library), never
shared between libraries; the engine remembers a word's neighbours the same way."""

from __future__ import annotations

from qa.language import Homophones


def _homophones(library: dict[str, int]) -> Homophones:
    return Homophones(lambda: library, lambda w: library.get(w, 0), set().__contains__)


def test_a_fix_is_the_same_when_asked_again() -> None:
    homophones = _homophones({"党员": 40})
    first = homophones.repair("当员几个", ["当员", "几个"])
    assert first == homophones.repair("当员几个", ["当员", "几个"]) == "党员几个"


def test_each_library_fixes_a_word_its_own_way() -> None:
    # The same typo, two libraries: a fix remembered for one must not answer for the other.
    assert _homophones({"党员": 40}).repair("当员", ["当员"]) == "党员"
    assert _homophones({"档案": 40}).repair("当员", ["当员"]) == "当员"
    assert _homophones({"当员": 3}).repair("当员", ["当员"]) == "当员"
