"""Question understanding: normalise → small talk → intent → scope → weighted terms → ``Query``."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

from qa.models import ASKED_KINDS, Intent, Kind, Report

from .normalize import normalize_question
from .phrasefind import Phrases, all_phrases_of, first_group, phrases_of
from .scope import Scope, find_scope
from .settings import LanguageSettings
from .shapes import (
    asked_bar,
    asked_ordinal,
    asked_role,
    asked_unit,
    asks_units,
    asks_who_is_ahead,
    counted_doing,
    counted_noun,
    doer_asked,
    is_amount_noun,
    is_past_word,
    items_asked,
    items_counted,
    looks_back,
    measured_attribute,
    report_dated,
)
from .shortcoming import complaint_words, shortcoming_spans
from .synonyms import load_cilin
from .text import drop_subterms
from .tokenizer import Tokenizer
from .wordlists import Language, load_language
from .years import trend_asked

# Expanded words (thesaurus, compounds' parts) count this much of the word they stand for.
EXPANSION_WEIGHT = 0.5
SUBWORD_WEIGHT = 0.35
NEIGHBOUR_WEIGHT = 0.3
# Words that set the scene (「民主评议的时候」) count this much of a topic word.
SCENE_WEIGHT = 0.4


@dataclass(frozen=True, slots=True)
class Query:
    """A question understood: what it asks, about what, where, and how much each word weighs."""

    question: str
    text: str
    intent: Intent
    terms: tuple[str, ...] = ()  # topic words as segmented (compounds and their parts)
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scope: Scope = Scope()
    which: bool = False  # "哪个单位 / 各单位 / 分别 / 最多": one line per report
    unit: str = ""  # the measure word a figure question asks for ("多少名" → "名")
    smalltalk: str = ""
    deficiency: bool = False  # describes a shortcoming ("很少", "不够"): problems passages first
    # The words that make the complaint (「进来得太少」 → 得太少): a passage stating a shortcoming
    # holds them whatever its own words for it (qa.language.shortcoming).
    complaint: tuple[str, ...] = ()
    trend: int = 0  # "近三年/历年": one unit's figure by year (-1 every year, N the latest N)
    # Library words sharing a character with a word the reports never use (写字楼 → 楼宇):
    # weak evidence, searched at NEIGHBOUR_WEIGHT and credited less than a thesaurus entry.
    neighbours: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The attribute a figure question measures ("面积有多大" → 面积): the number must be of it.
    measured: str = ""
    planned: bool = False  # names a plan or the future ("明年计划发展多少"): targets answer it
    # In a plan or 整改 question, the words of the clauses that describe a problem rather than
    # ask for the remedy ("党建活动创新不够，下一步有没有针对性的措施" → 活动, 创新, 不够).
    told: tuple[str, ...] = ()
    # A which-question counting a section's items (「谁家列的问题最多」): that section kind.
    counted_kind: Kind | None = None
    # Words dropped as question words (目标, 任务, 经验): what a question that named a report
    # and nothing else may still be about (「海南2025年的主要目标」).
    spare: tuple[str, ...] = ()
    # The field of a meeting record the question asks for ("在哪开的" → 地点), if any. (Not
    # named ``field``: that would hide dataclasses.field from the fields declared after it.)
    asked_field: str = ""
    # The amount the counts must reach (「超过100万人」 → 1000000), 0 when none is asked, and
    # what the count is of (「城镇新增就业」).
    at_least: float = 0.0
    counted: str = ""
    # The words of a phrase that sets the scene before what is asked (「民主评议的时候」,
    # 「组织生活会上」): they place the answer, they are not what it is about (SCENE_WEIGHT).
    scene: tuple[str, ...] = ()
    # What search_terms and term_weights derive from the fields above, worked out on first use:
    # a question reads them several times (retrieve, compose). Not a field of the value:
    # ``dataclasses.replace`` starts a fresh one, so a changed query never reads stale terms.
    _derived: dict[str, object] = field(default_factory=dict, init=False, repr=False,
                                        compare=False)

    @property
    def kind(self) -> Kind | None:
        """Return the section kind the question asks about, if any."""
        return next((k for k in ASKED_KINDS if k == self.intent), None)

    @property
    def items_asked(self) -> bool:
        """Tell whether the question asks for a list's items ("提了哪几个坚持", "分哪几条")."""
        return items_asked(self.text)

    @property
    def ordinal(self) -> tuple[int, str]:
        """Return the place an item is asked by and what the items are (「第一个表率」)."""
        return asked_ordinal(self.text)

    @property
    def looks_back(self) -> bool:
        """Tell whether the question asks about last year (「去年」): what was done, not planned."""
        return looks_back(self.text)

    @property
    def report_dated(self) -> bool:
        """Tell whether the question's year dates a report (「2025年报告里」), not an event."""
        return report_dated(self.question)

    @property
    def asked_role(self) -> str:
        """Return the post a name question asks who holds (「整改领导小组谁当组长」 → 组长)."""
        return asked_role(self.text)

    @property
    def doer_asked(self) -> bool:
        """Tell whether a name question asks who did a thing (「展览是谁办的」)."""
        return doer_asked(self.text)

    @property
    def items_counted(self) -> bool:
        """Tell whether the question counts a list's items ("哪几件事", "几个狠抓分别")."""
        return items_counted(self.text)

    @property
    def search_terms(self) -> tuple[str, ...]:
        """Return the topic words and every expansion, each once."""
        found = self._derived.get("search_terms")
        if found is None:
            out = dict.fromkeys(self.terms)
            for term in self.terms:
                out.update(dict.fromkeys(self.expansions.get(term, ())))
                out.update(dict.fromkeys(self.neighbours.get(term, ())))
            found = self._derived["search_terms"] = tuple(out)
        return cast(tuple[str, ...], found)

    def term_weights(self) -> dict[str, float]:
        """Return BM25 weights: 1 for the question's words, less for what they expanded to."""
        found = self._derived.get("term_weights")
        if found is None:
            weights = {t: NEIGHBOUR_WEIGHT for t in self.search_terms}
            weights.update({t: EXPANSION_WEIGHT for ts in self.expansions.values() for t in ts})
            # A Latin abbreviation's full forms (gdp → 地区生产总值) are the same word, spelled
            # as the reports spell it: they weigh as the question's own.
            weights.update({t: 1.0 for w, ts in self.expansions.items() if w.isascii() for t in ts})
            weights.update(dict.fromkeys(self.terms, 1.0))
            weights.update(dict.fromkeys(self.scene, SCENE_WEIGHT))
            found = self._derived["term_weights"] = weights
        return dict(cast(dict[str, float], found))  # a copy: the caller may change its own

