"""Understanding strips and scans only the phrases a question holds: the same text and spans
as visiting every phrase of the list in order."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from qa.language import load_language
from qa.language.shortcoming import shortcoming_spans
from qa.language.understand import _present, _strip


def _strip_every(text: str, phrases: Sequence[str]) -> str:
    """What ``_strip`` did before: every phrase, longest first (stable), replaced in turn."""
    for phrase in sorted(phrases, key=len, reverse=True):
        text = text.replace(phrase, " ")
    return text


def _texts(phrases: Sequence[str], count: int) -> list[str]:
    """Texts made of the phrases' pieces and joins, so that phrases overlap and nest."""
    rng = random.Random(7)
    pieces = [*phrases, *(p[: len(p) // 2 + 1] for p in phrases), "党员", "，", " ", "的"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(count)]


def test_stripping_the_language_lists_is_replacing_every_phrase() -> None:
    language = load_language()
    long_topic = [w for w in language.topic_words if len(w) >= 3]
    for _, intent_phrases in language.intents:
        phrases = [*intent_phrases, *language.which_phrases, *long_topic]
        for text in _texts(phrases, 300):
            assert _strip(text, phrases) == _strip_every(text, phrases), text


def test_nested_and_overlapping_phrases_strip_as_before() -> None:
    phrases = ["怎么样", "怎么", "么样", "样子", "子怎", "怎么样子"]
    for size in range(1, 5):
        for chars in itertools.product("怎么样子", repeat=size):
            text = "".join(chars) * 2
            assert _strip(text, phrases) == _strip_every(text, phrases), text


def test_a_list_with_a_spaced_or_empty_phrase_is_replaced_phrase_by_phrase() -> None:
    # 「党 建」 occurs only once 「工作委员」 between its characters became a space.
    phrases = ["党 建", "工作委员"]
    assert _strip("党工作委员建", phrases) == _strip_every("党工作委员建", phrases) == " "
    assert _strip("党建", ["", "党"]) == _strip_every("党建", ["", "党"])


def test_shortcoming_spans_of_the_phrases_present_are_those_of_every_phrase() -> None:
    phrases = load_language().deficiency_phrases
    for text in [*_texts(phrases, 300), "是不是一点都不手软", "进来得太少", ""]:
        assert shortcoming_spans(text, _present(phrases, text)) == \
            shortcoming_spans(text, phrases), text
