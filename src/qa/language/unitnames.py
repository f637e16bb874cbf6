"""Units and the names people call them, learned from the reports in the library.

Each report gives its unit (manifest, else read from its title or opening lines), and every
unit gives the short names an office uses for it: 第三党支部 → 三支部 / 第三支部 / 3支部,
宜东分公司机关党支部 → 宜东支部, 上海市人民政府 → 上海市 / 上海 / 上海市政府,
县直机关工委 → 县直工委.
A numeral is written both ways (三 / 3). ``qa/data/units.txt`` adds only what no rule can
derive (「我委」 for the unit that wrote the report, 「党组班子」 …).

A name that fits several units is ambiguous: the question is asked back, never guessed.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, chain
from typing import overload

import numpy as np

from qa.models import Report

from .docmeta import organisations, strip_years
from .docmeta import unit_from_titles as derive_unit
from .namedelta import Key, Learned, final_units, order_key, relearn
from .namestore import load_names, save_names
from .wordlists import read_lines

_GENERIC = frozenset({
    "党支部", "支部", "党总支", "总支", "党委", "党组", "工委", "委员会", "政府", "人民政府",
    "机关", "公司", "分公司", "集团", "单位", "部门", "党员", "党建",
})
_PROVINCE_KIND = re.compile(
    r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|自治州|地区|盟|县|区|旗)$")
_BRANCH_OWNERS = ("分公司", "分局", "公司", "集团", "局", "厂", "院", "校", "站", "所")
_CN = "〇一二三四五六七八九"
_CN_NUMERAL = re.compile(r"[一二三四五六七八九十]+")
_DIGITS = re.compile(r"\d{1,2}")


def cn_number(text: str) -> int:
    """Read 一 … 九十九 (三 → 3, 十二 → 12, 二十 → 20)."""
    if "十" not in text:
        return _CN.index(text) if len(text) == 1 else -1
    tens, _, ones = text.partition("十")
    return (_CN.index(tens) if tens else 1) * 10 + (_CN.index(ones) if ones else 0)


def cn_numeral(value: int) -> str:
    """Write 1 … 99 the Chinese way (3 → 三, 12 → 十二, 20 → 二十)."""
    tens, ones = divmod(value, 10)
    if not tens:
        return _CN[ones]
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def numeral_forms(name: str) -> set[str]:
    """Return the name with its first number written both ways (第三支部 / 第3支部)."""
    forms = {name}
    cn = _CN_NUMERAL.search(name)
    if cn and 0 < cn_number(cn.group(0)) < 100:
        forms.add(name[: cn.start()] + str(cn_number(cn.group(0))) + name[cn.end():])
    digits = _DIGITS.search(name)
    if digits and 0 < int(digits.group(0)) < 100:
        forms.add(name[: digits.start()] + cn_numeral(int(digits.group(0))) + name[digits.end():])
    return forms


def _government_names(place: str) -> set[str]:
    short = _PROVINCE_KIND.sub("", place)
    names = {place, f"{place}政府", f"{place}人民政府"}
    if len(short) >= 2:
        names |= {short, f"{short}政府", f"{short}省政府" if place.endswith("省") else short}
    return names


def _branch_names(unit: str) -> set[str]:
    """第三党支部 → 第三支部, 三支部, 三党支部; 宜东分公司机关党支部 → 宜东支部, 宜东党支部."""
    stem = unit.removesuffix("党支部")
    names = {f"{stem}支部"}
    number = re.search(r"第([一二三四五六七八九十]+|\d+)$", stem)
    if number:  # 宜东分公司第三党支部 → 第三党支部, 第三支部, 三支部
        names |= {f"第{number.group(1)}支部", f"第{number.group(1)}党支部",
                  f"{number.group(1)}支部", f"{number.group(1)}党支部"}
    for owner in _BRANCH_OWNERS:  # the nearest owner's two-character name: 宜东(分公司)
        head = re.search(r"([\u4e00-\u9fff]{2})" + owner, stem)
        if head:
            short = head.group(1)
            return names | {f"{short}支部", f"{short}党支部", f"{stem[head.start():]}党支部"}
    return names


# Kinds of institution an office drops when it names one (南开大学 → 南开, 协和医院 → 协和).
_INSTITUTIONS = ("大学", "学院", "医院", "中学", "小学", "研究院", "研究所", "学校")


def _institution_names(name: str) -> set[str]:
    committee = name.endswith("党委")
    base = name.removesuffix("党委")
    for kind in _INSTITUTIONS:
        short = base.removesuffix(kind)
        if short != base and len(short) >= 2 and not short.endswith(_INSTITUTIONS):
            return {short, f"{short}党委"} if committee else {short}
    return set()


def aliases_of(unit: str) -> set[str]:
    """Return the names a unit goes by (itself included), numerals written both ways."""
    unit = re.sub(r"^(?:中共|中国共产党)", "", unit.strip())
    names = {unit}
    if unit.endswith("委员会") and len(unit) > 5:
        names |= {unit.removesuffix("委员会") + "党委", unit.removesuffix("委员会")}
    if unit.endswith("人民政府"):
        names |= _government_names(unit.removesuffix("人民政府"))
    elif unit.endswith("政府") and len(unit) > 4:
        names |= _government_names(unit.removesuffix("政府"))
    if unit.endswith("党支部") and len(unit) > 3:
        names |= _branch_names(unit)
    for name in list(names):  # 南开大学(委员会) → 南开, 南开党委: the proper name alone
        names |= _institution_names(name)
    if "机关" in unit[1:-2]:  # 县直机关工委 → 县直工委
        names.add(unit.replace("机关", "", 1))
    out = {form for name in names for form in numeral_forms(name)}
    return {n for n in out if len(n) >= 2 and (n == unit or n not in _GENERIC)}


# Not 「两个支部」「各支部」, nor the slogan 「一支部一品牌」.
_NUMBERED_BRANCH = re.compile(
    r"(?<![个名两几多各每])第?[一二三四五六七八九十\d]{1,3}(?:党总支|党支部|支部)(?!一)")


def numbered_branch(text: str) -> str:
    """Return a numbered branch a text names (「第七党支部」), known to the library or not."""
    match = _NUMBERED_BRANCH.search(text.replace(" ", ""))
    return match.group(0) if match else ""


@cache
def _province_starts() -> frozenset[str]:
    """The characters a province's name starts with (``absent_place``'s first test)."""
    return frozenset(name[0] for name in _provinces() if name)


@cache
def _provinces() -> tuple[str, ...]:
    """Every name of a provincial-level division, longest first (data/provinces.txt)."""
    names = [w for line in read_lines("provinces.txt") for w in line.replace(":", " ").split()]
    return tuple(sorted(set(names), key=lambda n: (-len(n), n)))


def absent_place(text: str, reports: Sequence[Report]) -> str:
    """Return a province a text names that no government unit of the library is in, when the
    library holds a government's reports at all (「浙江」 among 24 other provinces); else ""."""
    # Most questions hold no character a province's name starts with: one set test, not a
    # substring test per name (every question asks).
    named = next((name for name in _provinces() if name in text), "") \
        if not _province_starts().isdisjoint(text) else ""
    if not named:
        return ""
    governments = _governments(reports)
    if not governments or any(u.startswith(named[:2]) for u in governments):
        return ""
    return named


