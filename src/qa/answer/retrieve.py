"""Retrieval policy: candidates from the index, coverage of the question, sentence rerank.

Small pure functions over a ``Query``; the engine only orchestrates. Coverage decides "found":
the share of the question's information (``qa.weights``) that a passage holds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from qa.language import SCENE_WEIGHT, Background, Query, asks_done, split_sentences
from qa.models import Hit, Kind, Passage, Quote, Report
from qa.reports import PassageList
from qa.search import SearchIndex

from .prepared import MAX_FRAGMENT_CHARS as MAX_FRAGMENT_CHARS  # re-exported: moved there
from .prepared import (
    Prepared,
    PreparedCache,
    best_prepared_sentence,
    index_text_folded,
    prepare,
)
from .prepared import is_fragment as is_fragment  # re-exported: moved there
from .quotes import QueryTerms, SentenceScorer, Weigh, longest_terms, quote_hit

# Share of a question's information the best passage must hold to count as found.
MIN_COVERAGE = 0.45
# ... or this share when a question word reached the passage through the thesaurus: a
# paraphrase ("改了又犯" → 屡纠屡犯) is strong evidence though its other words are colloquial.
MIN_PARAPHRASE_COVERAGE = 0.25
# ... as when this many question words each reached the passage through a library neighbour.
MIN_NEIGHBOURED = 2
# Credit for a word matched only through what it stands for.
THESAURUS_CREDIT = 0.9
PART_CREDIT = 0.8
SUBWORD_CREDIT = 0.6
# A shared-character neighbour (写字楼 → 楼宇) is weak evidence: half a word.
NEIGHBOUR_CREDIT = 0.5
# A word the reports never use, by the share of its characters the passage holds (at least
# MIN_CHAR_SHARE of them): weaker evidence than a neighbour word.
CHAR_CREDIT = 0.5
MIN_CHAR_SHARE = 0.5
# A compound of at least this many characters is held loosely by a short span of the text
# holding this share of its characters in order, at most LOOSE_SLACK characters longer.
LOOSE_MIN_LEN = 4
LOOSE_MIN_SHARE = 0.75
LOOSE_SLACK = 2
# How much the best sentence (vs the whole passage's BM25) decides the final order.
SENTENCE_LEAN = 0.5
SENTENCE_LEAN_FIGURE = 0.8
# A cause word inside a topic question boosts causes sections instead of restricting to them.
# ... and a shortcoming described in a general question boosts problems and causes passages.
KIND_BOOST = 1.3
SHORTCOMING_KINDS = frozenset({"problems", "causes"})
COMPLAINT_CREDIT = 0.35
CANDIDATES = 30
# A heading this long quoted in a question names the section asked about.
MIN_QUOTED_HEADING = 6
_HEADING_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]?\s*")
# Year masks kept (one byte a passage each: 1 MB at 10⁶ passages).
MAX_DATED = 16
# How strongly coverage orders the candidates (1: a plain factor).
COVERAGE_POWER = 2


@lru_cache(maxsize=1024)
def _measure_after(said: str, number: str) -> str:
    """Return the character a question writes right after a number (年 of 「党龄50年」), or ""
    when none or not a Chinese one."""
    found = re.search(rf"(?<!\d){number}(?!\d)", said)  # 3 of 「3月」, not of 「23年」
    after = said[found.end(): found.end() + 1] if found else ""
    # A month or a day is a date, written many ways (「3月」, 「2023-03-10」): not a measure.
    return after if "\u4e00" <= after <= "\u9fff" and after not in "月日号" else ""


def word_credit(
    word: str, query: Query, matched: set[str], in_reports: bool = False, text: str = "",
    states_shortcoming: bool = False,
) -> float:
    """Return how much of one question word a passage holds (1 = the word itself).

    A compound the reports use (发展党员) is held by its parts only as far as one part
    reaches: a passage with 发展 here and 党员 there does not talk about 发展党员. A compound
    they never use is held by all its parts together (发展 + 党员 of 新发展党员).
    """
    if word.isdigit() and text:
        # 「党龄50年」: 50 is held by 「光荣在党50年」, not by 「一等奖50名」.
        measure = _measure_after(query.text, word)
        if measure:
            return 1.0 if word + measure in text else 0.0
    if word in matched or (len(word) > 1 and word in text):
        return 1.0  # in the text though jieba cut it otherwise (述职评议 in 述职评议会议)
    expansions = query.expansions.get(word, ())
    subwords = [w for w in expansions if w in word]
    if any(w in matched for w in expansions if w not in subwords):
        # gdp's 地区生产总值 is the word itself; a colloquial word's official one is near it.
        return 1.0 if word.isascii() else THESAURUS_CREDIT
    parts = [t for t in query.terms if t != word and t in word and t in matched]
    loose = loose_share(word, text) if in_reports and parts and len(word) >= LOOSE_MIN_LEN \
        else 0.0
    if loose >= LOOSE_MIN_SHARE:
        # 「粮食产量」 as the text's 「粮食总产」, 「发展党员」 as 「发展新党员」: the compound's
        # characters in order within a short span are the compound, abridged or split.
        return PART_CREDIT * loose
    if parts:
        # The share of the word's characters its matched parts cover (发展+党员 of 新发展党员).
        if in_reports:
            return PART_CREDIT * max(len(p) for p in parts) / len(word)
        covered: set[int] = set()
        for part in parts:
            start = word.find(part)
            covered.update(range(start, start + len(part)))
        return float(PART_CREDIT * len(covered) / len(word))
    if subwords:
        return SUBWORD_CREDIT * sum(1 for w in subwords if w in matched) / len(subwords)
    if any(w in matched for w in query.neighbours.get(word, ())):
        return NEIGHBOUR_CREDIT
    if states_shortcoming and word in query.complaint and not in_reports:
        # 「进来得太少」「太老套」: a complaint in words the reports never use is what a problems
        # passage says in its own (偏少, 较为传统). A complaint word they do use (不结合实际)
        # must be matched like any topic word. Half: what is short is still the question's.
        return COMPLAINT_CREDIT
    if not in_reports and len(word) > 1 and text:
        # A word the reports never use shares characters with their word for it (查出来 →
        # 查摆, 改完 → 整改, 上报 → 报送): the passage holding them holds some of it.
        share = sum(1 for c in word if c in text) / len(word)
        if share >= MIN_CHAR_SHARE:
            return CHAR_CREDIT * share
    return 0.0


def loose_share(word: str, text: str) -> float:
    """Return the largest share of a word's characters found in order in a short span of text.

    The span starts at the word's first character and is at most LOOSE_SLACK characters
    longer than the word (粮食产量 in 「粮食总产781.8亿斤」: 粮, 食, 产 → 0.75).
    """
    best = 0
    start = text.find(word[0])
    while start >= 0 and best < len(word):
        span, held, at = text[start : start + len(word) + LOOSE_SLACK], 0, 0
        for char in word:
            found = span.find(char, at)
            if found >= 0:
                held, at = held + 1, found + 1
        best = max(best, held)
        start = text.find(word[0], start + 1)
    return best / len(word)


def scene_weigh(weigh: Weigh, query: Query) -> Weigh:
    """Return ``weigh`` with the words that set the question's scene counted less."""
    if not query.scene:
        return weigh
    scene = frozenset(query.scene)
    return lambda word: weigh(word) * SCENE_WEIGHT if word in scene else weigh(word)


