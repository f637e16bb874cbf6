"""jieba's main dictionary (word, frequency, part of speech) read fast, without importing jieba.

Two readers need it: ``qa.segment`` (to give lexicon words the frequencies jieba itself would
give them) and ``qa.weights`` (word frequencies of general Chinese). The serving process keeps
it for every question, so it is held compactly: the distinct words sorted, as one bytes string
with an array of offsets, and a frequency and a tag number per word (≈ 6 MB; the file's lines
as 3.5×10⁵ bytes objects plus a copy of the file were ≈ 23 MB). A lookup is a binary search
among the words sharing the first character. Built from the file in ≈ 0.3 s, or read from the
start-up cache (``qa.language.startcache``) in milliseconds.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from qa.fsio import write_cache

from .startcache import cache_dir

FORMAT = 2


def dictionary_path() -> Path:
    """Return the path of jieba's dict.txt, found without importing jieba (≈50 ms)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed; its dict.txt holds the word table")
    return Path(spec.origin).with_name("dict.txt")


class _Words:
    """The sorted words as a sequence of bytes, each sliced from one string when compared
    (what ``bisect`` needs: a length and an item)."""

    __slots__ = ("_blob", "_offsets")

    def __init__(self, blob: bytes, offsets: array[int]) -> None:
        self._blob = blob
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> bytes:
        return self._blob[self._offsets[i]:self._offsets[i + 1]]

    def __iter__(self) -> Iterator[bytes]:
        offsets = self._offsets
        return (self._blob[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1))


class JiebaDictionary(Mapping[str, tuple[int, str]]):
    """Read-only word → (frequency, tag) table of a jieba dictionary file, plus the total."""

    def __init__(self, blob: bytes, offsets: array[int], freqs: array[int],
                 tag_of: bytes, tags: Sequence[str], total: int,
                 runs: array[int] | None = None) -> None:
        # UTF-8 bytes sort in code-point order, so str words and byte words agree.
        self._words = _Words(blob, offsets)
        self._freqs = freqs
        self._tag_of = tag_of
        self._tags = tuple(tags)
        self.total = total
        # Each first character's run of words: a search looks among tens, not 3.5×10⁵.
        self._starts = _run_starts(blob, offsets) if runs is None else runs
        ends = [*self._starts[1:], len(self._words)][:len(self._starts)]
        self._runs: dict[bytes, tuple[int, int]] = {}
        for start, end in zip(self._starts, ends, strict=True):
            first = offsets[start]
            self._runs[blob[first:first + _char_len(blob[first])]] = (start, end)

    @classmethod
    def parse(cls, data: bytes) -> JiebaDictionary:
        """Build the table from a dictionary file's bytes ("word freq tag" a line)."""
        last: dict[bytes, tuple[int, bytes]] = {}
        for line in data.splitlines():
            word, freq, tag = line.split(b" ", 2)
            last[word] = (int(freq), tag)  # a repeated word: jieba keeps its last line
        words = sorted(last)
        tags = sorted({tag for _, tag in last.values()})
        number = {tag: i for i, tag in enumerate(tags)}
        offsets = array("I", [0])
        offsets.extend(np.cumsum([len(w) for w in words], dtype=np.int64).tolist())
        freqs = array("I", (last[w][0] for w in words))
        tag_of = bytes(number[last[w][1]] for w in words)
        return cls(b"".join(words), offsets, freqs, tag_of, [t.decode() for t in tags],
                   _frequency_total(data))

    def _find(self, key: bytes) -> int:
        """Return the place of the first word ≥ key among those sharing its first character
        (the run's end if none), or -1 when no word starts with that character."""
        run = self._runs.get(key[:_char_len(key[0])]) if key else None
        if run is None:
            return -1
        return bisect_left(self._words, key, run[0], run[1])

    def _place(self, word: str) -> int:
        """Return the place of a word, or -1."""
        key = word.encode()
        i = self._find(key)
        return i if i >= 0 and i < len(self._words) and self._words[i] == key else -1

    def __getitem__(self, word: str) -> tuple[int, str]:
        i = self._place(word)
        if i < 0:
            raise KeyError(word)
        return self._freqs[i], self._tags[self._tag_of[i]]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._place(word) >= 0

    def __len__(self) -> int:
        return len(self._words)

    def __iter__(self) -> Iterator[str]:
        return (word.decode() for word in self._words)

    def jieba_freq(self, word: str) -> int | None:
        """Return ``jieba.FREQ.get(word)``: the frequency, 0 for a prefix of a longer word
        only, None if neither (one binary search)."""
        start = word.encode()
        i = self._find(start)
        if i < 0 or i == len(self._words) or not self._words[i].startswith(start):
            return None
        return self._freqs[i] if self._words[i] == start else 0

    def is_prefix(self, text: str) -> bool:
        """Tell whether a longer dictionary word begins with this text (jieba keeps every
        such prefix in its table with frequency 0)."""
        start = text.encode()
        i = self._find(start)
        if i < 0:
            return False
        if i < len(self._words) and self._words[i] == start:
            i += 1  # the word itself: words are distinct, the longer ones follow it
        return i < len(self._words) and self._words[i].startswith(start)

    def to_bytes(self) -> bytes:
        """Return the table as the start-up cache stores it (``from_bytes`` reads it back)."""
        words = self._words
        head = {"format": FORMAT, "words": len(words), "blob": len(words._blob),
                "tags": self._tags, "total": self.total, "runs": len(self._starts)}
        return b"".join([json.dumps(head).encode() + b"\n", words._blob,
                         words._offsets.tobytes(), self._freqs.tobytes(), self._tag_of,
                         self._starts.tobytes()])

    @classmethod
    def from_bytes(cls, data: bytes) -> JiebaDictionary:
        """Read a table ``to_bytes`` wrote; raise ValueError if it is not one."""
        line, _, rest = data.partition(b"\n")
        head = json.loads(line)
        if not isinstance(head, dict) or head.get("format") != FORMAT:
            raise ValueError("not a dictionary table")
        count, size, runs = int(head["words"]), int(head["blob"]), int(head["runs"])
        offsets, freqs, starts = array("I"), array("I"), array("I")
        at = size + (count + 1) * offsets.itemsize
        offsets.frombytes(rest[size:at])
        freqs.frombytes(rest[at:at + count * freqs.itemsize])
        at += count * freqs.itemsize
        tag_of = rest[at:at + count]
        starts.frombytes(rest[at + count:])
        if len(offsets) != count + 1 or len(freqs) != count or len(tag_of) != count \
                or offsets[-1] != size or len(starts) != runs or not _runs_fit(starts, count):
            raise ValueError("truncated dictionary table")
        return cls(rest[:size], offsets, freqs, tag_of, [str(t) for t in head["tags"]],
                   int(head["total"]), starts)