# A demonstrative pointing at a unit or a report after a description ("搞七个铁腕整治那家",
# "评五星支部那个县直机关工委"): the description names the unit.
# 那个 points at a unit when a kind of organisation follows it (那个省, 那个党支部, 那个公司).
_UNIT_KINDS = (r"(?:单位|部门|工委|党委|党组|机关|县直|支部|省|市|县|区|公司|集团|局|"
               r"学校|大学|学院|医院|报告|总结)")
# ... or the description sits inside, as a relative clause: 「那个新发展了87名党员的单位」.
_UNIT_POINTER = re.compile(
    r"[那这](?:家|份|篇)|那个\s|[那这]个(?=[\u4e00-\u9fff]{0,4}?" + _UNIT_KINDS + ")"
    r"|那个(?P<inside>[^，,。？?！!\s]{2,24}?)的" + _UNIT_KINDS)



_DEMONSTRATIVE_FEW = re.compile(r"[这那]几[^\W\d_]?")


def detect_intent(text: str, language: Language | None = None) -> Intent:
    """Return the first intent whose phrase occurs in a normalised question, else "general"."""
    language = language or load_language()
    # 「就那几个」「这几年」: 几 after a demonstrative points at a few, it asks no number.
    compact = _DEMONSTRATIVE_FEW.sub("", text.replace(" ", ""))
    found = first_group(language.intents, compact)
    # The keys of intents.txt are Intent values.
    return found if found is not None else "general"  # type: ignore[return-value]


