"""clean_code_points' one-scan shortcut changes no text: the two steps as they are, composed
here, against it on every character around each block edge and on texts mixing them."""

from __future__ import annotations

import itertools

from qa.language.lookalike import clean_code_points, drop_controls, fold_lookalikes

# Each class's edges, a few inside, and neighbours outside (plain ideographs, punctuation).
EDGES = [0x0, 0x8, 0x9, 0xA, 0xB, 0xC, 0xD, 0xE, 0x1F, 0x20, 0x7E, 0x7F, 0x9F, 0xA0,
         0x2E7F, 0x2E80, 0x2E8C, 0x2ED3, 0x2EFF, 0x2F00, 0x2F8F, 0x2FDF, 0x2FE0, 0x3000,
         0x4E00, 0x884C, 0xF8FF, 0xF900, 0xFA2E, 0xFAFF, 0xFB00, 0xFFFD, 0xFFFE, 0xFFFF,
         0x2F7FF, 0x2F800, 0x2FA1F, 0x2FA20]


def test_the_shortcut_is_the_two_steps() -> None:
    chars = [chr(c) for c in EDGES]
    texts = ["", "党建工作\n", *chars, *("".join(p) for p in itertools.product(chars, repeat=2))]
    texts += [f"发展{c}党员，\n一是{c}" for c in chars]
    for text in texts:
        assert clean_code_points(text) == drop_controls(fold_lookalikes(text)), repr(text)
    assert clean_code_points("⻓\x0c征") == "长\n征"  # the slow path still runs
