"""Section kinds by meaning: what a heading names, and what a lead-in paragraph turns the text to.

The cue phrases live in ``qa/data/section_cues.txt``. A heading is read as a whole: a problem
word that is the object of an action (「缩小差距」, 「解决群众急难愁盼问题」) names an achievement,
and plan nouns (任务, 安排 …) name a plans heading only at its end (「2025年重点任务」).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from qa.language import read_lines, shortcoming_spans
from qa.models import Kind

_KINDS: tuple[Kind, ...] = (
    "preamble", "work", "highlights", "rectification", "problems", "causes", "plans", "other"
)
# Kinds a lead-in paragraph may turn into problems or plans (never a problems part into plans;
# never the preamble, whose passages have no heading to file them under).
TURNABLE: tuple[Kind, ...] = ("work", "highlights", "rectification")
_PLAIN_ROLES = (
    "heading-end-plans", "acting-on", "opener", "vocative", "genre-other", "concession",
    "shortcoming",
)
_CLAUSE = re.compile(r"[，,；;。！!？?]")
# A paragraph of shortcomings: at least this many of its clauses, and this share, say one.
MIN_SHORTCOMING_CLAUSES = 4
SHORTCOMING_SHARE = 0.4
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、是]|[（(][^）)]{1,3}[）)]|\d{1,2}[、.．])"
)
_SHORT_HEADING = 12
_TRAILING = "。：:；;，, \u3000"
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# A five-year-plan period: 「“十四五”」, 「第十五个五年规划」.
_PERIOD = re.compile(r"十([一二三四五六七八九])(?:五|个五年)")
_DIGIT = "一二三四五六七八九"
# 「2020年，党支部将……」: a year, then what will be done in the first clause.
_FUTURE_OPENING = re.compile(
    r"^(?:(?:19|20)\d{2}年|明年|今后|下半年|下一年|新的一年)[，,][^，,。]{0,12}将"
)


@dataclass(frozen=True, slots=True)
class SectionCues:
    """The parsed cue lists: heading phrases per kind (in order) and the lead-in phrases."""

    heading: tuple[tuple[Kind, tuple[str, ...]], ...]
    end_plans: tuple[str, ...]
    acting_on: tuple[str, ...]
    lead: tuple[tuple[Kind, tuple[str, ...]], ...]
    openers: tuple[str, ...]
    vocatives: tuple[str, ...]
    genre_other: tuple[str, ...] = ()
    concessions: tuple[str, ...] = ()
    shortcomings: tuple[str, ...] = ()


def parse_cues(lines: list[str]) -> SectionCues:
    """Parse ``role: phrase …`` lines; an unknown role or kind is a ValueError."""
    heading: list[tuple[Kind, tuple[str, ...]]] = []
    lead: list[tuple[Kind, tuple[str, ...]]] = []
    plain: dict[str, tuple[str, ...]] = {}
    for line in lines:
        role, _, rest = line.partition(":")
        words = tuple(rest.split())
        prefix, _, kind = role.strip().partition("-")
        if prefix in ("heading", "lead") and kind in _KINDS and kind != "preamble":
            (heading if prefix == "heading" else lead).append((_as_kind(kind), words))
        elif role.strip() in _PLAIN_ROLES:
            plain[role.strip()] = words
        else:
            raise ValueError(f"section_cues.txt: unknown role {role!r}")
    return SectionCues(
        tuple(heading), plain.get("heading-end-plans", ()), plain.get("acting-on", ()),
        tuple(lead), plain.get("opener", ()), plain.get("vocative", ()),
        plain.get("genre-other", ()), plain.get("concession", ()),
        plain.get("shortcoming", ()),
    )


def _as_kind(name: str) -> Kind:
    for kind in _KINDS:
        if kind == name:
            return kind
    raise ValueError(name)


@cache
def cues() -> SectionCues:
    """Return the shipped cue lists (read once)."""
    return parse_cues(read_lines("section_cues.txt"))


def _names_problem(title: str, words: tuple[str, ...], acting_on: tuple[str, ...]) -> bool:
    title = _NUMBERING.sub("", title)
    for word in words:
        at = title.find(word)
        # A problems heading is short or ends on its problem noun (「存在的主要问题」); a long
        # task heading merely mentions one (「加强对苗头性、倾向性问题的督促提醒」).
        if at >= 0 and len(title) > _SHORT_HEADING and at + len(word) < len(title) - 4:
            continue
        while at >= 0:
            # 「缩小差距」, 「差距持续缩小」: the problem word is what was acted on.
            around = title[max(0, at - 8) : at] + "|" + title[at + len(word) : at + len(word) + 6]
            if not any(verb in around for verb in acting_on):
                return True
            at = title.find(word, at + 1)
    return False


@lru_cache(maxsize=4096)
def heading_kind(title: str) -> Kind | None:
    """Return the section kind a heading names, or None when it names none."""
    table = cues()
    bare = title.rstrip(_TRAILING)
    for kind, words in table.heading:
        if kind == "problems":
            hit = _names_problem(bare, words, table.acting_on)
        else:
            hit = any(word in bare for word in words)
        if kind == "plans":
            hit = hit or bare.endswith(table.end_plans)
        if hit:
            return kind
    return None


def _plans_outright(title: str) -> bool:
    """Tell whether a heading names plans by a plans phrase (下一步, 工作计划), not only by a
    task noun at its end (任务, 民生实事)."""
    return any(word in title for kind, words in cues().heading if kind == "plans"
               for word in words)


def lead_kind(paragraph: str) -> Kind | None:
    """Return the kind a lead-in paragraph turns the text to (problems or plans), or None.

    Plans: the paragraph opens with a plan cue (「下一步，」, 「明年，党支部将」), or says what
    will be done in its first clause (「学校党委将继续……」). Problems: a problem cue in its
    opening (「我们也清醒认识到……」). A work paragraph mentioning 「下一步」 deep inside stays work.
    """
    table = cues()
    for kind, words in table.lead:
        window = paragraph[:60] if kind == "problems" else paragraph[:12]
        if any(word in window for word in words):
            return kind
    if _FUTURE_OPENING.match(paragraph):
        return "plans"
    return None


def states_shortcomings(paragraph: str) -> bool:
    """Tell whether a paragraph is made of shortcomings, whatever opens it.

    「当前，……还需提速度扩总量……新兴产业尚未形成有效支撑……核心竞争力还不强……」: at least
    MIN_SHORTCOMING_CLAUSES clauses, and SHORTCOMING_SHARE of them, say what falls short (by
    grammar, 不强 · 不够 · 缺乏, or the reports' own words for it, 尚未 · 短板 · 滞后), and
    none of those acts on it (「补齐短板」 is a task).
    """
    table = cues()
    clauses = [c for c in _CLAUSE.split(paragraph) if len(c) >= 3]
    if len(clauses) < MIN_SHORTCOMING_CLAUSES:
        return False
    short = sum(1 for c in clauses if shortcoming_spans(c, table.shortcomings)
                and not any(verb in c for verb in table.acting_on))
    return short >= MIN_SHORTCOMING_CLAUSES and short >= SHORTCOMING_SHARE * len(clauses)


def concession_at(paragraph: str) -> int:
    """Return where a review paragraph turns to its shortcomings (「但也存在……」), or -1."""
    found = [at for at in map(paragraph.find, cues().concessions) if at > 0]
    if not found:
        return -1
    at = min(found)
    # 「……，看到了存在的不足」「……。我们清醒认识到」: the turn starts at the clause that says it.
    return max(paragraph.rfind(c, 0, at) for c in "，,；;。") + 1 if paragraph[at] != "但" else at


def opens_running_text(sentence: str) -> bool:
    """Tell whether a first sentence opens running text (a time, a speaker) rather than heads it."""
    table = cues()
    return sentence.startswith(table.openers + table.vocatives) or bool(
        _YEAR.match(sentence)
    ) or any(word in sentence for word in ("我们", "我省", "我市", "我校"))


def is_vocative(paragraph: str) -> bool:
    """Tell whether a paragraph addresses the audience (「各位代表，…」)."""
    return paragraph.startswith(cues().vocatives)


def heading_year(title: str) -> int:
    """Return the first year a heading names (「2025年工作回顾」 → 2025), or 0."""
    match = _YEAR.search(title)
    return int(match.group(1)) if match else 0


def heading_period(title: str) -> int:
    """Return the five-year-plan period a heading names (「“十五五”时期」 → 15), or 0."""
    match = _PERIOD.search(title)
    return 10 + _DIGIT.index(match.group(1)) + 1 if match else 0


def summary_year(title: str) -> int:
    """Return the year a work summary's title names (「机关党支部2018年度工作总结」 → 2018), or 0.

    A summary reviews that year: its 「2018年重点工作」 heading is what was done, not a plan
    (a 政府工作报告's 「2025年重点工作」 is its plan: its title is no 总结).
    """
    return heading_year(title) if "总结" in title else 0


def genre_kind(title: str) -> Kind:
    """Return the kind of a report's unmarked headings: work, or other for a 党课 or speech."""
    return "other" if any(word in title for word in cues().genre_other) else "work"


@dataclass(frozen=True, slots=True)
class Genre:
    """What a report's title tells its section kinds: the kind of unmarked headings, the year a
    work summary reviews, and the year a 政府工作报告 reviews (the one before its own: the 2026
    report is delivered in January 2026 and reviews 2025)."""

    default: Kind = "work"
    summary_year: int = 0
    review_year: int = 0


PLAIN = Genre()  # a report whose title tells nothing


def genre_of(title: str) -> Genre:
    """Return the genre a report's title gives (``Genre`` with defaults for an unknown one)."""
    year = heading_year(title)
    reviewed = year - 1 if year and "政府工作报告" in title else 0
    return Genre(genre_kind(title), summary_year(title), reviewed)


def period_start(period: int) -> int:
    """Return the first year of a five-year-plan period (14 → 2021, 15 → 2026), 0 before 六五."""
    return 1981 + 5 * (period - 6) if period >= 6 else 0


class KindTrail:
    """What the kind of the next heading depends on besides its words, carried down a report.

    ``top``: the kind a lead-in turned the top level to (a plan list after the last section);
    ``paragraph``: the kind a lead-in paragraph gave the text until the next heading.
    """

    def __init__(self, genre: Genre = PLAIN) -> None:
        self.default: Kind = genre.default
        self.summary_year = genre.summary_year
        self.top: Kind | None = None
        self.paragraph: Kind | None = None
        self.review_year = genre.review_year
        self.review_period = 0
        self.last_top: Kind | None = None

    def resolve(self, title: str, parent: Kind | None, explicit: Kind | None = None) -> Kind:
        """Return a heading's kind: its own words, else its parent's, else the report's course."""
        own = explicit or heading_kind(title)
        if own == "plans" and self.summary_year and heading_year(title) == self.summary_year:
            own = "work"  # 「一、2018年党支部重点工作」 in the 2018 summary: the year's work
        if parent is not None:
            if own == "plans" and parent == "work" and not _plans_outright(title):
                # 「着力办好民生实事」 inside 「2024年工作回顾」: a task's noun at the end of a
                # review's sub-head names what was done, not a plan.
                return parent
            # "work" is the weakest label: a named kind inside it (a highlights run) wins.
            return own if own is not None and parent == "work" else parent
        if own in (None, "work", "rectification") and self.top is not None:
            own = self.top  # a plan list after 「明年，…将」: 整改 there is planned
        if own in (None, "work") and self._later(title):
            own = "plans"  # 「二、2025年目标任务和主要工作」 after 「2024年工作回顾」
        kind = own or self._course(title)
        if kind == "work":
            self.review_year = max(self.review_year, heading_year(title))
            self.review_period = max(self.review_period, heading_period(title))
        self.last_top = kind
        return kind

    def _later(self, title: str) -> bool:
        """Tell whether a heading names a later year or plan period than the review did."""
        year, period = heading_year(title), heading_period(title)
        # 「二、“十五五”时期主要目标任务」 after 「一、2025年工作回顾」: a period that starts later.
        later = max(year, period_start(period))
        return bool(self.review_year and later > self.review_year) or bool(
            self.review_period and period > self.review_period
        )

    def _course(self, title: str) -> Kind:
        # A report reviews, then plans: anything after the plans began (政府自身建设) is plans.
        return "plans" if self.last_top == "plans" else self.default