def _governments(reports: Sequence[Report]) -> frozenset[str]:
    """Return the government units among the reports' units, worked out once per library
    (an engine's reports tuple): a walk of every report for each question naming a province."""
    last = _GOVERNMENTS.get(id(reports))
    if last is not None and last[0] is reports:
        return last[1]
    found = frozenset(u for u in (unit_of(r) for r in reports) if u.endswith("政府"))
    if isinstance(reports, tuple):  # immutable: the same object always holds the same reports
        _GOVERNMENTS.clear()
        _GOVERNMENTS[id(reports)] = (reports, found)
    return found


_GOVERNMENTS: dict[int, tuple[tuple[Report, ...], frozenset[str]]] = {}


def unit_of(report: Report) -> str:
    """Return a report's unit: the manifest's, else the one its title names."""
    return _unit(report.unit, report.title)


def _unit(unit: str, title: str) -> str:
    return unit or derive_unit(title)


NamedUnits = tuple[str, tuple[str, ...]]  # a name, and the units it may mean


class NamePairs(Sequence[NamedUnits]):
    """(name, units) pairs kept as one string of every name with where each ends, and each
    name's units as a number into the distinct units tuples.

    A library of 3×10⁴ units has ≈ 2.5×10⁵ names: a str object each was 22 MB of a
    10⁶-passage engine's memory (≈ 5 MB as one string), and a tuple per name more.
    """

    __slots__ = ("_text", "_ends", "_which", "_groups")

    def __init__(self, pairs: Iterable[NamedUnits]) -> None:
        listed = list(pairs)
        self._fill([name for name, _ in listed], [units for _, units in listed])

    @classmethod
    def columns(cls, names: Sequence[str], units: Sequence[tuple[str, ...]]) -> NamePairs:
        """Return the pairs of two parallel columns."""
        pairs = cls(())
        pairs._fill(names, units)
        return pairs

    def _fill(self, names: Sequence[str], units: Sequence[tuple[str, ...]]) -> None:
        number: dict[tuple[str, ...], int] = {}
        self._text = "".join(names)
        self._ends = array("l", accumulate(map(len, names)))
        self._which = array("i", [number.setdefault(these, len(number)) for these in units])
        self._groups = tuple(number)

    @classmethod
    def stored(cls, names: str, which: Iterable[int], groups: Iterable[tuple[str, ...]]
               ) -> NamePairs:
        """Return the pairs of names kept as one newline-ended string (``namestore.Stored``),
        without a str object made for each name."""
        pairs = cls(())
        codes = np.frombuffer(names.encode("utf-32-le", "surrogatepass"), np.uint32)
        breaks = np.flatnonzero(codes == ord("\n"))
        ends = np.append(breaks, len(codes)) - np.arange(len(breaks) + 1) if names else breaks
        pairs._text = names.replace("\n", "")
        pairs._ends = array("l", ends.tolist())
        pairs._which = array("i", which)
        pairs._groups = tuple(groups)
        return pairs

    def __len__(self) -> int:
        return len(self._which)

    @property
    def text(self) -> str:
        """Return every name joined, without separators (``ends`` says where each ends)."""
        return self._text

    @property
    def ends(self) -> array[int]:
        """Return where each name ends in ``text``."""
        return self._ends

    def name(self, i: int) -> str:
        """Return the name at place ``i``."""
        return self._text[self._ends[i - 1] if i else 0 : self._ends[i]]

    @property
    def names(self) -> tuple[str, ...]:
        """Return every name, in order (made anew on each call)."""
        return tuple(self.each_name())

    def each_name(self) -> Iterator[str]:
        """Yield every name in order, one str at a time."""
        # In C (slices, then the text's own indexing): a generator step a name was 0.1 s.
        return map(self._text.__getitem__, map(slice, chain((0,), self._ends), self._ends))

    @property
    def units(self) -> tuple[tuple[str, ...], ...]:
        """Return each name's units, in order."""
        return tuple(map(self._groups.__getitem__, self._which))

    @overload
    def __getitem__(self, i: int) -> NamedUnits: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[NamedUnits]: ...
    def __getitem__(self, i: int | slice) -> NamedUnits | Sequence[NamedUnits]:
        if isinstance(i, slice):
            return tuple(self.take(range(len(self))[i]))
        place = range(len(self))[i]  # an IndexError past the end, negative places counted back
        return self.name(place), self._groups[self._which[place]]

    def __iter__(self) -> Iterator[NamedUnits]:
        return zip(self.names, self.units, strict=True)

    def take(self, places: Iterable[int]) -> list[NamedUnits]:
        """Return the pairs at these places."""
        groups, which = self._groups, self._which
        return [(self.name(i), groups[which[i]]) for i in places]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NamePairs):
            return NotImplemented
        return (self._text == other._text and self._ends == other._ends
                and self.units == other.units)

    def __hash__(self) -> int:
        return hash((self._text, self.units))

    def __repr__(self) -> str:
        return f"NamePairs({len(self)} names)"