def coverage(
    query: Query, matched: Sequence[str], weigh: Weigh,
    known: Callable[[str], int] | None = None, text: str = "", states_shortcoming: bool = False,
) -> float:
    """Return the share of the question's information weight that the matched words hold.

    ``known`` is the index's document frequency (which words the reports use); ``text`` the
    passage as folded for matching; ``states_shortcoming`` whether it is a problems or causes
    passage (it holds the words a question complains with).
    """
    words = longest_terms(tuple(query.terms))
    used = tuple(bool(known and known(w)) for w in words)
    return covered(query, words, tuple(map(weigh, words)), used, matched, weigh, text,
                   states_shortcoming)


def covered(
    query: Query, words: Sequence[str], weights: Sequence[float], used: Sequence[bool],
    matched: Sequence[str], weigh: Weigh, text: str = "", states_shortcoming: bool = False,
) -> float:
    """Return ``coverage`` given the question's longest words, their weights and whether the
    reports use each: what depends only on the question, worked out once by ``Judge``."""
    if not sum(weights):
        return 0.0
    got = set(matched)
    held = total_weight = 0.0
    for word, weight, in_reports in zip(words, weights, used, strict=True):
        credit = word_credit(word, query, got, in_reports, text, states_shortcoming)
        if credit == THESAURUS_CREDIT:
            # A colloquial word that found its official counterpart carries its information.
            found = [weigh(x) for x in query.expansions.get(word, ()) if x in got and x not in word]
            weight = max([weight, *found])
        held += weight * credit
        total_weight += weight
    return held / total_weight


