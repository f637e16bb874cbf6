"""Frozen value types that flow through the core: Report → Section → Passage → Hit → Answer."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, cast

Kind = Literal[
    "preamble", "work", "highlights", "rectification", "problems", "causes", "plans", "other"
]
Intent = Literal[
    "general", "figure", "name", "problems", "plans", "highlights", "causes", "rectification"
]

PATH_SEP = " › "


@dataclass(frozen=True, slots=True)
class SectionKind:
    """One kind of report section, as every part of the product names it."""

    kind: Kind
    name: str  # what users read (CLI, bot headers, notices): 存在问题
    short: str  # the preview's outline tag: 问题
    code: str  # one letter: what a deferred report knows of its passages without loading them
    asked: bool  # a question can ask for this kind ("有哪些问题"): it is also an Intent
    listed: bool  # front ends list it per report with a command of its own (/problems)


# The one registry of section kinds: understand, answers, the preview, the CLI and the bot read it.
SECTION_KINDS: tuple[SectionKind, ...] = (
    SectionKind("preamble", "前言", "前言", "p", asked=False, listed=False),
    SectionKind("work", "工作情况", "工作", "w", asked=False, listed=False),
    SectionKind("problems", "存在问题", "问题", "x", asked=True, listed=True),
    SectionKind("plans", "下步计划", "计划", "n", asked=True, listed=True),
    SectionKind("highlights", "亮点工作", "亮点", "h", asked=True, listed=True),
    SectionKind("causes", "原因分析", "原因", "c", asked=True, listed=False),
    SectionKind("rectification", "问题整改", "整改", "r", asked=True, listed=False),
    # 党课 outlines, 附件, 名词解释: neither work done nor plans
    SectionKind("other", "其他", "其他", "o", asked=False, listed=False),
)
KIND_NAMES: dict[str, str] = {k.kind: k.name for k in SECTION_KINDS}
KIND_CODES: dict[str, str] = {k.kind: k.code for k in SECTION_KINDS}
# The kinds front ends list per report with a command (problems, plans, highlights).
LISTED_KINDS: tuple[Kind, ...] = tuple(k.kind for k in SECTION_KINDS if k.listed)
# The kinds a question can ask for; each is also an Intent of that name.
ASKED_KINDS: tuple[Kind, ...] = tuple(k.kind for k in SECTION_KINDS if k.asked)


def intent_of_kind(kind: str) -> Intent | None:
    """Return the intent that asks for a section kind ("problems" → "problems"), or None."""
    return cast(Intent, kind) if kind in ASKED_KINDS else None


@dataclass(frozen=True, slots=True)
class Passage:
    """One retrievable unit: a paragraph or one enumerated item, with its section path."""

    passage_id: str
    report_id: str
    report_title: str
    section_path: tuple[str, ...]
    kind: Kind
    text: str
    label: str = ""  # item heading such as "一是理论学习常态化", empty for plain paragraphs

    @property
    def section(self) -> str:
        """Return the section path joined for display."""
        return PATH_SEP.join(self.section_path)


@dataclass(frozen=True, slots=True)
class Section:
    """A headed part of a report with the passages under it (sub-headings included)."""

    report_id: str
    index: int
    path: tuple[str, ...]
    kind: Kind
    passages: tuple[Passage, ...]

    @property
    def title(self) -> str:
        """Return the section's own heading."""
        return self.path[-1] if self.path else ""


class SectionStore(Protocol):
    """Where deferred report bodies live (``qa.parsecache.ParsedCache``)."""

    def sections(self, slot: int) -> tuple[Section, ...]:
        """Return the sections stored in a slot."""

    def passages(self, slot: int) -> tuple[Passage, ...]:
        """Return the passages stored in a slot, in document order."""

    def passage(self, slot: int, i: int) -> Passage:
        """Return passage i (0-based) stored in a slot."""

    def prefetch(self, slots: Sequence[int]) -> None:
        """Start reading the bodies in these slots: they are about to be used."""

    def item_codes(self, slot: int) -> str:
        """Return ``item_codes`` of the passages stored in a slot (without reading them)."""

    def covered(self, slot: int) -> str | None:
        """Return the year the report in a slot reviews (None: not known without reading it)."""


def section_item(passage: Passage) -> str:
    """Return the line a section overview shows for a passage: its top item heading."""
    if len(passage.section_path) > 1:
        return passage.section_path[1]
    return passage.label or passage.text[:40]


