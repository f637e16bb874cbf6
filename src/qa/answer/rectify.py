"""Problem → rectification: a report's problems, each with the plan and 整改 items answering it.

A problem and an item are paired by what they say in common: the information of their shared
words (the engine's word weights, ``qa.language.Background``, times the word's rarity among the
library's passages) as a share of both, a weighted cosine of two word sets. No word lists: the
reports' own words decide which plan item answers which problem.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import islice

from qa.language import Background, Query, asked_unit, drop_subterms
from qa.models import KIND_NAMES, Answer, Hit, Kind, Pairing, Passage, Quote, Report
from qa.search import SearchIndex

from .asked import has_fitting_count
from .compose import report_name
from .quotes import QueryTerms, Weigh, quote_hit
from .retrieve import Retriever, Scored

# The kinds whose items can answer a problem: what the report plans, and what it rectified.
REMEDY_KINDS: tuple[Kind, ...] = ("plans", "rectification")
# Where a next-year report tells what was done: its 整改 section, or its account of the work.
LATER_KINDS: tuple[Kind, ...] = ("rectification", "work", "highlights", "preamble")
# Below this score an item shares only the reports' everyday words with a problem.
MIN_PAIR = 0.05
# How much a heading in common adds to the words in common (each way).
HEADING_SHARE = 0.5
# Items scoring at least this share of the best one are listed beside it.
NEAR_BEST = 0.6
MAX_REMEDIES = 3
MAX_LATER = 2
# A listing pairs at most this many problems (the bot pages them, the CLI prints them).
MAX_PAIRINGS = 60
# The shared words an item is quoted and highlighted by, the most informative first.
MAX_SHARED = 8
MAX_WORDS_CACHED = 100_000
# Words whose pairing weight is remembered: a listing weighs the same few thousand words again
# for every problem and candidate (≈ 2×10⁵ weighings for /rectify at 10⁶ passages).
MAX_WEIGHED = 65_536
TOPIC_CHARS = 30
# Of the question's information, the share a problems passage must hold to be the problem named.
NAMED_PROBLEM_MIN = 0.5


def rarity(doc_freq: int, size: int) -> float:
    """Return how rare a word is among the library's passages: log(1 + N / (1 + df))."""
    return math.log(1 + size / (1 + doc_freq))


def pair_weigher(background: Background, index: SearchIndex) -> Weigh:
    """Return what a shared word is worth: its information in general Chinese × its rarity
    in the library (党建 and 工作 are in every report and pair nothing)."""
    # The background and the index are the engine's for its life: so is each word's weight.
    @lru_cache(maxsize=MAX_WEIGHED)
    def weigh(word: str) -> float:
        return background.weight(word) * rarity(index.doc_freq(word), index.size)
    return weigh


def _mass(words: Collection[str], weigh: Weigh) -> float:
    return sum(weigh(w) for w in words)


def overlap(a: Collection[str], b: Collection[str], weigh: Weigh) -> float:
    """Return the weighted cosine of two word sets: shared information over both sets'.

    A shared compound counts with its parts (党员教育管理 and 党员, 教育, 管理): one phrase
    in common says more than the same words apart.
    """
    shared = [w for w in a if w in b]
    if not shared:
        return 0.0
    both = _mass(a, weigh) * _mass(b, weigh)
    return _mass(shared, weigh) / math.sqrt(both) if both > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Wording:
    """What an item says, as words: all of them, and those of its own heading (its gist)."""

    words: frozenset[str]
    heading: frozenset[str] = frozenset()


def pair_score(problem: Wording, item: Wording, weigh: Weigh) -> float:
    """Return how well an item answers a problem: their words in common, and more when one's
    heading, the item's gist, is in the other ("党建活动还需创新" ↔ "创新活动载体")."""
    gist = overlap(problem.words, item.heading, weigh) + overlap(problem.heading, item.words, weigh)
    return overlap(problem.words, item.words, weigh) + HEADING_SHARE * gist


def heading(passage: Passage) -> str:
    """Return a passage's own item heading ("" for a plain paragraph)."""
    return passage.section_path[-1] if len(passage.section_path) > 1 else passage.label


def shared_words(a: Collection[str], b: Collection[str], weigh: Weigh) -> tuple[str, ...]:
    """Return the words two sets share, nested ones once, the most informative first."""
    shared = drop_subterms([w for w in a if w in b])
    return tuple(sorted(shared, key=lambda w: (-weigh(w), w))[:MAX_SHARED])


def pick(scored: Sequence[tuple[float, Passage]], limit: int) -> list[tuple[float, Passage]]:
    """Keep the items that address a problem: above the floor and near the best, best first."""
    ranked = sorted(scored, key=lambda pair: -pair[0])  # stable: ties keep document order
    if not ranked or ranked[0][0] < MIN_PAIR:
        return []
    floor = max(MIN_PAIR, ranked[0][0] * NEAR_BEST)
    return [pair for pair in ranked if pair[0] >= floor][:limit]


