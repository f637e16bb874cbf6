"""jieba's main dictionary (word, frequency, part of speech) read fast, without importing jieba.

Two readers need it: ``qa.segment`` (to give lexicon words the frequencies jieba itself would
give them) and ``qa.weights`` (word frequencies of general Chinese). Parsing every line into a
dict took ≈0.5 s at start-up; here the file's lines are sorted once (≈30 ms: the file is almost
sorted already) and each lookup is a binary search. A space sorts before every character a
word can hold, so the line of a word comes right before the lines of the longer words it
begins, which makes "is this a prefix of a dictionary word" one search too.
"""

from __future__ import annotations

import importlib.util
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import numpy as np


def dictionary_path() -> Path:
    """Return the path of jieba's dict.txt, found without importing jieba (≈50 ms)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed; its dict.txt holds the word table")
    return Path(spec.origin).with_name("dict.txt")


class JiebaDictionary(Mapping[str, tuple[int, str]]):
    """Read-only word → (frequency, tag) table of a jieba dictionary file, plus the total."""

    def __init__(self, data: bytes) -> None:
        # UTF-8 bytes sort in code-point order, so str words and byte lines agree.
        self._data = data
        self._lines = sorted(data.splitlines())  # b"word freq tag"
        self.total = _frequency_total(data)

    def _line_of(self, word: str) -> int:
        """Return the index of the word's first line, or -1."""
        key = word.encode() + b" "
        i = bisect_left(self._lines, key)
        return i if i < len(self._lines) and self._lines[i].startswith(key) else -1

    def __getitem__(self, word: str) -> tuple[int, str]:
        i = self._line_of(word)
        if i < 0:
            raise KeyError(word)
        line = self._lines[i]
        if i + 1 < len(self._lines) and self._lines[i + 1].startswith(word.encode() + b" "):
            line = self._last_line(word)  # a repeated word: jieba keeps its last line
        _, freq, tag = line.split(b" ", 2)
        return int(freq), tag.decode()

    def _last_line(self, word: str) -> bytes:
        key = word.encode() + b" "
        return next(line for line in reversed(self._data.splitlines()) if line.startswith(key))

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._line_of(word) >= 0

    def __len__(self) -> int:
        return len(dict.fromkeys(self))

    def __iter__(self) -> Iterator[str]:
        return (line.partition(b" ")[0].decode() for line in self._lines)

    def jieba_freq(self, word: str) -> int | None:
        """Return ``jieba.FREQ.get(word)``: the frequency, 0 for a prefix of a longer word
        only, None if neither (one binary search)."""
        start = word.encode()
        key = start + b" "
        lines = self._lines
        i = bisect_left(lines, key)
        if i == len(lines) or not lines[i].startswith(start) or not word:
            return None
        if not lines[i].startswith(key):
            return 0
        if i + 1 < len(lines) and lines[i + 1].startswith(key):
            return self[word][0]  # a repeated word
        return int(lines[i].split(b" ", 2)[1])

    def is_prefix(self, text: str) -> bool:
        """Tell whether a longer dictionary word begins with this text (jieba keeps every
        such prefix in its table with frequency 0)."""
        start = text.encode()
        i = bisect_left(self._lines, start + b" ")
        while i < len(self._lines) and self._lines[i].startswith(start + b" "):
            i += 1
        return text != "" and i < len(self._lines) and self._lines[i].startswith(start)


def _frequency_total(data: bytes) -> int:
    """Return the sum of the frequency column (jieba's ``total``), parsed with numpy.

    ``sum(map(int, data.split()[1::3]))`` costs ≈0.15 s; each line is "word freq tag", so the
    digits sit between a line's two spaces and add up column by column.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    spaces = np.flatnonzero(raw == ord(" "))
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if len(spaces) != 2 * lines:  # not the plain three-column format: parse it the slow way
        return sum(int(line.split()[1]) for line in data.splitlines() if line.strip())
    first, second = spaces[0::2], spaces[1::2]
    total = 0
    for place in range(int((second - first).max()) - 1):
        at = second - 1 - place
        digit = np.where(at > first, raw[np.maximum(at, 0)].astype(np.int64) - ord("0"), 0)
        total += int(digit.sum()) * 10**place
    return total


@cache
def read_dictionary(path: Path) -> JiebaDictionary:
    """Read a jieba dictionary file once per process."""
    return JiebaDictionary(path.read_bytes())