def borrowed(char: str, neighbour: str, known: Callable[[str], int]) -> bool:
    """Tell whether a neighbour holds a shared character only inside another word of its own:
    股 of 股票 in 一股绳 (一股), 情 of 行情 in 新情况 (情况), 村 of 村子 in 乡村振兴 (乡村)."""
    at, size = neighbour.find(char), len(neighbour)
    return any(known(neighbour[i:j]) for i in range(at + 1) for j in range(at + 1, size + 1)
               if j - i >= 2 and (i, j) != (0, size))


def neighboured(query: Query, got: set[str], text: str,
                known: Callable[[str], int] | None = None) -> int:
    """Count the question words a passage holds only through a library neighbour each, one
    holding the shared character as its own (乡村 for 村子), not inside another word."""
    if not query.neighbours:
        return 0  # most questions: every word is the library's own (read twice a candidate)

    def fits(word: str, neighbour: str) -> bool:
        shared = [c for c in word if c in neighbour]
        return not known or not all(borrowed(c, neighbour, known) for c in shared)

    return sum(1 for word in longest_terms(tuple(query.terms))
               if word not in got and word not in text
               and any(w in got and fits(word, w) for w in query.neighbours.get(word, ())))


def paraphrased(query: Query, matched: Sequence[str], text: str = "",
                known: Callable[[str], int] | None = None) -> bool:
    """Tell whether a question word reached the passage only through the thesaurus (or two
    through library neighbours)."""
    got = set(matched)
    if neighboured(query, got, text, known) >= MIN_NEIGHBOURED:
        return True
    for word in longest_terms(tuple(query.terms)):
        if word in got or word in text:
            continue
        if any(w in got for w in query.expansions.get(word, ()) if w not in word):
            return True
    return False


# A figure question asks what was done; a plans passage's number is a target ("力争达到338天").
TARGET_FACTOR = 0.6
# A plan passage for a question about last year (「去年」, not 「去年的计划」): last resort.
PAST_PLAN_FACTOR = 0.1
# A passage about a five-year period (「“十五五”时期…年均增长5%」) for a question naming one year
# (「2026年…目标」) that names neither that year nor 今年: the period's figure, not the year's.
PERIOD_FACTOR = 0.8
_PERIOD = re.compile(
    r"十[一二三四五六七八九]五”?\s*(?:时期|期间|规划|以来)|(?:过去|这|近)五年|五年来|年均")
# What a question's 今年 / 去年 is called in the passage that speaks of that one year.
_RELATIVE_NAMES = {"今年": ("今年",), "去年": ("去年", "过去一年", "全年")}
# A report's runner-up (by BM25) competes for its one row only if it is nearly as good a match.
RUNNER_UP_SHARE = 0.5
FRAGMENT_FACTOR = 0.01