def overview_items(members: Sequence[Passage]) -> dict[str, Passage]:
    """Return the items a section overview lists, from the passages of one kind of section:
    each item's heading and its first passage, in document order.

    Items are the passages under the section's headings; else labelled items (a 「一是…」 list
    after a lead-in paragraph is filed at the top level), not the lead-in itself; else all.
    """
    items = ([p for p in members if len(p.section_path) > 1]
             or [p for p in members if p.label] or members)
    first: dict[str, Passage] = {}
    for passage in items:
        first.setdefault(section_item(passage), passage)
    return first


def item_codes(passages: Iterable[Passage]) -> str:
    """Return how many items each kind of section lists, as ``KIND_CODES`` letter and count
    per kind present ("x5n3": 5 problems, 3 plans): what a deferred report knows of its
    sections without loading them (「谁家列的问题最多」 ranks every report by it)."""
    by_kind: dict[str, list[Passage]] = {}
    for passage in passages:
        by_kind.setdefault(passage.kind, []).append(passage)
    return "".join(f"{KIND_CODES[kind]}{len(overview_items(members))}"
                   for kind, members in by_kind.items())


# A kind's count in ``item_codes``: its letter, then digits (no letter is a digit).
_ITEM_COUNT = {code: re.compile(code + r"(\d+)") for code in KIND_CODES.values()}


@dataclass(frozen=True, slots=True, eq=False)
class Deferred:
    """A report body left in a store and read on each use: 10⁶ passages need not be in RAM.

    ``kinds`` has one ``KIND_CODES`` letter per passage, known without reading the body (as
    the store knows its ``item_codes`` and the year it reviews).
    """

    store: SectionStore
    slot: int
    kinds: str


@dataclass(frozen=True, slots=True, eq=False)
class Report:
    """A parsed report: metadata plus its sections in document order.

    ``body`` is the sections themselves or, for a report from the parsed-report cache, where
    to read them (``Deferred``); ``sections`` and ``passages`` read either. ``key`` names the
    content the report was parsed from (file, manifest metadata, parser), "" when unknown;
    ``digest`` is that of its indexed texts (``qa.indexed``), "" until a cache stored it.
    Equality compares what the report says, however its body is held.
    """

    report_id: str
    title: str
    source_path: Path | None
    body: tuple[Section, ...] | Deferred
    unit: str = ""
    year: str = ""
    key: str = ""
    digest: str = ""

    @property
    def sections(self) -> tuple[Section, ...]:
        """Return the report's sections in document order (read from the store if deferred)."""
        body = self.body
        return body.store.sections(body.slot) if isinstance(body, Deferred) else body

    @property
    def passages(self) -> tuple[Passage, ...]:
        """Return every passage of the report in document order."""
        body = self.body
        if isinstance(body, Deferred):
            return body.store.passages(body.slot)
        return tuple(p for s in body for p in s.passages)

    def passage(self, i: int) -> Passage:
        """Return passage i (0-based); a deferred body builds only that one."""
        body = self.body
        return body.store.passage(body.slot, i) if isinstance(body, Deferred) else self.passages[i]

    def passages_of(self, kinds: Collection[str]) -> tuple[Passage, ...]:
        """Return the passages of these section kinds, in document order; a deferred body
        builds only those, found by its kind letters (a report's problems are a few rows)."""
        body = self.body
        if isinstance(body, Deferred):
            codes = {KIND_CODES[kind] for kind in kinds}
            wanted = [i for i, code in enumerate(body.kinds) if code in codes]
            if 2 * len(wanted) <= len(body.kinds):  # most of it: one decode of the whole
                return tuple(self.passage(i) for i in wanted)
        return tuple(p for p in self.passages if p.kind in kinds)

    @property
    def kind_codes(self) -> str:
        """Return one ``KIND_CODES`` letter per passage, without reading a deferred body."""
        body = self.body
        if isinstance(body, Deferred):
            return body.kinds
        return "".join(KIND_CODES[p.kind] for s in body for p in s.passages)

    @property
    def item_codes(self) -> str:
        """Return ``item_codes`` of the report's passages, without reading a deferred body."""
        body = self.body
        if isinstance(body, Deferred):
            return body.store.item_codes(body.slot)
        return item_codes(self.passages)

    def item_count(self, kind: str) -> int:
        """Return how many items the report's sections of a kind list (0 without one): the
        length of its section overview."""
        found = _ITEM_COUNT[KIND_CODES[kind]].search(self.item_codes)
        return int(found.group(1)) if found else 0

    @property
    def size(self) -> int:
        """Return how many passages the report has, without reading a deferred body."""
        body = self.body
        return len(body.kinds) if isinstance(body, Deferred) else sum(len(s.passages) for s in body)

    def _facts(self) -> tuple[object, ...]:
        return (self.report_id, self.title, self.source_path, self.sections, self.unit, self.year)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return self is other or self._facts() == other._facts()

    def __hash__(self) -> int:
        return hash((self.report_id, self.title, self.source_path, self.unit, self.year))


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked passage with its BM25 score and the query terms it contains."""

    passage: Passage
    score: float
    matched_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """The sentence(s) an answer quotes from one passage, with spans to highlight."""

    hit: Hit
    text: str
    spans: tuple[tuple[int, int], ...] = ()
    items: tuple[str, ...] = ()  # for section overviews: the item headings quoted in order
    item_hits: tuple[Hit, ...] = ()  # the passages behind ``items``, in the same order

    @property
    def passage(self) -> Passage:
        """Return the quoted passage."""
        return self.hit.passage

    @property
    def listed(self) -> tuple[Hit, ...]:
        """Return every passage this quote shows: its items' passages, else its own."""
        return self.item_hits or (self.hit,)

    @property
    def items_under(self) -> tuple[str, ...]:
        """Return the heading an item list sits under: none when its items are themselves
        the top level (a 「一是…」 plan list after the last section's lead-in)."""
        head = self.passage.section_path[:1]
        return () if head and head[0] in self.items else head