def own_text(passage: Passage) -> str:
    """Return a passage's item headings (below its section's) and its text: what it says."""
    return " ".join((*passage.section_path[1:], passage.text))


def problem_topic(quote: Quote) -> str:
    """Return how a lead names a problem: its item heading, else its quoted sentence, short."""
    path = quote.passage.section_path
    text = path[-1] if len(path) > 1 else quote.text
    return text if len(text) <= TOPIC_CHARS else text[:TOPIC_CHARS] + "…"


NEXT_YEAR = "次年报告"


def answering_order(pairing: Pairing, asked: Kind | None) -> list[tuple[str, Quote]]:
    """Return a problem's answering items, each with where it comes from, as a question
    reads them: a plans question the plan first; a 整改 question what was rectified (this
    report's, then the next year's)."""
    plans = [(KIND_NAMES[q.passage.kind], q) for q in pairing.remedies if q.passage.kind == "plans"]
    done = [(KIND_NAMES[q.passage.kind], q) for q in pairing.remedies if q.passage.kind != "plans"]
    later = [(NEXT_YEAR, q) for q in pairing.later]
    return plans + done + later if asked == "plans" else done + later + plans


def named_lead(name: str, topic: str, answering: Sequence[tuple[str, Quote]]) -> str:
    """Return the lead of a named problem's answer: where its answering items are, in order."""
    counts = dict.fromkeys((label for label, _ in answering), 0)
    for label, _ in answering:
        counts[label] += 1
    parts = [f"{label}记有 {n} 条落实情况" if label == NEXT_YEAR else f"{label}中有 {n} 条对应条目"
             for label, n in counts.items()]
    return f"针对{name}提出的「{topic}」，" + "；".join(parts)


