"""Cold-start helpers: import jieba lean and reload its dictionaries from fast caches.

A cold ``qa ask`` on the seeds spent ~1.4 s, mostly here: ``import pkg_resources`` inside jieba
(~0.1 s), jieba's ``marshal.load`` of its 9 MB cache straight from a file object (~0.9 s,
against ~0.25 s for ``marshal.loads`` of the same bytes), the lexicon's ``add_word`` calls, and
zhconv's 0.2 s table load just to learn which characters are traditional. Every cache here is
keyed so that a different dictionary, lexicon or code version misses, and any unreadable cache
falls back to the normal slow path; tokenisation results never change.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .atomic import write_atomic

_cache_dir: Path | None = None


def use_cache_dir(folder: Path) -> None:
    """Keep the start-up caches (jieba's dictionary, character sets) in this folder.

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

    jieba 0.42.1 imports it only to open its bundled files and falls back to plain ``open``.
    """
    if "pkg_resources" in sys.modules:
        yield
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # None blocks the import
    try:
        yield
    finally:
        del sys.modules["pkg_resources"]


def load_prefix_dict(tokenizer: Any, key: str, build: Callable[[], None]) -> None:
    """Give a jieba Tokenizer its prefix dictionary from a cache, or ``build()`` it and save it.

    ``build`` must leave the tokenizer initialised (dictionary plus any ``add_word`` calls);
    its whole state is then ``FREQ`` and ``total``, which the cache restores.
    """
    folder = cache_dir()
    if folder is None:
        build()
        return
    path = folder / f"qa-jieba-{key}.marshal"
    try:
        freq, total = marshal.loads(path.read_bytes())
        if isinstance(freq, dict) and isinstance(total, int) and freq:
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
            return
    except (OSError, ValueError, EOFError, TypeError):
        pass
    build()
    write_atomic(path, marshal.dumps((tokenizer.FREQ, tokenizer.total)))


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
    write_atomic(path, f"{hashlib.sha256(text.encode()).hexdigest()}\n{text}".encode())
    return chars

