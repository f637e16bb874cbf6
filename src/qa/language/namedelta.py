"""Unit names after a small change of the library, worked out from the names learned before it.

An upload adds a report at the end of the library and drops the one it replaces. Learning every
unit's names again walks all 3.4×10⁴ reports of a 10⁶-passage library (2.3–2.8 s holding the
interpreter, while every other user's question waits); only the names of the units that came or
went can change. A name's units are listed in the order of the first report that gives each, so
a changed name is worked out again from the reports of the units it may mean, in the library's
new order; a report that moved counts as removed and added. The result is the table a full
learning gives (``tests/language/test_namedelta.py`` holds it to ``build_names``), or None when
the change is too large or an id repeats.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Key = tuple[str, str, str]  # a report's id, unit and title: all its names are learned from
NamedUnits = tuple[str, tuple[str, ...]]
# Beyond this many reports added or dropped, learning anew is about as cheap.
MAX_CHANGED = 512


@dataclass(frozen=True, slots=True)
class Learned:
    """A library's names as learned: (name, units) longest first, and what the table hides.

    ``shared`` keeps the units of each name that several units go by but that is one unit's own
    full name: the table lists only that unit, and a change needs the others.
    """

    keys: tuple[Key, ...]
    extras: tuple[tuple[str, str], ...]
    names: Sequence[str]
    units: Sequence[tuple[str, ...]]
    shared: Mapping[str, tuple[str, ...]]


def order_key(name: str) -> tuple[int, str]:
    """Return a name's place in the table: longest first, then by code point."""
    return -len(name), name


def final_units(name: str, units: Sequence[str]) -> tuple[str, ...]:
    """Return the units a name means: only the unit whose own full name it is, if any."""
    return (name,) if len(units) > 1 and name in units else tuple(units)


def relearn(before: Learned, keys: tuple[Key, ...], unit_of: Callable[[Key], str],
            aliases: Callable[[Key], Iterable[str]]) -> Learned | None:
    """Return the names of the library ``keys`` from ``before``, or None when more than
    ``MAX_CHANGED`` reports were removed or added (a moved one counts as both) or an id repeats.

    ``unit_of`` gives a report's unit ("" for none: it gives no names), ``aliases`` the names
    a report gives its unit; they must be what ``before`` was learned with.
    """
    change = _change(before.keys, keys)
    if change is None:
        return None
    removed, added = change
    changed_units = {unit_of(k) for k in (*removed, *added)} - {""}
    units = [unit_of(k) for k in keys]
    found: dict[Key, frozenset[str]] = {}

    def names_of(key: Key) -> frozenset[str]:
        if key not in found:
            found[key] = frozenset(aliases(key))
        return found[key]

    touched: set[str] = set()
    for key in removed:
        touched |= names_of(key)
    for key, unit in zip(keys, units, strict=True):
        if unit in changed_units:
            touched |= names_of(key)
    # Where each touched name is, or would go, in the ordered table: found once, used twice.
    spots = {name: bisect.bisect_left(before.names, order_key(name), key=order_key)
             for name in touched}
    raw = _raw_units(before, spots, changed_units, keys, units, names_of)
    return _updated(before, keys, raw, spots)


def _change(old: tuple[Key, ...], new: tuple[Key, ...]) -> tuple[list[Key], list[Key]] | None:
    """Return (removed, added) when ``new`` is ``old`` minus some keys plus some at its end.

    The kept part is the longest start of ``new`` found in ``old`` in the same order (a unit's
    names are listed by its first report, so the kept reports must keep their order); a report
    uploaded again unchanged is removed from its place and added at the end.
    """
    if len(set(new)) != len(new):
        return None
    at = kept = 0
    for key in new:
        while at < len(old) and old[at] != key:
            at += 1
        if at == len(old):
            break
        kept, at = kept + 1, at + 1
    staying = set(new[:kept])
    removed = [k for k in old if k not in staying]
    added = list(new[kept:])
    return (removed, added) if len(removed) + len(added) <= MAX_CHANGED else None


def _raw_units(before: Learned, spots: dict[str, int], changed_units: set[str],
               keys: tuple[Key, ...], units: list[str],
               names_of: Callable[[Key], frozenset[str]]) -> dict[str, list[str]]:
    """Return each touched name's units in the order a full learning lists them."""
    touched = spots.keys()
    place = {name: at for name, at in spots.items() if _holds(before.names, at, name)}
    extra_at: dict[tuple[str, str], int] = {}
    for i, pair in enumerate(before.extras):
        extra_at.setdefault(pair, i)
    candidates = {name: set(before.shared.get(name) or
                            (before.units[place[name]] if name in place else ())) | changed_units
                  for name in touched}
    wanted = set().union(*candidates.values()) if candidates else set()
    reports_of: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        if unit in wanted:
            reports_of.setdefault(unit, []).append(i)
    raw: dict[str, list[str]] = {}
    for name in touched:
        firsts = []
        for unit in candidates[name]:
            if (name, unit) in extra_at:  # the extra names come before every report
                firsts.append(((0, extra_at[(name, unit)]), unit))
                continue
            at = next((i for i in reports_of.get(unit, ()) if name in names_of(keys[i])), None)
            if at is not None:
                firsts.append(((1, at), unit))
        raw[name] = [unit for _, unit in sorted(firsts)]
    return raw


def _holds(names: Sequence[str], at: int, name: str) -> bool:
    """Return whether the ordered table holds ``name`` at its spot ``at``."""
    return at < len(names) and names[at] == name


def _updated(before: Learned, keys: tuple[Key, ...], raw: dict[str, list[str]],
             spots: dict[str, int]) -> Learned:
    """Return ``before``'s table with the touched names' units replaced (or dropped).

    The table is copied in slices between the touched places: a few hundred thousand names
    are moved by the copy, not by a Python step each."""
    edits = sorted((spots[name], order_key(name), name) for name in raw)
    names: list[str] = []
    units: list[tuple[str, ...]] = []
    shared = {n: u for n, u in before.shared.items() if n not in raw}
    done = 0
    for at, _, name in edits:
        names.extend(before.names[done:at])
        units.extend(before.units[done:at])
        done = at + 1 if _holds(before.names, at, name) else at
        if raw[name]:
            names.append(name)
            units.append(final_units(name, raw[name]))
            if len(raw[name]) > 1 and name in raw[name]:
                shared[name] = tuple(raw[name])
    names.extend(before.names[done:])
    units.extend(before.units[done:])
    return Learned(keys, before.extras, names, units, shared)
