"""Learned unit names kept in the start-up cache: a restart with the same library reads them.

Learning every unit's names (``qa.language.unitnames``) walks every report's unit and title:
2.2–2.6 s at 3.4×10⁴ reports, 31 s at 3.4×10⁵, paid by the first question after a start. What
is learned depends only on each report's (id, unit, title), the extra names and the code that
derives names, so those are the key; the names come back in the same order with the same
units. A missing, stale or unreadable entry only means learning again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from array import array
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from qa.data import sources_digest
from qa.fsio import write_cache

from .startcache import cache_dir

FORMAT = 3
# The modules whose code decides the names learned from a report.
_DERIVING = ("qa.language.unitnames", "qa.language.docmeta", "qa.language.namedelta")


class Stored(NamedTuple):
    """Names as stored: kept in one string, not split into a str object each (2.5×10⁵ at 10⁶
    passages: the split left ≈ 20 MB of the heap behind)."""

    names: str  # every name in order, each ended by a newline but the last
    which: array[int]  # each name's units, as a place in ``groups``
    groups: list[tuple[str, ...]]  # the distinct units
    # The units of a name several units go by that the table lists as one unit's own name
    # (qa.language.namedelta.Learned.shared).
    shared: dict[str, tuple[str, ...]]

    def name_count(self) -> int:
        """Return how many names there are."""
        return self.names.count("\n") + 1 if self.names else 0
# One writer at a time: qa-bot's warm-up thread and a first question may learn the same names,
# and a process's temporary file has one name (qa.fsio).
_WRITING = threading.Lock()


@cache
def _code_version() -> str:
    return sources_digest(f"format {FORMAT}", _DERIVING, ())


def _path(key: object) -> Path | None:
    """Return where the names learned for this key live, or None without a cache folder."""
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"qa-unitnames-{_digest(key)}.json"


def _digest(key: object) -> str:
    # A learning looks its key up, stores it and checks it stored nothing meanwhile: the key's
    # text (3 MB at 3.4×10⁴ reports) is made once, not three times.
    last = _LAST_DIGEST[:1]
    if last and last[0][0] == key:
        return last[0][1]
    digest = hashlib.blake2b(_code_version().encode(), digest_size=16)
    digest.update(repr(key).encode("utf-8", "surrogatepass"))
    _LAST_DIGEST[:] = [(key, digest.hexdigest())]
    return _LAST_DIGEST[0][1]


_LAST_DIGEST: list[tuple[object, str]] = []


def load_names(key: object) -> Stored | None:
    """Return the names stored for this key (reports' id/unit/title and extras), or None."""
    path = _path(key)
    if path is None:
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
        groups = [tuple(map(str, units)) for units in data["units"]]
        # Packed, not a JSON list: 2.5×10⁵ int objects left ≈ 8 MB of the heap behind.
        which = array("i", base64.b64decode(data["which"], validate=True))
        stored = Stored(str(data["names"]), which, groups, {
            str(name): tuple(map(str, units)) for name, units in data["shared"].items()})
        if min(which, default=0) < 0 or max(which, default=0) >= max(len(groups), 1):
            return None
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    return stored if stored.name_count() == len(which) else None


def save_names(key: object, names: Sequence[str], units: Sequence[tuple[str, ...]],
               shared: Mapping[str, tuple[str, ...]]) -> None:
    """Store the names learned for this key (best effort: a cache)."""
    path = _path(key)
    if path is None or "" in names or "\n" in "".join(names):
        return  # one string per name, split on newlines: such a name is learned again
    with _WRITING:
        if load_names(key) is None:  # else another thread stored these very names
            _write(path, names, units, shared)


def _write(path: Path, names: Sequence[str], units: Sequence[tuple[str, ...]],
           shared: Mapping[str, tuple[str, ...]]) -> None:
    number: dict[tuple[str, ...], int] = {}
    which = array("i", [number.setdefault(these, len(number)) for these in units])
    data = {"format": FORMAT, "names": "\n".join(names), "units": list(number),
            "which": base64.b64encode(which.tobytes()).decode("ascii"),
            "shared": dict(shared)}
    # A title read with an undecodable byte keeps it as a lone surrogate: stored as it is.
    if write_cache(path, json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")):
        # Only the library as it is now is worth keeping: each change of it writes a new entry.
        for old in path.parent.glob("qa-unitnames-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
