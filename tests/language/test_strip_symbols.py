"""strip_symbols drops what _is_symbol calls a symbol, character by character, and only that."""

from __future__ import annotations

import random

from qa.language.normalize import _is_symbol, strip_symbols

# CJK, Latin, punctuation, emoji and their modifiers, joiners, private use, a lone surrogate.
POOL = [chr(c) for c in [*range(0x20, 0x250), *range(0x2000, 0x2BFF), *range(0x4E00, 0x4E80),
                         *range(0x1F300, 0x1F6FF), 0x200D, 0xFE0E, 0xFE0F, 0x20E3, 0xE000,
                         0xD800, 0xFF01, 0x3002]]


def test_strip_symbols_keeps_exactly_the_characters_that_are_not_symbols() -> None:
    rng = random.Random(22)
    for _ in range(2000):
        text = "".join(rng.choice(POOL) for _ in range(rng.randint(0, 24)))
        assert strip_symbols(text) == "".join(c for c in text if not _is_symbol(c))


def test_emoji_and_joiners_go_and_words_stay() -> None:
    assert strip_symbols("党员👍🏻发展\u200d了多少？") == "党员发展了多少？"
    assert strip_symbols("党员👍🏻发展\u200d了多少？") == "党员发展了多少？"  # remembered alike