@dataclass(frozen=True, slots=True)
class UnitNames:
    """Every name of every unit in the library: name → units it may mean, longest first."""

    names: NamePairs
    # What the table hides and a change of the library needs (``namedelta.Learned.shared``).
    shared: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False,
                                                  repr=False)
    # Where a text's names are looked up (``NameLookup``), made with the table.
    lookup: NameLookup = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lookup", NameLookup(self.names))

    def find(self, text: str, blockers: Sequence[str] = ()
             ) -> tuple[list[tuple[str, tuple[str, ...]]], str]:
        """Return the (name, units) a text mentions, and the text with those names blanked."""
        # Blanking never makes a name appear: only the names the text holds can match.
        return find_in_order(self.names.take(self.lookup.places(text)), text, blockers)


class NameLookup:
    """The places of the names a text holds, found without a str object per name.

    Names are grouped by their first two characters (one for a one-character name), with the
    lengths each group has; a text's substrings of those starts and lengths are looked up by
    their hash in one sorted array (8 bytes a name), and a hit is checked against the name
    itself. The work follows the text, not the 2.5×10⁵ names of a large library.
    """

    __slots__ = ("_pairs", "_lengths", "_hashes", "_places")

    def __init__(self, pairs: NamePairs) -> None:
        self._pairs = pairs
        self._lengths = _lengths_by_start(pairs)
        # One name at a time: all 2.5×10⁵ as str objects at once left ≈ 20 MB of the heap behind.
        hashes = np.fromiter(map(hash, pairs.each_name()), np.int64, len(pairs))
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        self._places = order.astype(np.int32)

    def places(self, text: str) -> list[int]:
        """Return, in order, the places of the names that occur in ``text``."""
        end = len(text)
        found = list({text[i : i + size] for i in range(end)
                      for key in (text[i], text[i : i + 2])
                      for size in self._lengths.get(key, ()) if i + size <= end})
        if not found:
            return []
        wanted = np.fromiter(map(hash, found), np.int64, len(found))
        left = np.searchsorted(self._hashes, wanted, "left").tolist()
        right = np.searchsorted(self._hashes, wanted, "right").tolist()
        places = self._places
        return sorted(int(places[k]) for sub, a, b in zip(found, left, right, strict=True)
                      for k in range(a, b) if self._pairs.name(int(places[k])) == sub)