def neighbours_meet(query: Query, got: set[str], text: str, known: Callable[[str], int]) -> bool:
    """Tell whether two question words reach one sentence, each through a library neighbour:
    「精准追责问责虚报公差费」 for 「出差补助弄虚作假的，有没有人被追究」 (公差, 追责)."""
    if neighboured(query, got, text, known) < MIN_NEIGHBOURED:
        return False
    return any(neighboured(query, {w for w in got if w in sentence}, sentence, known)
               >= MIN_NEIGHBOURED for sentence in split_sentences(text))


def holds_a_question_word(query: Query, matched: Sequence[str], text: str = "",
                          known: Callable[[str], int] | None = None) -> bool:
    """Tell whether a passage holds a question word itself or by the thesaurus.

    Library neighbours (股票 → 一股绳) and shared characters are weak evidence: they may
    raise a passage that holds the question, never make an answer of one that holds none
    of it, unless two meet in one sentence (``neighbours_meet``).
    """
    got = set(matched)
    if known and neighbours_meet(query, got, text, known):
        return True
    for word in query.terms:
        if word in got or (len(word) > 1 and word in text):
            return True
        if any(w in got for w in query.expansions.get(word, ())):
            return True
    return False


def fills_role(text: str, role: str) -> bool:
    """Tell whether a text says who holds a post (「党委书记任组长」, 「组长由校长担任」)."""
    return bool(role) and (f"任{role}" in text or f"{role}由" in text)


def answers_question(coverage: float, paraphrase: bool) -> bool:
    """Decide "found": enough of the question's information, less when paraphrased."""
    return coverage >= MIN_COVERAGE or (paraphrase and coverage >= MIN_PARAPHRASE_COVERAGE)


@dataclass(frozen=True, slots=True)
class Scored:
    """A hit with its coverage of the question, whether that answers it, and its best quote."""

    hit: Hit
    coverage: float
    quote: Quote
    answers: bool = False


def boosted_kinds(query: Query) -> frozenset[str]:
    """Return the section kinds a question leans to without asking for them outright."""
    if query.intent == "causes":
        return frozenset({"causes"})
    if query.deficiency and query.intent in ("general", "figure"):
        return SHORTCOMING_KINDS
    if query.planned and query.intent in ("figure", "general"):
        # 「GDP增长目标是多少」: a target is told in the plans (主要预期目标), not the review.
        return frozenset({"plans"})
    if query.which:
        # "哪几家开了民主生活会": what a unit did is told in its work sections, not its problems.
        return frozenset({"work", "highlights", "preamble"})
    return frozenset()


