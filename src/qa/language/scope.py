"""Which reports a question names: by number (「003」「第五份报告」), by unit (any name the
library taught, qa.language.unitnames), by year (「2025年」 finds the report written in it and
the one that reviews it), by half year, by 今年 / 去年, or by a distinctive piece of a title."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from qa.models import Intent, Report

from .phrasefind import Phrases
from .text import parse_chinese_number
from .unitnames import absent_place, library_names, numbered_branch, unit_of
from .wordlists import Language
from .years import report_years

# 「2023年」「23年」, and 「2019上半年」: a four-digit year needs no 年 before a half year.
_YEAR = re.compile(r"(?<!\d)(20\d{2}|\d{2})\s*(?:年|(?<=\d{4})(?=[上下]半年))")
# "党龄50年", "满30年", "50年以上": a number of years is a duration, not a year.
_DURATION = re.compile(
    r"(?:龄|满|近|达|超过|连续|了|干了|工作)\s*(?:20\d{2}|\d{2})\s*年"
    r"|(?<!\d)(?:20\d{2}|\d{2})\s*年(?:以上|以来|来|多|余|左右|之久|间|内)"
)
# A year that names a report rather than the time asked about: "22年总结里", "25年那份报告",
# "2025年江苏省政府工作报告里" (a few words of the title may sit between).
_REPORT_YEAR = re.compile(
    r"(?<!\d)(20\d{2}|\d{2})\s*年度?(?:[的那这]?[份篇])?[^，,。？?！!、]{0,10}?"
    r"(?:报告|总结|通报|记录|清单)(?!会)"
)
_TITLE_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年")
_REPORT_ID = re.compile(r"(?<![\d.])(\d{3})(?![\d%％.名人个次项条家场期批篇万余多])")



@dataclass(frozen=True, slots=True)
class Scope:
    """The reports a question names (by number, unit or year); empty means all reports."""

    report_ids: tuple[str, ...] = ()
    label: str = ""  # what the question named, for messages: "党组", "2020年", "002"
    named: bool = False  # the question named a scope, even if no report matches it
    ask: str = ""  # a name that fits several units: the question to ask back
    years: tuple[int, ...] = ()  # the years the question named ("2023年度" → 2023)
    units: tuple[str, ...] = ()  # the units the question named, by their full names
    titled: tuple[int, ...] = ()  # of ``years``, those naming a report itself ("25年那份报告")

    @property
    def described(self) -> tuple[int, ...]:
        """The years whose figures are asked: named years that do not name a report."""
        return tuple(y for y in self.years if y not in self.titled)


def find_scope(
    text: str, reports: Sequence[Report], language: Language, intent: Intent,
    language_durations: bool = True, typed: str = "",
) -> tuple[Scope, str]:
    """Return the reports a question names and the question without the naming words.

    Units are named by any name learned from the library (qa/unitnames.py); a year finds the
    reports written in it and those that review it (a 2025 政府工作报告 reviews 2024).
    """
    original = text
    ids = _ids_named(text, reports)
    text = _REPORT_ID.sub(" ", text) if ids else text
    nth = _nth_report(text, reports)
    if nth == "":  # 「第九份报告」 in a library of five: say so, never answer from others
        said = _ORDINAL_REPORT.search(text)
        return Scope((), said.group(0) if said else "", True), text  # 「没有第九份的报告」
    if nth:  # 「第五份报告」: the fifth as the library lists them
        ids, text = [*ids, nth], _ORDINAL_REPORT.sub(" ", text)
    found, text = library_names(reports, language.unit_aliases).find(text, language.unit_blockers)
    units = list(dict.fromkeys(u for _, named in found for u in named))
    if language_durations:
        text = _DURATION.sub(lambda m: m.group(0).replace("年", "\0"), text)
    years = [_full_year(y) for y in _YEAR.findall(text)]
    # Read on the question as typed (``typed``): normalising drops 「报告里」 as filler.
    titled = {str(_full_year(y)) for y in _REPORT_YEAR.findall(typed or text)}
    titled &= {str(y) for y in years}
    text = (_YEAR.sub(" ", text) if years else text).replace("\0", "年")
    unknown = "" if units else (numbered_branch(text)
                                or absent_place(text, reports))
    if unknown:  # 「第七党支部」 with no such report: say so, never answer from others
        return Scope((), unknown, True), text.replace(unknown, " ")
    if not (ids or units or years):
        by_title, piece = reports_titled(text, reports)
        if by_title:  # 「四季度党课讲了哪几个方面」: the report whose title says 四季度党课
            return Scope(by_title, f"《…{piece}…》", True), \
                text.replace(" ", "").replace(piece, " ")
        return Scope(), text
    asked = {str(y) for y in years} - titled
    chosen = [r for r in _narrowed(reports, ids, units, titled, asked)
              if not ids or r.report_id in ids]
    names = [name for name, _ in found]
    chosen = [r for r in chosen if not units or unit_of(r) in units
              or (not unit_of(r) and any(name in r.title for name in names))]
    if titled:  # "22年那份总结": the year names the report itself
        chosen = [r for r in chosen if title_year(r) in titled]
    if asked:
        chosen = [r for r in chosen if _of_years(r, asked, intent)]
    chosen = _of_half(chosen, text, intent)
    if not years and _RELATIVE_YEAR.search(text):
        chosen = latest_of_each_unit(chosen)
    refs = list(dict.fromkeys(_REPORT_ID.findall(original))) if ids else []
    refs += [m.group(0) for m in _ORDINAL_REPORT.finditer(original)] if nth else []
    label = "、".join([*refs, *units, *(f"{y}年" for y in years)])
    unclear = [(name, named) for name, named in found if len(named) > 1]
    ask = _which_unit(unclear, chosen)
    return Scope(tuple(r.report_id for r in chosen), label, True, ask, tuple(years),
                 tuple(units), tuple(sorted(int(y) for y in titled))), text


# A title in pieces (「述往思来，感悟中国制度的强劲生命力（一季度党课）」); a piece of at least
# MIN_TITLE_PIECE characters found in at most MAX_TITLED reports' titles names them.
MIN_TITLE_PIECE = 5
MAX_TITLED = 2
_TITLE_BREAK = re.compile(r"[，,、；;：:（）()《》〈〉【】\[\]“”\"'‘’\s—–-]+")


def reports_titled(text: str, reports: Sequence[Report]) -> tuple[tuple[str, ...], str]:
    """Return the reports a question names by a distinctive piece of their title, and the
    piece; nothing and "" when it names none."""
    phrases, ids = _title_pieces(reports)
    found = phrases.found(text.replace(" ", ""))
    if not found:
        return (), ""
    named = tuple(dict.fromkeys(i for n in found for i in ids[n]))
    return named, max((phrases.phrases[n] for n in found), key=len)


_TITLED: dict[int, tuple[Sequence[Report], Phrases, list[tuple[str, ...]]]] = {}


def learn_titles(reports: Sequence[Report]) -> None:
    """Work out a library's distinctive title pieces and its look-up table of reports by id,
    unit and year now (its reports tuple; ≈ 0.1 s at 3.4×10⁴ reports), so the first question
    does not wait for them: every question looks them up."""
    _title_pieces(reports)
    _lookup(reports)


def _title_pieces(reports: Sequence[Report]) -> tuple[Phrases, list[tuple[str, ...]]]:
    """The distinctive title pieces of a library, bucketed for look-up, and the reports each
    names: worked out once per library (an engine's reports tuple)."""
    last = _TITLED.get(id(reports))
    if last is not None and last[0] is reports:
        return last[1], last[2]
    by_piece: dict[str, list[str]] = {}
    for report in reports:
        for piece in set(_TITLE_BREAK.split(report.title)):
            if len(piece) >= MIN_TITLE_PIECE and not _YEAR.search(piece):
                by_piece.setdefault(piece, []).append(report.report_id)
    kept = {p: tuple(ids) for p, ids in by_piece.items() if len(ids) <= MAX_TITLED}
    phrases, ids = Phrases(list(kept)), list(kept.values())
    if isinstance(reports, tuple):
        _TITLED.clear()
        _TITLED[id(reports)] = (reports, phrases, ids)
    return phrases, ids


def _of_years(report: Report, years: set[str], intent: Intent) -> bool:
    """A report is of a year it was written in or reviews; a plan for Y is made in the
    report of the year before, Y's problems rectified in the report of the year after. Only
    a report written the year after is read for the year it reviews (reading every report's
    opening would load every body)."""
    written = report.year
    if written in years or not written.isdigit():
        return written in years
    if intent == "plans":
        return str(int(written) + 1) in years
    if intent == "rectification":  # 2022's problems are rectified in 2023's report
        return str(int(written) - 1) in years
    return str(int(written) - 1) in years and report_years(report)[1] in years


_HALF = re.compile(r"([上下])半年")
# 「今年」「去年」 name no year: of a unit's reports, the latest speaks of them (a 2026
# 政府工作报告 reviews 去年 and plans 今年; a 党建 summary's 今年 is the latest one's).
_RELATIVE_YEAR = re.compile(r"今年|本年|去年|上一?年|过去一年")


def latest_of_each_unit(chosen: list[Report]) -> list[Report]:
    """Keep each unit's reports of its latest year (reports of no known year stay)."""
    latest: dict[str, str] = {}
    for report in chosen:
        if report.year.isdigit():
            unit = unit_of(report) or report.title
            latest[unit] = max(latest.get(unit, ""), report.year)
    return [r for r in chosen if not r.year.isdigit()
            or r.year == latest[unit_of(r) or r.title]]


def _of_half(chosen: list[Report], text: str, intent: Intent) -> list[Report]:
    """Narrow to the report of the half year a question names, when there is one.

    A 上半年 summary reviews the first half and plans the second: 「下半年准备咋干」 is
    answered there. Plans for a first half were made the year before: nothing to narrow.
    """
    match = _HALF.search(text)
    if match is None or (intent == "plans" and match.group(1) == "上"):
        return chosen
    half = "上半年" if intent == "plans" else match.group(0)
    return [r for r in chosen if half in r.title] or chosen


def title_year(report: Report) -> str:
    """Return the year a report's title names ("2022年度民主评议…" → 2022), else its year."""
    match = _TITLE_YEAR.search(report.title)
    return match.group(1) if match else report.year


def _which_unit(unclear: list[tuple[str, tuple[str, ...]]], chosen: list[Report]) -> str:
    """Ask back when a name fits several units that all have reports in scope."""
    present = {unit_of(r) for r in chosen}
    for name, units in unclear:
        fitting = [u for u in units if u in present]
        if len(fitting) > 1 and not _one_organisation(fitting):
            choices = "、".join(fitting)
            return f"「{name}」可能指：{choices}。请说明是哪一个单位，例如：{fitting[0]}……"
    return ""


def _one_organisation(units: Sequence[str]) -> bool:
    """Tell whether units are one organisation and its bodies (南开大学, 中共南开大学委员会):
    every name holds the shortest one."""
    shortest = min(units, key=len)
    return all(shortest in unit for unit in units)


def _ids_named(text: str, reports: Sequence[Report]) -> list[str]:
    out: list[str] = []
    table = _lookup(reports)
    for ref in _REPORT_ID.findall(text):
        if table is None:
            out.extend(r.report_id for r in reports if r.report_id.startswith(ref))
        else:
            out.extend(reports[i].report_id for i in table.starting(ref))
    return out


class _Lookup:
    """A library's reports by id, unit, year and title year, as places in the library's order.

    A question that names a unit or a year was scoped by testing every report several times
    (≈ 15 ms a question at 3.4×10⁴ reports); the look-ups find the few that can fit, and the
    same tests then choose among those. Keys are kept as their hashes (≈ 1 MB at 3.4×10⁴
    reports, not 9 MB of dicts and lists): two keys sharing a hash only add candidates.
    """

    def __init__(self, reports: Sequence[Report]) -> None:
        self.reports = reports
        order = sorted(range(len(reports)), key=lambda place: reports[place].report_id)
        self.ids = [reports[place].report_id for place in order]  # sorted, for prefixes
        self.id_places = np.array(order, dtype=np.int32)
        self.by_unit = _Hashed(unit_of(r) for r in reports)
        self.by_year = _Hashed(int(r.year) if r.year.isdigit() else -1 for r in reports)
        self.by_title_year = _Hashed(title_year(r) for r in reports)

    def starting(self, prefix: str) -> list[int]:
        """Return the places of the reports whose id starts with a prefix, in order."""
        at = end = bisect.bisect_left(self.ids, prefix)
        while end < len(self.ids) and self.ids[end].startswith(prefix):
            end += 1
        return sorted(int(place) for place in self.id_places[at:end])

    def named(self, report_id: str) -> list[int]:
        """Return the places of the reports with this very id."""
        at = bisect.bisect_left(self.ids, report_id)
        end = bisect.bisect_right(self.ids, report_id, lo=at)
        return [int(place) for place in self.id_places[at:end]]


class _Hashed:
    """Places by a key's hash: one array of hashes, sorted, and the places in that order."""

    def __init__(self, keys: Iterable[object]) -> None:
        hashes = np.fromiter((hash(k) for k in keys), dtype=np.int64)
        self.order = np.argsort(hashes, kind="stable").astype(np.int32)
        self.hashes = hashes[self.order]

    def places(self, key: object) -> list[int]:
        """Return the places whose key has the key's hash (its own among them)."""
        h = hash(key)
        first = int(np.searchsorted(self.hashes, h, side="left"))
        last = int(np.searchsorted(self.hashes, h, side="right"))
        return [int(p) for p in self.order[first:last]]


_LOOKUP: dict[int, _Lookup] = {}


def _lookup(reports: Sequence[Report]) -> _Lookup | None:
    """Return a library's look-up table, made once per library (an engine's reports tuple);
    None for any other sequence (then every report is tested)."""
    last = _LOOKUP.get(id(reports))
    if last is not None and last.reports is reports:
        return last
    if not isinstance(reports, tuple):
        return None
    table = _Lookup(reports)
    _LOOKUP.clear()
    _LOOKUP[id(reports)] = table
    return table


def _narrowed(reports: Sequence[Report], ids: Sequence[str], units: Sequence[str],
              titled: set[str], years: set[str]) -> Sequence[Report]:
    """Return, in library order, the reports that can pass ``find_scope``'s tests of ids,
    units, title years and years: a superset found by look-ups (a report of year Y - 1 or
    Y + 1 may speak of Y; one without a unit may name it in its title)."""
    table = _lookup(reports) if ids or units or titled or years else None
    if table is None:
        return reports
    kept: set[int] | None = None
    for places in (
        [p for i in ids for p in table.named(i)] if ids else None,
        [p for u in (*units, "") for p in table.by_unit.places(u)] if units else None,
        [p for y in titled for p in table.by_title_year.places(y)] if titled else None,
        [p for y in years for near in (int(y) - 1, int(y), int(y) + 1)
         for p in table.by_year.places(near)] if years else None,
    ):
        if places is not None:
            kept = set(places) if kept is None else kept & set(places)
    return [reports[p] for p in sorted(kept or ())]


# 「第五份报告」「第三篇总结」: 份 and 篇 count documents (第一个 counts a list's items).
_ORDINAL_REPORT = re.compile(r"第([一二两三四五六七八九十]{1,3}|\d{1,3})[份篇]")


def _nth_report(text: str, reports: Sequence[Report]) -> str | None:
    """Return the report a question names by its place in the library's list, "" when the
    library has no such place, None when the question names no place."""
    found = _ORDINAL_REPORT.search(text)
    if found is None:
        return None
    said = found.group(1)
    place = int(said) if said.isdigit() else parse_chinese_number(said)
    ordered = sorted(r.report_id for r in reports)
    return ordered[place - 1] if 0 < place <= len(ordered) else ""


def _full_year(year: str) -> int:
    return int(year) if len(year) == 4 else 2000 + int(year)
