"""Negations found where a 不 or 没 is change no span: the loop over every character as it
was, kept verbatim here, against _negation_spans on every line we have and on edges."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

from qa.language.shortcoming import (
    _NOT_JUDGING,
    _QUESTION_AFTER_MEI,
    _RESOLVE_BEFORE,
    _WORD_CHARS,
    _negation_spans,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def old_negation_spans(text: str) -> Iterator[tuple[int, int]]:
    for at, char in enumerate(text):
        if char not in "不没" or at + 1 >= len(text):
            continue
        after, before = text[at + 1], text[at - 1] if at else ""
        if not "\u4e00" <= after <= "\u9fff" or after in _QUESTION_AFTER_MEI:
            continue
        if before and before == after:  # 是不是, 能不能, 有没有
            continue
        if char == "不" and (after in _NOT_JUDGING or text[:at].endswith(_RESOLVE_BEFORE)):
            continue
        asks_after = after == "有" and text[at + 2 : at + 3] in ("", "？", "?")  # 「…没有？」
        if char == "没" and (before == "有" or asks_after):
            continue
        yield at, at + 1 + _WORD_CHARS


def _lines() -> list[str]:
    folders = [ROOT / "seeds", SHARED / "corpus" / "corpus"]
    lines = [line for folder in folders if folder.is_dir() for path in folder.glob("*.txt")
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    for path in sorted((SHARED / "eval").glob("dev*.jsonl")):
        lines += [json.loads(line)["q"] for line in path.read_text("utf-8").splitlines()
                  if line.strip()]
    return lines


def test_negations_are_the_old_loops() -> None:
    pieces = ["不", "没", "有", "是", "同", "好", "？", "绝", "一点都", " "]
    edges = ["".join(p) for n in range(1, 5) for p in itertools.product(pieces, repeat=n)]
    lines = _lines()
    assert sum(1 for line in lines if list(old_negation_spans(line))) > 50
    for text in [*lines, *edges]:
        assert list(_negation_spans(text)) == list(old_negation_spans(text)), text