class Retriever:
    """Find and order the passages that answer a ``Query``."""

    def __init__(
        self,
        index: SearchIndex,
        passages: Sequence[Passage],
        reports: Sequence[Report],
        background: Background,
        fold: Callable[[str], str] = str.lower,
    ) -> None:
        self.index = index
        self.passages = passages
        self.fold = fold  # the segmenter's normaliser: width, case, traditional characters
        # Passage, folded text and sentences by position, once per passage (qa.answer.prepared).
        self.prepared = PreparedCache(passages, fold)
        self.background = background
        # Per-position report and kind from the reports' counts and kind letters: no passage
        # is read. One boolean mask per kind, built once: comparing per query is slow.
        listed = passages if isinstance(passages, PassageList) else PassageList(reports)
        self.report_of = listed.report_of
        self._report_pos = {r.report_id: i for i, r in enumerate(reports)}
        self.kind_masks: dict[str, npt.NDArray[np.bool_]] = listed.kind_masks()
        self._dated: dict[tuple[int, ...], npt.NDArray[np.bool_]] = {}

    def allowed(self, query: Query, kind: Kind | None = None) -> npt.NDArray[np.bool_] | None:
        """Return the passages a query may reach (its scope and section kind), None for all."""
        mask: npt.NDArray[np.bool_] | None = None
        if query.scope.report_ids:
            wanted = [self._report_pos[r] for r in query.scope.report_ids if r in self._report_pos]
            mask = np.isin(self.report_of, wanted)
            if query.scope.years and not query.scope.units and not query.report_dated:
                mask |= self.dated(query.scope.years)
        if kind is not None:
            by_kind = self.kind_masks.get(kind)
            if by_kind is None:
                by_kind = np.zeros(self.index.size, dtype=np.bool_)
            mask = by_kind if mask is None else mask & by_kind
        return mask

    def dated(self, years: Sequence[int]) -> npt.NDArray[np.bool_]:
        """Return the passages that state one of the years in their text.

        A year in a question dates a report or the event it asks about: a 2023 report tells
        of its 「2022年度基层党支部书记抓党建述职评议」, so those passages answer a 2022
        question as well as the reports of 2022 do.
        """
        key = tuple(years)
        mask = self._dated.get(key)
        if mask is None:  # one pass over the year's postings, kept: questions repeat years
            mask = np.asarray(self.index.scores([str(y) for y in key]) != 0, dtype=np.bool_)
            if len(self._dated) < MAX_DATED:
                self._dated[key] = mask
        return mask

    def folded_text(self, passage: Passage) -> str:
        """Return a passage's folded headings and text (for substring checks)."""
        return index_text_folded(passage, self.fold)

    def query_terms(self, query: Query) -> QueryTerms:
        """Return what sentence scoring needs from a query."""
        figure = query.intent == "figure"
        return QueryTerms(
            query.search_terms, query.terms, figure, query.unit, query.term_weights()
        )

    def search(
        self, query: Query, k: int, kind: Kind | None = None, per_report: bool = False
    ) -> list[Scored]:
        """Return up to k passages, best first, each with coverage and quote.

        ``per_report`` keeps only each report's best passage (section questions, "各单位").
        """
        terms = list(query.search_terms)
        if not terms:
            return []
        weights = query.term_weights()
        allowed = self.allowed(query, kind)
        many = max(k * 6, CANDIDATES)
        ranked = self.index.search(terms, many, allowed, weights)
        if per_report:
            # A report's best passage by BM25 need not be its best answer (a plan's target
            # over the figure achieved): the runners-up compete after blending, one kept each.
            best = self.index.search_per_group(terms, many, self.report_of, allowed, weights)
            bar = {self.report_of[r.position]: r.score * RUNNER_UP_SHARE for r in best}
            seen = {r.position for r in best}
            ranked = best + [r for r in ranked if r.position not in seen
                             and r.score >= bar.get(self.report_of[r.position], math.inf)]
        self.prepared.prefetch([r.position for r in ranked])
        rows = [Row(self.prepared.at(r.position), r.score, r.matched) for r in ranked]
        return self._rerank(query, rows, boosted_kinds(query) if kind is None else frozenset(),
                            k, per_report)

    def rerank(
        self, query: Query, hits: list[Hit], boosted: frozenset[str] = frozenset(),
        k: int | None = None, one_per_report: bool = False,
    ) -> list[Scored]:
        """Blend passage BM25 with how well the passage's best sentence answers.

        Figure questions lean on the sentence: the number sits in one sentence, not spread
        over a passage. Only the first ``k`` (all when None) are returned, and quoted.
        """
        rows = [Row(prepare(h.passage, self.fold), h.score, h.matched_terms) for h in hits]
        return self._rerank(query, rows, boosted, k, one_per_report)

    def _rerank(self, query: Query, rows: Sequence[Row], boosted: frozenset[str],
                k: int | None, one_per_report: bool) -> list[Scored]:
        """``rerank`` over prepared candidates; only the kept ones become hits and quotes."""
        if not rows:
            return []
        weigh: Weigh = cache(scene_weigh(self.background.weight, query))
        terms = self.query_terms(query)
        total = sum(terms.weight(t, weigh) for t in set(terms.terms)) or 1.0
        top = max(row.score for row in rows) or 1.0
        lean = SENTENCE_LEAN_FIGURE if terms.figure else SENTENCE_LEAN
        judge = Judge(query, weigh, self.index.doc_freq)
        scorer = SentenceScorer(terms, weigh)
        shape = Shape.of(query, terms.figure)
        touched = shape.kinds_touched(boosted)
        keyed = []
        every_word, held_all = judge.every_word, judge.held_all
        for i, row in enumerate(rows):
            at, best = best_prepared_sentence(row.prepared, scorer)
            # Most candidates hold every question word: the verdict's first case, read here.
            covered, ok = held_all if every_word.issubset(row.matched) else judge.verdict(
                row.matched, row.prepared.folded, row.prepared.passage.kind in SHORTCOMING_KINDS)
            # A passage holding less of the question ranks lower whatever its BM25.
            blend = (lean * best / total + (1 - lean) * row.score / top) * covered**COVERAGE_POWER
            if touched is None or row.prepared.passage.kind in touched or row.prepared.fragment:
                blend, ok = adjusted(blend, ok, row.prepared, shape, boosted)
            keyed.append((-blend, i, row, covered, ok, at))
        # By blend, then candidate order: (-blend, i) is unique, so the rest is never compared.
        keyed.sort()
        if one_per_report:
            firsts = {item[2].prepared.passage.report_id: item for item in reversed(keyed)}
            keyed = sorted(firsts.values(), key=lambda item: (item[0], item[1]))
        # Quoting (trimming, highlighting) is the costly part: only the kept ones are quoted.
        kept = [(Hit(row.prepared.passage, row.score, row.matched), covered, ok,
                 (at, list(row.prepared.sentences))) for _, _, row, covered, ok, at in keyed[:k]]
        return [Scored(hit, covered, quote_hit(hit, terms, weigh, chosen), ok)
                for hit, covered, ok, chosen in kept]