def _runs_fit(starts: array[int], count: int) -> bool:
    """Tell whether run starts can be those of ``count`` words: from 0, rising, below count."""
    if not starts:
        return count == 0
    rising = all(a < b for a, b in zip(starts, starts[1:], strict=False))
    return starts[0] == 0 and starts[-1] < count and rising


def _char_len(lead: int) -> int:
    """Return the length of the UTF-8 character that starts with this byte."""
    return 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


def _run_starts(blob: bytes, offsets: array[int]) -> array[int]:
    """Return where each run of words sharing a first character starts (words sharing one
    are adjacent once sorted)."""
    starts = np.frombuffer(offsets, dtype=np.uint32)[:-1].astype(np.int64)
    if not len(starts):
        return array("I")
    raw = np.frombuffer(blob + b"\0\0\0", dtype=np.uint8)
    # Each word's first four bytes, those past its first character zeroed: equal keys, one
    # character.
    heads = raw[starts[:, None] + np.arange(4)]
    lead = heads[:, 0]
    widths = np.select([lead < 0xC0, lead < 0xE0, lead < 0xF0], [1, 2, 3], 4)
    heads[np.arange(4)[None, :] >= widths[:, None]] = 0
    key = np.ascontiguousarray(heads).view(np.uint32).ravel()
    new = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    return array("I", new.astype(np.uint32).tobytes())


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
    """Read a jieba dictionary file once per process, through the start-up cache if any."""
    folder = cache_dir()
    try:
        stat = path.stat()
        stamp = f"{FORMAT}:{path}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        folder = None
    if folder is None:
        return JiebaDictionary.parse(path.read_bytes())
    cached = folder / f"qa-jiebadict-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.bin"
    try:
        return JiebaDictionary.from_bytes(cached.read_bytes())
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        pass
    table = JiebaDictionary.parse(path.read_bytes())
    with _WRITING:  # two threads' first reads: a process's temporary file has one name
        write_cache(cached, table.to_bytes())
    return table


_WRITING = threading.Lock()