def _lengths_by_start(pairs: NamePairs) -> dict[str, tuple[int, ...]]:
    """Return the lengths of the names by their first two characters (one for a one-character
    name), from the code points in numpy: a Python step a name took 0.3 s at 2.5×10⁵ names."""
    if not len(pairs):
        return {}
    # A lone surrogate (an undecodable byte kept) is a code point like any other here.
    codes = np.frombuffer(pairs.text.encode("utf-32-le", "surrogatepass"),
                          np.uint32).astype(np.int64)
    ends = np.array(pairs.ends, np.int64)
    sizes = np.diff(ends, prepend=0)
    starts = ends - sizes
    second = np.where(sizes > 1, codes[np.minimum(starts + 1, len(codes) - 1)] + 1, 0)
    # A code point has 21 bits; a name's length fits the 20 below them.
    found: dict[str, list[int]] = {}
    for combined in np.unique((codes[starts] << 42) | (second << 20) | sizes).tolist():
        first, after = combined >> 42, (combined >> 20) & ((1 << 22) - 1)
        size = combined & ((1 << 20) - 1)
        found.setdefault(chr(first) + (chr(after - 1) if after else ""), []).append(size)
    return {key: tuple(sorted(sizes)) for key, sizes in found.items()}


def find_in_order(names: Iterable[tuple[str, tuple[str, ...]]], text: str,
                  blockers: Sequence[str] = ()
                  ) -> tuple[list[tuple[str, tuple[str, ...]]], str]:
    """Return the (name, units) among ``names`` a text mentions, and the text with those names
    blanked: each name in the given order, each occurrence blanked in turn (so a longer name
    listed first hides the shorter names inside it), never inside a blocker."""
    masked = text
    for blocker in blockers:
        masked = masked.replace(blocker, "\0" * len(blocker))
    found: list[tuple[str, tuple[str, ...]]] = []
    for name, units in names:
        while name in masked:
            at = masked.index(name)
            masked = masked[:at] + "\0" * len(name) + masked[at + len(name):]
            text = text[:at] + " " * len(name) + text[at + len(name):]
            found.append((name, units))
    return found, text