class Shape(NamedTuple):
    """What of a question's shape weighs its candidates, read once per question (the
    properties behind it are regular-expression searches)."""

    # A figure, which- or done-question (「今年搞了哪些活动」) not about plans: a target is no fact.
    targets_down: bool
    role: str  # the post a name question asks who holds (「谁当组长」 → 组长), or ""
    past: bool  # 「去年…」 and not 「去年的计划」: a plan is a last resort
    said: str  # the question as typed, folded and without spaces (a heading it quotes)
    years: tuple[str, ...]  # the years the question names, as written in reports (「2026」, 今年)
    # Whether the question quotes a heading of a section, by section path: this question's
    # thirty candidates share a few sections.
    quoted: dict[tuple[str, ...], bool]

    @classmethod
    def of(cls, query: Query, figure: bool) -> Shape:
        return cls((figure or query.which or asks_done(query.text)) and not query.planned,
                   query.asked_role if query.intent == "name" else "",
                   query.looks_back and not query.planned,
                   query.text.replace(" ", ""),
                   tuple(str(y) for y in query.scope.years)
                   or next((names for word, names in _RELATIVE_NAMES.items()
                            if word in query.text), ()),
                   {})

    def kinds_touched(self, boosted: frozenset[str]) -> frozenset[str] | None:
        """Return the section kinds whose blend ``adjusted`` changes when the question can
        pass none of its tests of a candidate's headings or text (then a candidate of another
        kind, not a fragment, keeps its blend: thirty calls a question spared); None when a
        test may pass."""
        if len(self.said) >= MIN_QUOTED_HEADING or self.role or self.years:
            return None
        return boosted | {"plans"} if self.targets_down or self.past else boosted

    def quotes_heading(self, path: tuple[str, ...]) -> bool:
        """Return ``quotes_heading(self.said, path)``, worked out once per section path."""
        found = self.quoted.get(path)
        if found is None:
            found = self.quoted[path] = quotes_heading(self.said, path)
        return found


def speaks_of_period(text: str, years: Sequence[str]) -> bool:
    """Tell whether a passage is about a five-year period rather than the year asked: it
    names a period (「“十五五”时期」「年均」) and neither the year nor 今年."""
    return bool(years) and _PERIOD.search(text) is not None and "今年" not in text \
        and not any(year in text for year in years)


