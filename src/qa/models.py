"""Frozen value types that flow through the core: Report → Section → Passage → Hit → Answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

Kind = Literal[
    "preamble", "work", "highlights", "rectification", "problems", "causes", "plans", "other"
]
Intent = Literal[
    "general", "figure", "name", "problems", "plans", "highlights", "causes", "rectification"
]

PATH_SEP = " › "
# What users read for each section kind (CLI, bot headers, notices).
KIND_NAMES: dict[str, str] = {
    "preamble": "前言",
    "work": "工作情况",
    "highlights": "亮点工作",
    "rectification": "问题整改",
    "problems": "存在问题",
    "causes": "原因分析",
    "plans": "下步计划",
    "other": "其他",  # 党课 outlines, 附件, 名词解释: neither work done nor plans
}
# One letter per kind: what a deferred report knows of its passages without loading them.
KIND_CODES: dict[str, str] = {
    "preamble": "p", "work": "w", "highlights": "h", "rectification": "r",
    "problems": "x", "causes": "c", "plans": "n",
    "other": "o",
}


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


@dataclass(frozen=True, slots=True, eq=False)
class Deferred:
    """A report body left in a store and read on each use: 10⁶ passages need not be in RAM.

    ``kinds`` has one ``KIND_CODES`` letter per passage, known without reading the body.
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

    @property
    def kind_codes(self) -> str:
        """Return one ``KIND_CODES`` letter per passage, without reading a deferred body."""
        body = self.body
        if isinstance(body, Deferred):
            return body.kinds
        return "".join(KIND_CODES[p.kind] for s in body for p in s.passages)

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

    @property
    def passage(self) -> Passage:
        """Return the quoted passage."""
        return self.hit.passage


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
