"""The reviewed data files shipped with the package (word lists, lexicon, metric names, font).

One way to find them, installed or not: ``data_path("units.txt")``; and the digest of what
decides a cache's content (``sources_digest``: the code and data files a parse or an
extraction reads).
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """Return the path of a shipped data file, e.g. ``data_path("fonts/x.otf")``."""
    return _HERE / name


def sources_digest(seed: str, modules: Iterable[str], data: Iterable[str]) -> str:
    """Return a hash of ``seed``, the source of ``modules`` (named, not located, so files can
    move) and the shipped ``data`` files: a cache keyed by it misses when any of them changes."""
    digest = hashlib.blake2b(seed.encode(), digest_size=16)
    for name in modules:
        digest.update(Path(_module_file(name)).read_bytes())
    for name in data:
        digest.update(data_path(name).read_bytes())
    return digest.hexdigest()


def _module_file(name: str) -> str:
    """Return a module's source file, found without running it: importing the document
    converters (pypdf and friends) only to hash them cost ≈ 0.15 s of every start."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(name)
    return spec.origin


__all__ = ["data_path", "sources_digest"]
