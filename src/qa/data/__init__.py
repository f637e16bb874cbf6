"""The reviewed data files shipped with the package (word lists, lexicon, metric names, font).

One way to find them, installed or not: ``data_path("units.txt")``.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """Return the path of a shipped data file, e.g. ``data_path("fonts/x.otf")``."""
    return _HERE / name


__all__ = ["data_path"]