class Rectifier:
    """Pair problems with the items that answer them, within one library."""

    def __init__(self, retriever: Retriever, reports: Sequence[Report],
                 tokens: Callable[[str], list[str]], weigh: Weigh) -> None:
        self.retriever = retriever
        self.reports = tuple(reports)
        self._by_id = {r.report_id: r for r in self.reports}
        self.tokens = tokens
        self.weigh = weigh
        self._words: dict[str, frozenset[str]] = {}

    @cached_property
    def _by_unit_year(self) -> dict[tuple[str, str], tuple[Report, ...]]:
        """Return each unit's reports by year, in library order: made on the first listing, not
        at start (a scan of every report per problem took ≈ 0.2 s of /rectify at 10⁶)."""
        found: dict[tuple[str, str], list[Report]] = {}
        for report in self.reports:
            found.setdefault((report.unit, report.year), []).append(report)
        return {key: tuple(reports) for key, reports in found.items()}

    def words(self, text: str) -> frozenset[str]:
        """Return the words of a text (cached: a listing pairs each item many times)."""
        found = self._words.get(text)
        if found is None:
            found = frozenset(self.tokens(text))
            if len(self._words) < MAX_WORDS_CACHED:
                self._words[text] = found
        return found

    def next_reports(self, report: Report) -> list[Report]:
        """Return the same unit's reports of the following year (where its 整改 is told)."""
        if not report.unit or not report.year.isdigit():
            return []
        return list(self._by_unit_year.get((report.unit, str(int(report.year) + 1)), ()))

    def wording(self, passage: Passage) -> Wording:
        """Return what a passage says as words, and its heading's words."""
        return Wording(self.words(own_text(passage)), self.words(heading(passage)))

    def quotes_for(self, focus: Wording, candidates: Sequence[Passage],
                   limit: int) -> tuple[Quote, ...]:
        """Quote the candidates that answer a problem, best first."""
        scored = [(pair_score(focus, self.wording(p), self.weigh), p) for p in candidates]
        quotes = []
        for score, passage in pick(scored, limit):
            shared = shared_words(focus.words, self.words(own_text(passage)), self.weigh)
            quotes.append(quote_hit(Hit(passage, score, shared), QueryTerms(shared), self.weigh))
        return tuple(quotes)

    def pairing(self, problem: Quote, focus: Wording) -> Pairing:
        """Pair a problem with its report's plan and 整改 items and the next year's account."""
        report = self._by_id[problem.hit.passage.report_id]
        remedies = list(report.passages_of(REMEDY_KINDS))
        later = [p for r in self.next_reports(report) for p in r.passages_of(LATER_KINDS)]
        return Pairing(problem, self.quotes_for(focus, remedies, MAX_REMEDIES),
                       self.quotes_for(focus, later, MAX_LATER))

    def named_problem(self, query: Query) -> Scored | None:
        """Return the problem a plan or 整改 question names ("…内训少，后面打算怎么解决").

        A question names a problem when its words fit a problems passage, and fit it better
        than any passage of the section it asks for ("计划里关于理论学习的" is about the plan).
        """
        if query.kind not in REMEDY_KINDS or not query.terms:
            return None
        described = dataclasses.replace(query, terms=query.told) if query.told else query
        found = self.retriever.search(described, 1, "problems")
        # The problem must be the one named: a passage holding only the question's lighter
        # words (老百姓 of 「老百姓看病难」) is another problem.
        if not found or not found[0].answers or found[0].coverage < NAMED_PROBLEM_MIN:
            return None
        rival = self.retriever.search(query, 1, query.kind)
        if rival and rival[0].answers and rival[0].coverage >= found[0].coverage:
            return None
        return found[0]

    def named(self, query: Query, problem: Scored, notice: str) -> Answer | None:
        """Answer a named problem: the items that address it, then the problem as cited.

        A question asking how many ("…内训少，整改了多少次") is answered only by items that
        state such a count, first; None when none does (the count is searched for instead).
        """
        # The sentence the question named, not the whole passage (it may list several ills).
        said = self.words(problem.quote.text) | frozenset(problem.hit.matched_terms)
        focus = Wording(said, self.words(heading(problem.hit.passage)))
        pairing = self.pairing(problem.quote, focus)
        question = query.question or query.text
        answering = answering_order(pairing, query.kind)
        unit = asked_unit(query.text)
        if unit:
            counted = [item for item in answering if has_fitting_count(item[1].text, unit)]
            if not counted:
                return None
            answering = counted + [item for item in answering if item not in counted]
        report = self._by_id[problem.hit.passage.report_id]
        topic = problem_topic(problem.quote)
        if not answering:
            why = (f"{report_name(report)}提出了「{topic}」这个问题，但报告的计划和整改中"
                   "没有与它直接对应的条目。问题原文：")
            return Answer(question, query.intent, False, (problem.quote,), (), (), why + notice,
                          scope=query.scope.label)
        lead = named_lead(report_name(report), topic, answering)
        quotes = (*(q for _, q in answering), problem.quote)
        # The answer leads with what was asked (the items); the problem follows as cited.
        return Answer(question, query.intent, True, quotes, tuple(q.hit for q in quotes), (),
                      notice, lead=lead, scope=query.scope.label)

    def told_in_text(self, query: Query, kind: Kind, k: int) -> list[Scored]:
        """Return the scoped reports' passages that speak of a section kind in their text:
        a report without a 「问题整改」 heading may tell its 整改 in its account of the work.

        They must hold the most telling single word of the kind's name (整改 of 问题整改).
        """
        words = list(dict.fromkeys(self.tokens(KIND_NAMES[kind])))
        atoms = [w for w in words if not any(o != w and o in w for o in words)]
        if not atoms:
            return []
        key = max(atoms, key=self.weigh)
        named = dataclasses.replace(query, terms=tuple(words), expansions={}, intent="general",
                                    which=False)
        return [s for s in self.retriever.search(named, k) if key in s.hit.matched_terms]

    def problems(self, query: Query, topic: Sequence[str]) -> list[Quote]:
        """Return the problems a listing pairs: those about the topic, or all in scope."""
        if topic:
            narrowed = dataclasses.replace(query, terms=tuple(topic))
            rows = self.retriever.search(narrowed, MAX_PAIRINGS, "problems")
            return [row.quote for row in rows if row.answers]
        wanted = set(query.scope.report_ids)
        chosen = [r for r in self.reports if not wanted or r.report_id in wanted]
        plain = QueryTerms(())
        # The first few in report order: a library's every problem is neither read nor quoted.
        first = islice((p for r in chosen for p in r.passages_of(("problems",))), MAX_PAIRINGS)
        return [quote_hit(Hit(p, 0.0, ()), plain, self.weigh) for p in first]

    def listing(self, query: Query, topic: Sequence[str], notice: str) -> Answer:
        """List the problems in scope (or about the topic), each with the items answering it."""
        pairings = tuple(self.pairing(q, self.wording(q.passage))
                         for q in self.problems(query, topic))
        question = query.question or KIND_NAMES["rectification"]
        if not pairings:
            where = f"{query.scope.label}的报告" if query.scope.named else "报告"
            about = f"与「{'、'.join(topic)}」相关的" if topic else ""
            why = f"{where}中没有{about}「{KIND_NAMES['problems']}」。"
            return Answer(question, "rectification", False, (), notice=why + notice,
                          scope=query.scope.label)
        answered = sum(1 for p in pairings if p.remedies or p.later)
        lead = f"共 {len(pairings)} 个问题，其中 {answered} 个在计划或整改中有对应条目"
        quotes = tuple(q for p in pairings for q in p.quotes)
        return Answer(question, "rectification", True, quotes, tuple(q.hit for q in quotes), (),
                      notice, "".join(topic), lead, scope=query.scope.label, pairings=pairings)