def asked_form(text: str, intent: Intent, language: Language) -> Intent:
    """Return figure or name when a question asks how many or who about a kind it names by
    a bare word (「南开整改给每项任务建了多少条支撑措施」: 整改 is the topic), else intent."""
    if intent not in ("rectification", "causes"):
        return intent
    named = [p for p in _phrases_of(intent, language) if p in text.replace(" ", "")]
    if any(len(p) > 2 for p in named):
        return intent  # 「整改到位了吗」 asks about the 整改 itself
    form = detect_intent(_strip(text, named), language)
    return form if form in ("figure", "name") else intent


# ... or it opens the question as a relative clause on a bare 单位 or 部门:
# 「搞四化四抓四强的单位有啥问题」.
_RELATIVE_UNIT = re.compile(r"^(?P<inside>[^，,。？?！!\s的]{2,24})的(?:单位|部门)")


def points_at_unit(text: str) -> bool:
    """Tell whether a question points at a unit it describes ("…那家", "…那个工委")."""
    return _UNIT_POINTER.search(text) is not None or _RELATIVE_UNIT.search(text) is not None


def _leftover_of_unit(term: str, rest: str, units: Sequence[str]) -> bool:
    """Tell whether a word is what is left of a unit's name around the alias that named it
    (宜东 of 宜东机关党支部), not a word the question uses on its own (党支部 of 先进党支部)."""
    if not any(term in unit for unit in units):
        return False
    for found in re.finditer(re.escape(term), rest):
        around = [rest[found.start() - 1: found.end()] if found.start() else "",
                  rest[found.start(): found.end() + 1]]
        if any(len(a) > len(term) and _joins(a.replace(term, "", 1))
               and not any(a in u for u in units) for a in around):
            return False  # 先进党支部: its neighbour makes it another word
    return True


def _qualifies_unit(term: str, question: str, units: Sequence[str]) -> bool:
    """Tell whether a word names whose unit it is, right before the unit's name (宜东 of
    「宜东机关党支部」 when the library knows the unit as 机关党支部)."""
    return any(term + unit in question for unit in units)


# Characters that sit next to a word without making a longer word with it (宜东那个三支部).
_UNJOINED = frozenset("那这哪的个了在和与及是有把被对")


