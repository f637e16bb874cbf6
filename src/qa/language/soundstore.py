"""The library words' sounds kept in the start-up cache: a restart or an upload reads them back.

The homophone table (``qa.language.homophones``) needs every library word's pinyin, ≈ 40 µs a
word from pypinyin: 1.3 s for the 2.1×10⁴ words of the shared corpus, ≈ 8 s for 2×10⁵, paid
by every start's warm-up and every upload while it holds the interpreter. A word's sound
depends only on the word, pypinyin and the code that asks it, so those key the entry; one
entry holds the sounds of the last table built, and a table is built from it, asking pypinyin
only for the words it lacks. A missing, stale or unreadable entry only means asking again.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from qa.data import sources_digest
from qa.fsio import write_cache

from .startcache import cache_dir

FORMAT = 1
Sound = tuple[str, ...]
_WRITING = threading.Lock()  # the warm-up thread and a question may both build a table


@cache
def _code_version() -> str:
    try:
        pinyin = version("pypinyin")
    except PackageNotFoundError:
        pinyin = ""
    return sources_digest(f"format {FORMAT} pypinyin {pinyin}", ("qa.language.homophones",), ())


def _path() -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"qa-sounds-{_code_version()}.json"


def load_sounds() -> dict[str, Sound]:
    """Return the sounds stored by word (none without a cache folder or a readable entry).

    Syllables are interned: pypinyin makes a new string for each (≈ 400 distinct).
    """
    path = _path()
    if path is None:
        return {}
    try:
        data = json.loads(path.read_bytes())
        words = data["words"].split("\n") if data["words"] else []
        sounds = data["sounds"].split("\n") if data["sounds"] else []
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    if len(words) != len(sounds):
        return {}
    return {word: tuple(map(sys.intern, said.split(" ")))
            for word, said in zip(words, sounds, strict=True)}


def save_sounds(words: Sequence[str], sounds: Sequence[Sound]) -> None:
    """Store these words' sounds as the entry (best effort: a cache)."""
    path = _path()
    if path is None or any(not s or "\n" in w or " " in "".join(s)
                           for w, s in zip(words, sounds, strict=True)):
        return  # one line a word and a space between syllables: such a table is asked again
    data = {"format": FORMAT, "words": "\n".join(words),
            "sounds": "\n".join(" ".join(s) for s in sounds)}
    with _WRITING:
        if write_cache(path, json.dumps(data, ensure_ascii=False).encode()):
            for old in path.parent.glob("qa-sounds-*.json"):
                if old != path:
                    old.unlink(missing_ok=True)