@dataclass(frozen=True, slots=True)
class Pairing:
    """A problem a report names, with the items that answer it.

    ``remedies`` are the same report's plan and 整改 items that address the problem, best
    first; ``later`` is what the same unit's next-year report says was done about it.
    """

    problem: Quote
    remedies: tuple[Quote, ...] = ()
    later: tuple[Quote, ...] = ()

    @property
    def quotes(self) -> tuple[Quote, ...]:
        """Return the problem, then its remedies, then the next year's account, as shown."""
        return (self.problem, *self.remedies, *self.later)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Something to try after "not found": a command (by registry name) or a section title.

    Front ends render it their own way: the bot as "/problems …", the CLI as "qa problems …".
    """

    kind: Literal["command", "section"]
    value: str  # the command name ("problems") or the section path


@dataclass(frozen=True, slots=True)
class Answer:
    """The core's reply to a question; "nothing found" is ``found=False``, not an exception."""

    question: str
    intent: Intent
    found: bool
    quotes: tuple[Quote, ...]
    hits: tuple[Hit, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    notice: str = ""  # e.g. the question was shortened
    keyword: str = ""
    lead: str = ""  # the fact in one line, shown before the quotes
    smalltalk: str = ""  # "greeting" / "thanks": a friendly reply, no search, no buttons
    scope: str = ""  # the reports the question named ("党组", "2022年"), for messages
    follows: str = ""  # the earlier question this one re-asked or expanded ("那002呢")
    # Problem → rectification listings: each problem with its answering items (``quotes``
    # holds the same quotes flattened, in the order shown).
    pairings: tuple[Pairing, ...] = ()
    # The question named only reports outside those the caller allowed (``scope`` says
    # which); front ends word the refusal their own way.
    outside: bool = False


def quoted_hits(answer: Answer) -> tuple[Hit, ...]:
    """Return every passage an answer's quotes show, in the order shown (outline items each)."""
    seen: dict[str, Hit] = {}
    for quote in answer.quotes:
        for hit in quote.listed:
            seen.setdefault(hit.passage.passage_id, hit)
    return tuple(seen.values())


def shown_hits(answer: Answer, k: int) -> tuple[Hit, ...]:
    """Return the passages an answer shows, then its further hits up to k in all."""
    quoted = quoted_hits(answer)
    ids = {h.passage.passage_id for h in quoted}
    rest = [h for h in answer.hits if h.passage.passage_id not in ids]
    return quoted + tuple(rest[: max(0, k - len(quoted))])


def index_text(passage: Passage) -> str:
    """Return what is indexed for a passage: its headings (minus its own label) and its text."""
    headings = passage.section_path[:-1] if passage.label else passage.section_path
    return " ".join((*headings, passage.text))


def texts_digest(passages: Iterable[Passage]) -> str:
    """Return a digest of the passages' indexed texts (boundaries included)."""
    digest = hashlib.blake2b(digest_size=16)
    for passage in passages:
        # Length-prefix each text so passage boundaries are part of the digest.
        encoded = index_text(passage).encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return digest.hexdigest()
