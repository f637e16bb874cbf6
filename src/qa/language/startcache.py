"""Cold-start helpers: import zhconv lean and keep derived start-up data in a small cache.

zhconv imports ``pkg_resources`` (≈0.1 s) only to open its data file, and loading its table
is needed just to learn which characters are traditional; the lexicon's jieba frequencies
(``qa.lexicon``) take a read of jieba's dictionary. Each cache is keyed so that changed data or
code misses, and an unreadable cache falls back to computing; results never change. (jieba's
own prefix dictionary is no longer cached: rjieba builds its dictionary in ≈0.1 s.)
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qa.fsio import write_cache

_cache_dir: Path | None = None


def use_cache_dir(folder: Path) -> None:
    """Keep the start-up caches (character sets, lexicon frequencies) in this folder.

    Front ends pass the cache folder beside the reports (``qa.cache.default_cache_dir``).
    """
    global _cache_dir
    _cache_dir = folder


def cache_dir() -> Path | None:
    """Return where the start-up caches live; None until a front end calls ``use_cache_dir``
    (the library never writes to a folder it was not given, the global temp folder included)."""
    return _cache_dir


@contextmanager
def without_pkg_resources() -> Iterator[None]:
    """Make ``import pkg_resources`` fail inside the block unless it is already loaded.

    zhconv imports it only to open its bundled file and falls back to plain ``open``.
    """
    if "pkg_resources" in sys.modules:
        yield
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # None blocks the import
    try:
        yield
    finally:
        del sys.modules["pkg_resources"]


def load_char_set(source: Path, compute: Callable[[], frozenset[str]]) -> frozenset[str]:
    """Return a character set derived from a data file, cached until that file changes."""
    try:
        stat = source.stat()
        stamp = f"{source}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        return compute()
    key = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / f"qa-chars-{key}.txt"
    try:
        digest, _, text = path.read_text(encoding="utf-8").partition("\n")
        if digest == hashlib.sha256(text.encode()).hexdigest():
            return frozenset(text)
    except (OSError, UnicodeDecodeError):
        pass
    chars = compute()
    text = "".join(sorted(chars))
    write_cache(path, f"{hashlib.sha256(text.encode()).hexdigest()}\n{text}".encode())
    return chars



def cached_json(name: str, key: str, compute: Callable[[], Any],
                valid: Callable[[Any], bool]) -> Any:
    """Return ``compute()`` (JSON data), from the start-up cache when it holds a valid value
    for this key; a tuple comes back as a list."""
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / f"qa-{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
        if valid(value):
            return value
    except (OSError, ValueError):
        pass
    value = compute()
    write_cache(path, json.dumps(value, ensure_ascii=False).encode())
    return value