def build_names(pairs: Iterable[tuple[str, str]]) -> UnitNames:
    """Group (name, unit) pairs: a name that is some unit's own full name means that unit."""
    # Most names mean one unit: a bare string until a second unit comes (a list per name
    # was ≈ 20 MB more at the peak of learning 2.5×10⁵ names).
    table: dict[str, str | list[str]] = {}
    for name, unit in pairs:
        units = table.setdefault(name, unit)
        if isinstance(units, str):
            if units != unit:
                table[name] = [units, unit]
        elif unit not in units:
            units.append(unit)
    ordered = sorted(table, key=order_key)
    shared = {name: tuple(units) for name, units in table.items()
              if isinstance(units, list) and name in units}
    return UnitNames(NamePairs((name, _final_units(name, table[name])) for name in ordered),
                     shared=shared)


def _final_units(name: str, units: str | list[str]) -> tuple[str, ...]:
    """Return the units a name means: only the unit whose own full name it is, if any."""
    return (units,) if isinstance(units, str) else final_units(name, units)


def library_names(reports: Sequence[Report],
                  extras: Sequence[tuple[str, str]] = ()) -> UnitNames:
    """Learn every unit's names from the reports (cached per library), plus the extras."""
    last = _LAST.get(id(reports))
    if last is not None and last[0] is reports and last[1] == tuple(extras):
        return last[2]  # the engine's own tuple again: the same library (every question asks)
    key = tuple((r.report_id, r.unit, r.title) for r in reports)
    learned = _learned(key, tuple(extras), tuple(reports))
    if isinstance(reports, tuple):  # immutable: the same object always holds the same reports
        _LAST.clear()
        _LAST[id(reports)] = (reports, tuple(extras), learned)
    return learned


_LAST: dict[int, tuple[tuple[Report, ...], tuple[tuple[str, str], ...], UnitNames]] = {}


_CACHE: dict[tuple[object, ...], UnitNames] = {}
# The last library learned, what the next (an upload's) is worked out from.
_PREVIOUS: list[tuple[tuple[Key, ...], tuple[tuple[str, str], ...], UnitNames]] = []


def _learned(key: tuple[Key, ...], extras: tuple[tuple[str, str], ...],
             reports: tuple[Report, ...]) -> UnitNames:
    cached = _CACHE.get((key, extras))
    if cached is not None:
        return cached
    stored = load_names((key, extras))
    if stored is not None:
        learned = UnitNames(NamePairs.stored(stored.names, stored.which, stored.groups),
                            shared=stored.shared)
    else:
        learned = (_relearned(key, extras)
                   or build_names(chain(extras, _report_pairs(reports))))
        save_names((key, extras), learned.names.names, learned.names.units, learned.shared)
    if len(_CACHE) >= 4:
        _CACHE.clear()
    _CACHE[(key, extras)] = learned
    _PREVIOUS[:] = [(key, extras, learned)]
    return learned


def _relearned(key: tuple[Key, ...], extras: tuple[tuple[str, str], ...]) -> UnitNames | None:
    """Return the names worked out from the last library learned, when only a few of its
    reports came or went (``qa.language.namedelta``); else None."""
    if not _PREVIOUS or _PREVIOUS[0][1] != extras:
        return None
    old_key, _, old = _PREVIOUS[0]
    before = Learned(old_key, extras, old.names.names, old.names.units, old.shared)
    after = relearn(before, key, _key_unit, _key_names)
    if after is None:
        return None
    return UnitNames(NamePairs.columns(after.names, after.units), shared=after.shared)


def _key_unit(key: Key) -> str:
    """Return the unit of the report (id, unit, title) as ``unit_of``."""
    return _unit(key[1], key[2])


def _key_names(key: Key) -> Iterator[str]:
    unit = _key_unit(key)
    return _names_given(unit, key[2]) if unit else iter(())


def _names_given(unit: str, title: str) -> Iterator[str]:
    """Yield every name a report gives its unit (from the unit and from the title)."""
    given = {unit, derive_unit(title), *organisations([title])}
    for name in (n for n in given if n):
        yield from aliases_of(strip_years(name))


def _report_pairs(reports: Iterable[Report]) -> Iterator[tuple[str, str]]:
    """Yield (alias, unit) for every name each report's unit goes by, one report at a time."""
    for report in reports:
        unit = unit_of(report)
        if unit:
            yield from ((alias, unit) for alias in _names_given(unit, report.title))