def quotes_heading(said: str, path: Sequence[str]) -> bool:
    """Tell whether a question quotes one of a passage's headings (「2023年党建工作主要任务里面，
    执纪问责那块」): a heading of at least MIN_QUOTED_HEADING characters, numbering aside."""
    if len(said) < MIN_QUOTED_HEADING:
        return False  # too short to hold such a heading: no candidate's headings are read
    for heading in path:
        bare = _bare_heading(heading)
        if len(bare) >= MIN_QUOTED_HEADING and bare in said:
            return True
    return False


@lru_cache(maxsize=8192)
def _bare_heading(heading: str) -> str:
    """A heading without its numbering (「二、」「（三）」), cached: thirty candidates a question
    share a few sections."""
    return _HEADING_NUMBER.sub("", heading).rstrip("。：:")


def adjusted(blend: float, ok: bool, prepared: Prepared, shape: Shape,
             boosted: frozenset[str]) -> tuple[float, bool]:
    """Return a candidate's blend and "answers" after its section kind and shape count."""
    kind = prepared.passage.kind
    if kind in boosted:
        blend *= KIND_BOOST
    if shape.targets_down and kind == "plans":
        blend *= TARGET_FACTOR  # a plan's number is a target, not what was done
    # Both tests below are skipped, not run to False, when the question cannot pass them:
    # thirty candidates a question, each a call and a tuple hash saved.
    if len(shape.said) >= MIN_QUOTED_HEADING and shape.quotes_heading(
            prepared.passage.section_path):
        blend *= KIND_BOOST  # the asker names the section by its title
    if shape.role and fills_role(prepared.passage.text, shape.role):
        blend *= KIND_BOOST  # 「党委书记任组长」 answers 「谁当组长」
    if shape.past and kind == "plans":
        blend *= PAST_PLAN_FACTOR  # 「去年…」 asks what was done, a plan what will be
    if shape.years and speaks_of_period(prepared.passage.text, shape.years):
        blend *= PERIOD_FACTOR
    if prepared.fragment:  # last, and never the answer
        blend, ok = blend * FRAGMENT_FACTOR, False
    return blend, ok


class Row(NamedTuple):
    """A candidate from the index: its prepared passage, BM25 score and matched terms.

    A tuple, not a frozen dataclass: thirty are made per question, and a tuple is cheaper.
    """

    prepared: Prepared
    score: float
    matched: tuple[str, ...]


class Judge:
    """Coverage and "answers" of one question's candidates, its words worked out once."""

    def __init__(self, query: Query, weigh: Weigh, known: Callable[[str], int]) -> None:
        self.query, self.weigh, self.known = query, weigh, known
        self.words = longest_terms(tuple(query.terms))
        # What coverage() reads of each word, once per question rather than per candidate
        # (whether the reports use it: on the first candidate that needs it).
        self.weights = tuple(map(weigh, self.words))
        self.used: tuple[bool, ...] | None = None
        # What coverage() gives a passage matching every word: all credit, or no weight at all.
        self.full = 1.0 if sum(self.weights) else 0.0
        # Every word itself: full credit, none reached through the thesaurus, and (there being
        # a word) one held: what coverage, paraphrased and holds_a_question_word say.
        self.every_word = frozenset(self.words)
        self.held_all = (self.full, answers_question(self.full, False) and bool(self.words))

    def verdict(self, matched: tuple[str, ...], folded: str,
                states_shortcoming: bool = False) -> tuple[float, bool]:
        """Return a candidate's coverage and whether it answers the question."""
        if self.every_word.issubset(matched):
            return self.held_all
        if self.used is None:
            self.used = tuple(bool(self.known(w)) for w in self.words)
        share = covered(self.query, self.words, self.weights, self.used, matched, self.weigh,
                        folded, states_shortcoming)
        ok = answers_question(share, paraphrased(self.query, matched, folded, self.known))
        return share, ok and holds_a_question_word(self.query, matched, folded, self.known)
