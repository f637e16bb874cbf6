"""Bucketed phrase lists (qa.language.phrasefind) answer exactly as the plain loops do."""

from __future__ import annotations

import random
import re

from qa.language import load_language
from qa.language.normalize import _replace_words
from qa.language.phrasefind import Phrases, first_group, olds_of, phrases_of

ALPHABET = "党员发展学习教育主题活动ab "


def _texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))
            for _ in range(count)]


def _naive_replace(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """The loop _replace_words replaced: every pair tested in turn."""
    for old, new in pairs:
        if old in text:
            if old.isascii():
                text = re.sub(rf"(?<![a-z]){re.escape(old)}(?![a-z])", f" {new} ", text)
            elif new:
                text = text.replace(old, new if not new.isascii() else f" {new} ")
            else:
                text = text.replace(old, " ")
    return text


def test_found_any_and_first_are_the_loops_answers() -> None:
    listed = ("党员", "员发", "学习教育", "a", "主题", "活动", "党员", "习")
    bucketed = Phrases(listed)
    for text in _texts(500):
        found = [i for i, p in enumerate(listed) if p in text]
        assert bucketed.found(text) == found
        assert bucketed.any_in(text) == any(p in text for p in listed)
        assert bucketed.first_in(text, 3) == next((i for i in found if i >= 3), -1)


def test_an_empty_phrase_is_in_every_text() -> None:
    assert Phrases(("党员", "")).any_in("学习") and Phrases(("党员", "")).found("学习") == [1]
    assert not Phrases(("党员",)).any_in("") and Phrases(()).found("党员") == []


def test_a_list_is_bucketed_once_and_by_identity() -> None:
    listed = ("党员", "学习")
    assert phrases_of(listed) is phrases_of(listed)
    assert phrases_of(listed).members == frozenset(listed)
    assert phrases_of(("党员", "学")).phrases != listed


def test_rewrites_chain_as_the_loop_chains_them() -> None:
    # A later pair sees what an earlier one wrote: 咋 → 怎么, then 怎么办 → 如何办.
    pairs = (("咋", "怎么"), ("怎么办", "如何办"), ("ok", "好"), ("学习", ""))
    assert olds_of(pairs).phrases == ("咋", "怎么办", "ok", "学习")
    for text in ["咋办", "ok book 学习", "学习咋办ok", *_texts(300)]:
        assert _replace_words(text, pairs) == _naive_replace(text, pairs)
    language = load_language()
    for text in ["报告里咋说的", "有没有搞过主题党日啊", "ok那个党员发展咋样了", *_texts(300, 3)]:
        for pairs in (language.rewrites, tuple((w, "") for w in language.fillers)):
            assert _replace_words(text, pairs) == _naive_replace(text, pairs)


def test_the_first_group_is_the_loops_first_group() -> None:
    groups = (("figure", ("多少", "几")), ("plans", ("打算", "计划")), ("empty", ()),
              ("name", ("谁", "多少人")))
    for text in ["今年打算发展多少", "谁负责", "多少人", "计划", "什么", *_texts(200)]:
        loop = next((n for n, ps in groups if any(p in text for p in ps)), None)
        assert first_group(groups, text) == loop
    intents = load_language().intents
    for text in ["下一步有什么打算", "存在哪些问题", "今年发展了多少党员", "原因是什么"]:
        loop = next((n for n, ps in intents if any(p in text for p in ps)), None)
        assert loop is not None and first_group(intents, text) == loop