def _joins(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" and char not in _UNJOINED


def description_of_unit(text: str) -> str:
    """Return what a question says of the unit it points at: the words before 「那家」, or
    between 那个 and 的 of 「那个新发展了87名党员的单位」."""
    found = _UNIT_POINTER.search(text)
    if found is None:
        relative = _RELATIVE_UNIT.search(text)
        return relative.group("inside") if relative else ""
    return found.group("inside") or text[: found.start()]


def listed_kind(text: str, intent: Intent, language: Language) -> Intent:
    """Return the section kind a count of list items asks for ("下步打算有几条"), else intent."""
    if intent != "figure" or not items_asked(text):
        return intent
    others = tuple((name, phrases) for name, phrases in language.intents if name != "figure")
    for name, phrases in others:
        if name in ASKED_KINDS and any(p in text for p in phrases):
            return name  # type: ignore[return-value]  # keys of intents.txt are Intent values
    return intent


# A time still to come: a question about 整改 then asks for the plan (「后面怎么巩固成果」).
_FUTURE_ASKED = re.compile(r"下一步|下步|接下来|后面|后续|今后|以后|往后|明年|来年|下半年|将来")


def future_kind(text: str, intent: Intent) -> Intent:
    """Return plans for a rectification question about what comes next, else intent."""
    if intent == "rectification" and _FUTURE_ASKED.search(text):
        return "plans"
    return intent


def topic_terms(tokens: Sequence[str], language: Language, keep: str = "") -> list[str]:
    """Drop words that only name an intent or ask a question, keeping the topic.

    ``keep`` is a word that is the topic whatever intent it could name: what a figure
    question counts (「多少问题」 asks a count of 问题, not for the problems section).
    """
    intent_phrases = all_phrases_of(language.intents)
    out = []
    for token in tokens:
        if keep and token == keep:
            out.append(token)
            continue
        if token in language.topic_words or token in language.which_phrases:
            continue
        rest = _without_phrases(token, intent_phrases)
        if len(rest) >= 2 or (rest and rest == token):
            out.append(token)
    return out


@lru_cache(maxsize=8192)
def _without_phrases(token: str, phrases: Phrases) -> str:
    """Return the token with each phrase removed in turn, cached: 200 intent phrases a word
    of every question, and questions use the same words again (``Phrases`` hash by identity,
    so a look-up does not hash 200 phrases)."""
    for phrase in phrases.phrases:
        token = token.replace(phrase, "")
    return token


def expansions_for(
    terms: Sequence[str], language: Language, doc_freq: Callable[[str], int],
    synonyms: Callable[[str], Sequence[str]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Map each topic word to what it also searches: thesaurus entries, then sub-words.

    A word the reports never use falls back to the shorter words inside it that they do use
    (bigrams, and longer ones: 张桂梅 of 学张桂梅, which jieba glued from 学 + a name), so a
    question sharing part of a compound still reaches the passage.
    """
    out: dict[str, tuple[str, ...]] = {}
    for term in terms:
        found = [w for w in language.thesaurus.expand(term)]
        if synonyms is not None and doc_freq(term) == 0:
            # General synonyms only for words the reports never use, and only to report words.
            found += [w for w in synonyms(term) if doc_freq(w)]
        if doc_freq(term) == 0 and len(term) >= 3:
            found += [term[i : i + size] for size in range(len(term) - 1, 1, -1)
                      for i in range(len(term) - size + 1) if doc_freq(term[i : i + size])]
        if found:
            out[term] = tuple(dict.fromkeys(w for w in found if w != term))
    return out


def with_abbreviations(
    terms: Sequence[str], compact: str, expansions: dict[str, tuple[str, ...]],
    doc_freq: Callable[[str], int],
) -> dict[str, tuple[str, ...]]:
    """Add the library's abbreviation of two adjacent question words (网络评论 → 网评).

    Chinese shortens a two-word phrase to the first character of each (网络评论 → 网评,
    环境保护 → 环保); the reports use the short form as often as the long one.
    """
    out = dict(expansions)
    for first, second in itertools.pairwise(terms):
        if len(first) < 2 or len(second) < 2 or first + second not in compact:
            continue
        short = first[0] + second[0]
        if short not in terms and doc_freq(short):
            for word in (first, second):
                out[word] = (*out.get(word, ()), short)
    return out


def understand(
    question: str,
    segmenter: Tokenizer,
    reports: Sequence[Report],
    doc_freq: Callable[[str], int],
    language: Language | None = None,
    repair: Callable[[str], str] | None = None,
    settings: LanguageSettings | None = None,
    neighbours: Callable[[str], tuple[str, ...]] | None = None,
) -> Query:
    """Turn a question as typed into a ``Query``.

    ``repair`` fixes typos in the normalised text (homophones, ``qa.language.homophones``).
    """
    language = language or load_language()
    normal = normalize_question(question, segmenter.normalize, language)
    if normal.smalltalk:
        return Query(question, "", "general", smalltalk=normal.smalltalk)
    text = repair(normal.text) if repair else normal.text
    settings = settings or LanguageSettings()
    intent = asked_form(text, detect_intent(text, language), language)
    if settings.item_lists:
        intent = listed_kind(text, intent, language)
    intent = future_kind(text, intent)
    trend, asked = trend_asked(text)
    typed = segmenter.normalize(question)  # the question as typed, only folded
    scope, rest = find_scope(asked, reports, language, intent, settings.near_miss, typed)
    compact = rest.replace(" ", "")
    compact_question = asked.replace(" ", "")  # with the units it names
    which = phrases_of(language.which_phrases).any_in(compact) \
        or asks_units(compact) or (len(scope.units) > 1 and asks_who_is_ahead(compact))
    unit = asked_unit(rest, which) if intent == "figure" else ""
    bar = asked_bar(rest) if which else None
    if bar is not None:  # 「哪些省城镇新增就业超过100万人」: counts compared against a bar
        intent, unit, rest = "figure", unit or bar.unit, rest.replace(bar.said, " ")
    # The words that named the intent are not the topic ("接下来打算" must not search 接下).
    long_topic = _long_words(language.topic_words)
    counted = counted_kind(compact, which, language)
    rest = _strip(rest, [*_phrases_of(intent, language), *language.which_phrases, *long_topic,
                         *(_phrases_of(counted, language) if counted else ())])
    fillers = phrases_of(language.fillers).members
    tokens = [t for t in segmenter.tokens(rest) if t not in fillers]
    terms = topic_terms(_with_compounds(tokens, doc_freq), language,
                        counted_noun(compact) if intent == "figure" else "")
    spare = tuple(dict.fromkeys(t for t in tokens if len(t) >= 2 and t not in terms
                                and t in language.topic_words))
    # What is left of a unit's name around the alias that named it ("宜东" of 宜东机关党支部
    # when 机关党支部 named 上港集团宜东分公司机关党支部) names the unit, not a topic.
    terms = [t for t in terms if not _leftover_of_unit(t, rest, scope.units)
             and not _qualifies_unit(t, compact_question, scope.units)]
    # 「第一个表率是啥」: the ordinal picks an item of a list, it is not a topic word.
    terms = [t for t in terms if not _ORDINAL_WORD.match(t)]
    # 「去年」 is when, not what (Query.looks_back reads it).
    terms = [t for t in terms if not is_past_word(t)]
    if intent == "general" and which and any(len(t) > 1 and is_amount_noun(t) for t in terms):
        intent = "figure"  # 「河南、山东粮食产量比一比」 compares amounts: a figure per unit
    # 「rank一下」「对比一下」: the verb before 一下 is what the asker wants done, not a topic.
    terms = [t for t in terms if t + "一下" not in compact] or terms
    # 「…的时候」「…那阵子」: the words marking a scene are not a topic (时候, 阵子).
    mark = scene_of(compact)[1]
    terms = [t for t in terms if t not in mark] if mark else terms
    synonyms = load_cilin().get if settings.synonyms else None
    # The longest words, worked out once: expansions, abbreviations and neighbours read them.
    longest = tuple(drop_subterms(terms))
    expansions = expansions_for(longest, language, doc_freq,
                                (lambda w: synonyms(w, ())) if synonyms else None)
    if settings.abbreviations:
        expansions = with_abbreviations(longest, compact, expansions, doc_freq)
    # Read on the question as typed: words normalising drops (「是不是一点都不手软」) qualify.
    said = typed.replace(" ", "")
    spans = shortcoming_spans(said, _present(language.deficiency_phrases, said)) \
        if settings.complaints \
        else [(0, 0)] * phrases_of(language.deficiency_phrases).any_in(compact)
    near = {t: neighbours(t) for t in longest} if neighbours else {}
    # A measure word asked ("多少个党支部") says what is counted; only a bare 多大 / 是多少
    # leaves the attribute to the word before it.
    measured = measured_attribute(text, segmenter.tokens) if intent == "figure" and not unit \
        else counted_doing(text, segmenter.tokens) if intent == "figure" else ""
    return Query(question, text, intent, tuple(terms), expansions, scope, which, unit,
                 deficiency=bool(spans), trend=trend,
                 complaint=complaint_words(said, terms, spans),
                 neighbours={t: n for t, n in near.items() if n},
                 measured=measured if measured in terms else "",
                 planned=phrases_of(_phrases_of("plans", language)).any_in(compact)
                 or bool(_TARGET.search(compact)),
                 told=problem_told(text, terms, intent, language),
                 counted_kind=counted, spare=spare,
                 at_least=bar.amount if bar else 0.0,
                 counted=bar.subject if bar else "",
                 scene=scene_words(compact, terms),
                 asked_field=first_group(language.record_fields, compact) or "")


# 「民主评议的时候…」「组织生活会上…」「祭祖那阵子…」: a time or a meeting opening the question.
# 会上 keeps its 会 (组织生活会); a bare 上 or 时 is left alone (工作上 is a topic, 同时 a word).
_SCENE = re.compile(r"^在?(?:(?P<scene>[\u4e00-\u9fff]{2,12}?)"
                    r"(?P<mark>的时候|那时候?|那阵子?|那会儿?|期间|过程中|之际)|"
                    r"(?P<meeting>[\u4e00-\u9fff]{1,11}会)上)")


def scene_of(compact: str) -> tuple[str, str]:
    """Return a scene-setting opening and the words that mark it (「的时候」), or two blanks."""
    found = _SCENE.match(compact)
    if not found:
        return "", ""
    return found.group("scene") or found.group("meeting"), found.group("mark") or ""


def scene_words(compact: str, terms: Sequence[str]) -> tuple[str, ...]:
    """Return the topic words inside a scene-setting opening, if words outside it remain."""
    scene = scene_of(compact)[0]
    if not scene:
        return ()
    inside = tuple(t for t in terms if t in scene)
    rest = [t for t in terms if t not in inside and len(t) > 1]
    return inside if rest else ()


_MOST = re.compile(r"最多|最少|最全")
# 「增长目标」「预期是多少」: the asker wants what was set, not what was reached.
_TARGET = re.compile(r"目标|预期")


def counted_kind(text: str, which: bool, language: Language) -> Kind | None:
    """Return the section kind a which-question ranks reports by the items of, else None.

    「谁家自己列的问题最多」 counts each report's problems; the first kind named decides
    (「原因分析列得条数最多」 names causes before the problems they explain).
    """
    if not which or not _MOST.search(text):
        return None
    for name, phrases in language.intents:
        if name in ASKED_KINDS and any(p in text for p in phrases):
            return name
    return None


_ORDINAL_WORD = re.compile(r"^第[一二三四五六七八九十两\d]+[个条点项件]?$")
_CLAUSE_BREAK = re.compile(r"[，,；;。？?！!]+")


def problem_told(text: str, terms: Sequence[str], intent: Intent,
                 language: Language) -> tuple[str, ...]:
    """Return the topic words a plan or 整改 question says of a problem, apart from its ask.

    「X做得不够，下一步有什么措施」: the clause that asks (a section named, or a time to come)
    is the request; the other clauses name the problem the remedy must answer.
    """
    if intent not in ("plans", "rectification"):
        return ()
    clauses = [c for c in _CLAUSE_BREAK.split(text) if c]
    told = [c for c in clauses
            if detect_intent(c, language) == "general" and not _FUTURE_ASKED.search(c)]
    if not told or len(told) == len(clauses):
        return ()
    return tuple(t for t in terms if any(t in c for c in told))


def _phrases_of(intent: str, language: Language) -> tuple[str, ...]:
    return next((phrases for name, phrases in language.intents if name == intent), ())


def _strip(text: str, phrases: Sequence[str]) -> str:
    """Replace each phrase by a space, longest first, each in the text the longer left."""
    ordered, index = _longest_first(tuple(phrases))
    if index is None:
        for phrase in ordered:
            text = text.replace(phrase, " ")
        return text
    # Replacing by a space joins nothing: a phrase without one occurs afterwards only if it
    # occurred before, so only the phrases in the text as given are visited (in order).
    for i in index.found(text):
        text = text.replace(ordered[i], " ")
    return text


@lru_cache(maxsize=64)
def _longest_first(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], Phrases | None]:
    """Return the phrases longest first (stable), sorted once per intent's phrase list, and
    indexed by first character unless one holds a space (or is empty)."""
    ordered = tuple(sorted(phrases, key=len, reverse=True))
    plain = all(phrase and " " not in phrase for phrase in ordered)
    return ordered, Phrases(ordered) if plain else None


def _present(phrases: tuple[str, ...], text: str) -> list[str]:
    """Return the phrases that occur in text, in order: all ``shortcoming_spans`` finds
    spans of (its loop over every phrase cost more than the rest of its work)."""
    listed = phrases_of(phrases)
    return [listed.phrases[i] for i in listed.found(text)]


@lru_cache(maxsize=8)
def _long_words(words: frozenset[str]) -> tuple[str, ...]:
    """Return the words of at least three characters (in the set's order, as a loop over it
    gives them), picked once per word set."""
    return tuple(w for w in words if len(w) >= 3)


def _with_compounds(tokens: list[str], doc_freq: Callable[[str], int]) -> list[str]:
    """Add adjacent-token compounds the reports use (发展 + 党员 → 发展党员), and the
    report words inside a new compound (发展党员 in 新发展 + 党员)."""
    extra: list[str] = []
    for a, b in zip(tokens, tokens[1:], strict=False):
        joined = a + b
        if joined in tokens or joined in extra or not doc_freq(joined):
            continue
        extra.append(joined)
        extra.extend(
            joined[i : i + size]
            for size in range(4, len(joined))
            for i in range(len(joined) - size + 1)
            if joined[i : i + size] not in tokens and doc_freq(joined[i : i + size])
        )
    return tokens + list(dict.fromkeys(extra))
