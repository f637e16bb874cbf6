"""The synchronous façade: reports in, ``Answer`` out. Front ends call only this.

The engine orchestrates: ``understand`` turns a question into a ``Query``, the ``Retriever``
finds and orders passages, ``answers`` composes what the user reads. Policy lives there.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from itertools import islice
from pathlib import Path

from qa.answer import Rectifier, Retriever, Scored, choose_report, pair_weigher
from qa.answer import compose as answers
from qa.documents import document_text
from qa.language import (
    Background,
    Homophones,
    LanguageSettings,
    Neighbours,
    Query,
    Scope,
    Tokenizer,
    asks_outline,
    description_of_unit,
    drop_subterms,
    figure_year,
    latest_years,
    learn_titles,
    library_names,
    load_language,
    points_at_unit,
    understand,
    unit_of,
    use_cache_dir,
)
from qa.library import CACHE_DIR_NAME, load_indexed
from qa.reports import PassageList, load_reports
from qa.search import PassageIndex, SearchIndex, segment_index

from .errors import UnknownReportError
from .gcpause import paused_gc
from .models import (
    KIND_NAMES,
    Answer,
    Hit,
    Intent,
    Kind,
    Passage,
    Quote,
    Report,
    Suggestion,
    index_text,
    intent_of_kind,
)

PARSED_NAME = "reports.parsed"  # the parsed-report cache (qa.reports.parsecache)
INDEX_NAME = "index"  # the segment index (qa.search.ondisk)
FIGURES_NAME = "figures.json"  # every report's figures (qa.figures.store)
MAX_QUESTION_CHARS = 200
# Section lists (problems and friends) name at most this many reports (one passage each).
MAX_SECTION_REPORTS = 20
# Parts of speech (jieba's tags) that can name an attribute a figure measures (面积, 收入).
NOUN_TAGS = frozenset({"n", "nz", "ng"})
# Report ids named in an "unknown report" message.
MAX_LISTED_IDS = 10
# A comparison lists at most this many reports (one line each).
MAX_COMPARE_ROWS = 20
# A which-question's word this many times heavier than the rest must be held by every row.
DISTINCTIVE_RATIO = 2.0
# Section overviews kept per engine (one report and kind each).
MAX_OVERVIEWS = 4096
# Question words whose neighbours are remembered per engine.
MAX_NEIGHBOUR_WORDS = 8192
# What a question shape does: answer, read the question again (and hand it on), or pass.
Step = Answer | tuple[Query, str] | None
# A question word held by at most this share of all passages is specific enough to search by.
SPARE_MAX_SHARE = 0.25


# 上半年 / 下半年 choose a report (a half-year summary), they are no topic.
_HALF_WORD = re.compile(r"^(?:[上下]半年?|半年)$")


def prepare_question(raw: str) -> tuple[str, str]:
    """Collapse whitespace and cut an over-long question; return it and a notice (or "")."""
    text = re.sub(r"\s+", " ", raw or "").strip()
    if len(text) > MAX_QUESTION_CHARS:
        return text[:MAX_QUESTION_CHARS], f"问题过长，已只取前 {MAX_QUESTION_CHARS} 个字。"
    return text, ""


def listed(quotes: Sequence[Quote]) -> tuple[Hit, ...]:
    """Return every passage the quotes show (an outline's items each): each quote's own
    passage first, one per report as before, then the other items in the order shown."""
    heads = {q.hit.passage.passage_id for q in quotes}
    rest = [h for q in quotes for h in q.listed if h.passage.passage_id not in heads]
    return tuple(q.hit for q in quotes) + tuple(rest)


def outside(query: Query, reports: Collection[str] | None) -> bool:
    """Tell whether a question names reports that exist, none of them among those allowed."""
    ids = query.scope.report_ids
    return reports is not None and query.scope.named and bool(ids) and not set(ids) & set(reports)


def within(query: Query, reports: Collection[str] | None) -> Query:
    """Restrict a query's scope to the given report ids (None: leave it as it is).

    A question naming only reports outside the set keeps its label and an empty scope, so it
    is answered "没有…的报告", never from the reports the caller excluded.
    """
    if reports is None:
        return query
    named = query.scope.named
    ids = query.scope.report_ids if named else ()
    kept = tuple(r for r in ids if r in reports) if named else tuple(sorted(reports))
    if not kept and not named:
        kept = ("",)  # an empty allowance must search nothing, not everything
    # Only the reports change: the label, the question to ask back and the years stay.
    return dataclasses.replace(query, scope=dataclasses.replace(query.scope, report_ids=kept,
                                                                named=named))


class QAEngine:
    """Answer questions over a fixed set of reports."""

    def __init__(
        self,
        reports: Sequence[Report],
        segmenter: Tokenizer | None = None,
        top_k: int = 5,
        skipped: Sequence[tuple[str, str]] = (),
        token_lists: Sequence[Sequence[str]] | None = None,
        index: SearchIndex | None = None,
        settings: LanguageSettings | None = None,
    ) -> None:
        self.reports = tuple(reports)
        self.settings = settings or LanguageSettings()
        self.segmenter = segmenter or Tokenizer()
        self.top_k = top_k
        self.skipped = tuple(skipped)
        self.language = load_language()
        # Passages are read from their reports when used (a deferred report is not in memory).
        self.passages = PassageList(self.reports)
        self._by_report = {r.report_id: r for r in self.reports}
        if index is None:
            if token_lists is None:
                token_lists = [self.segmenter.tokens(index_text(p)) for p in self.passages]
            index = PassageIndex.build(token_lists)
        self.index: SearchIndex = index
        self.background = Background(
            self.segmenter.dictionary_path, self.index.doc_freq, frozenset(self.language.fillers)
        )
        self.homophones = Homophones(lambda: self.index.vocabulary, self.index.doc_freq,
                                     self.background.knows)
        self.neighbours = Neighbours(lambda: self.index.vocabulary, self.index.doc_freq)
        self.retriever = Retriever(self.index, self.passages, self.reports, self.background,
                                   self.segmenter.normalize)
        self.rectifier = Rectifier(self.retriever, self.reports, self.segmenter.tokens,
                                   pair_weigher(self.background, self.index))
        # A report's section overview by report and kind, worked out once: section questions
        # list the same reports again, and each read decodes a report body. The engine's own,
        # so it lives and dies with the reports it was made from.
        self._report_overview = lru_cache(maxsize=MAX_OVERVIEWS)(answers.report_overview)
        # A question word's neighbours, remembered: questions reuse their words, and what
        # they read (index, word weights) is this engine's for its life.
        self._neighbours = lru_cache(maxsize=MAX_NEIGHBOUR_WORDS)(self._neighbours_of)

    @classmethod
    def from_directory(
        cls,
        folder: Path,
        top_k: int = 5,
        segmenter: Tokenizer | None = None,
        parsed_cache: Path | None = None,
        index_dir: Path | None = None,
        settings: LanguageSettings | None = None,
    ) -> QAEngine:
        """Load every report in a folder and index it; raise EmptyCorpusError if none loads.

        With ``parsed_cache``, unchanged reports are not parsed again; with ``index_dir``, the
        index lives there as memory-mapped segments (``qa.search.ondisk``), else in memory.
        Front ends call ``open_engine``, which puts both in the folder's one cache folder.
        """
        # Everything built here lives as long as the engine: searching it for cycles while
        # it grows only costs time (qa.gcpause).
        with paused_gc():
            if index_dir is None or parsed_cache is None:
                corpus = load_reports(folder, parsed_cache, document_text)
                if index_dir is None:
                    return cls(corpus.reports, segmenter, top_k, corpus.skipped,
                               settings=settings)
                segmenter = segmenter or Tokenizer()
                index = segment_index(corpus.reports, segmenter, index_dir)
            else:
                # Both caches: files to parse are parsed and tokenised on every core.
                segmenter = segmenter or Tokenizer()
                corpus, index = load_indexed(folder, parsed_cache, document_text, segmenter,
                                             index_dir)
            return cls(corpus.reports, segmenter, top_k, corpus.skipped, index=index,
                       settings=settings)

    # -- lookups -------------------------------------------------------------------------

    def report(self, ref: str) -> Report:
        """Return the report whose id is, or starts with, ref (e.g. "000")."""
        ref = ref.strip()
        matches = [r for r in self.reports if r.report_id == ref] or [
            r for r in self.reports if ref and r.report_id.startswith(ref)
        ]
        if len(matches) != 1:
            # A county has thousands of reports: name a few, so the message stays one screen.
            known = "、".join(r.report_id.split("_")[0] for r in self.reports[:MAX_LISTED_IDS])
            more = (
                f" 等 {len(self.reports)} 份"
                if len(self.reports) > MAX_LISTED_IDS
                else ""
            )
            why = "有多份报告匹配" if matches else "没有这份报告"
            shown = ref[:20] + ("…" if len(ref) > 20 else "")
            raise UnknownReportError(f"{why}：{shown or '（空）'}。可用编号：{known}{more}")
        return matches[0]

    def passage(self, passage_id: str) -> Passage | None:
        """Return a passage by id, or None when it no longer exists."""
        # Ids are "<report id>#<n>" (qa/ingest.py): one report is read, not an index of all.
        report_id, _, number = passage_id.rpartition("#")
        report = self._by_report.get(report_id)
        if report is None or not number.isdigit() or not 0 < int(number) <= report.size:
            return None
        found = report.passage(int(number) - 1)
        return found if found.passage_id == passage_id else None

    def warm_up(self) -> None:
        """Do now what the first question would wait for: word weights; what is learned
        from the library, the units' names and the reports' title pieces (seconds at 10⁶
        passages); and the tables that the first question holding a word the reports never
        use would build: the sound table that repairs a typed homophone (≈ 0.5 s at 10⁵) and
        the words by character that find its neighbours."""
        self.background.load()
        library_names(self.reports, self.language.unit_aliases)
        learn_titles(self.reports)
        if self.settings.homophones:
            self.homophones.load()
        if self.settings.neighbours:
            self.neighbours.load()

    def understand(self, question: str) -> Query:
        """Return how the engine reads a question (intent, scope, weighted terms)."""
        query = understand(question, self.segmenter, self.reports, self.index.doc_freq,
                           self.language, self._repair if self.settings.homophones else None,
                           self.settings, self._neighbours if self.settings.neighbours else None)
        if query.measured and self.background.frequency(query.measured)[1] not in NOUN_TAGS:
            return dataclasses.replace(query, measured="")  # 「现在多少」「收了多少」: no attribute
        return query

    def _neighbours_of(self, word: str) -> tuple[str, ...]:
        # Only a word that can be a topic: "麻烦", "东西" stand for nothing in the reports.
        return self.neighbours.of(word) if self.background.is_topic(word) else ()

    def _repair(self, text: str) -> str:
        return self.homophones.repair(text, self.segmenter.tokens(text))

    # -- answering -----------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None, context: str | None = None,
            reports: Collection[str] | None = None) -> Answer:
        """Answer a question with cited quotes, or say honestly that nothing was found.

        ``context`` is the previous question of the same conversation: "那002呢" asks it again
        for report 002, "具体怎么做的" / "原文" / "还有呢" expand its answer. ``reports`` (ids)
        restricts the search to those reports; None searches all.
        """
        text, notice = prepare_question(question)
        k = k or self.top_k
        if not text:
            return answers.not_found(text, "general", "请输入问题，例如：今年发展了多少党员？",
                                     self.suggestions())
        understood = self.understand(text)
        if outside(understood, reports):
            return answers.outside(understood, notice)
        query = within(understood, reports)
        if not context:
            return self._answer(query, k, notice)
        followed, expand = self._follow_up(query, context)
        answer = self._answer(within(followed, reports), k, notice, expand)
        # Tell the front end which question the conversation is about now.
        return dataclasses.replace(answer, follows=context) if followed is not query else answer

    def _answer(self, query: Query, k: int, notice: str, expand: bool = False) -> Answer:
        refused = self._refused(query, notice)
        if refused is not None:
            return refused
        if expand:
            return self._expanded(query, k, notice)
        # The question's shapes, most particular first. A shape either answers, or reads the
        # question again (a report named by its words, a unit by its deed, a section the
        # report lacks) and hands it on; the plain search answers what no shape took.
        for shape in (self._only_named, self._record_shape, self._most_shape, self._deed_shape,
                      self._named_problem_shape, self._section_shape, self._trend_shape):
            step = shape(query, k, notice)
            if isinstance(step, Answer):
                return step
            if step is not None:
                query, notice = step
        if query.which:
            return self._compare(query, notice)
        return self._search(query, k, notice)

    def _refused(self, query: Query, notice: str) -> Answer | None:
        """Small talk, a name that fits several units, a named unit with no reports."""
        text = query.question
        if query.smalltalk:
            return answers.smalltalk(text, query.smalltalk)
        if query.scope.ask:  # a name that fits several units: ask, never guess
            return answers.not_found(text, query.intent, query.scope.ask + notice,
                                     self.suggestions())
        if query.scope.named and not query.scope.report_ids:
            why = f"没有{query.scope.label}的报告。"
            return answers.not_found(text, query.intent, why + notice, self.suggestions())
        return None

    def _only_named(self, query: Query, k: int, notice: str) -> Step:
        """A report named and nothing asked: its rarely used question words, or ask back."""
        # 「2023年谁家列的问题最多」 asks something: a ranking within the reports named.
        if not (query.scope.named and not query.terms and query.kind is None) \
                or query.counted_kind is not None:
            return None
        spare = self._spare_topic(query)
        if spare:
            return dataclasses.replace(query, terms=spare), notice
        ids = query.scope.report_ids
        if len(ids) == 1 and asks_outline(query.text) and ids[0] in self._by_report:
            outline = answers.report_outline(self._by_report[ids[0]])
            if outline is not None:  # 「四季度党课讲了哪几个方面」: the parts it has
                return answers.found(query, (outline,), listed((outline,)), notice)
        return self._what_about(query, notice)

    def _record_shape(self, query: Query, k: int, notice: str) -> Step:
        """「那次…在哪开的」: a meeting record's own field line."""
        return self._record_field(query, k, notice) if query.asked_field else None

    def _most_shape(self, query: Query, k: int, notice: str) -> Step:
        """「谁家列的问题最多」: reports ranked by the items of a section."""
        if query.counted_kind is None or self._topic(query):
            return None
        return self._most_items(query, query.counted_kind, notice)

    def _deed_shape(self, query: Query, k: int, notice: str) -> Step:
        """「搞七个铁腕整治那家…」: the unit named by what it did scopes the question."""
        if query.kind is not None or not self.settings.deed_scope or query.scope.named \
                or not points_at_unit(query.text):
            return None
        deed = self._by_deed(query)
        return None if deed is None else (deed[0], deed[1] + notice)

    def _named_problem_shape(self, query: Query, k: int, notice: str) -> Step:
        """「…内训少，后面打算怎么解决」: the items that answer a named problem."""
        problem = self.rectifier.named_problem(query)
        return None if problem is None else self.rectifier.named(query, problem, notice)

    def _section_shape(self, query: Query, k: int, notice: str) -> Step:
        """A section asked for; a named report without one is searched as a topic."""
        if query.kind is None:
            return None
        answer = self._section(query, k, notice)
        if not answer.found and self.settings.deed_scope and points_at_unit(query.text):
            answer = self._section_by_deed(query, query.kind, notice) or answer
        # A named report without such a section ("党组的特色活动") is searched as a topic.
        if answer.found or not (self._topic(query) or query.scope.named and query.terms):
            return answer
        intent: Intent = "general" if query.intent != "causes" else "causes"
        return dataclasses.replace(query, intent=intent), notice

    def _trend_shape(self, query: Query, k: int, notice: str) -> Step:
        """「县直工委近三年发展党员」: one unit's figure by year."""
        if query.trend and query.scope.named and query.scope.report_ids:
            return self._by_year(query, notice)
        return None

    def _follow_up(self, query: Query, context: str) -> tuple[Query, bool]:
        """Read a follow-up against the previous question: a new scope, or "tell me more"."""
        compact = query.text.replace(" ", "")
        if compact and compact in self.language.more_phrases:
            return self.understand(context), True
        if query.scope.named and not self._own_words(query) and query.kind is None:
            previous = self.understand(context)
            return dataclasses.replace(previous, scope=query.scope, question=query.question), False
        return query, False

    def section_answer(self, kind: str, keyword: str = "", k: int | None = None,
                       reports: Collection[str] | None = None) -> Answer:
        """List one passage per report from a section kind, optionally narrowed by a keyword.

        ``reports`` (ids) restricts the listing to those reports; None lists all.
        """
        asked = intent_of_kind(kind)
        if asked is None:
            raise ValueError(f"unknown section kind: {kind}")
        keyword, notice = prepare_question(keyword)
        understood = self.understand(keyword) if keyword else Query(keyword, "", "general")
        if outside(understood, reports):
            return answers.outside(understood, notice)
        query = dataclasses.replace(within(understood, reports),
                                    question=keyword or KIND_NAMES[kind], intent=asked,
                                    which=False)
        if query.scope.named and not query.scope.report_ids:
            why = f"没有{query.scope.label}的报告。"
            return answers.not_found(query.question, asked, why + notice, self.suggestions())
        limit = k or max(self.top_k, min(len(self.reports), MAX_SECTION_REPORTS))
        # A keyword given with a plans list is the topic even if the reports never use it.
        return self._section(query, limit, notice, explicit=True)

    def rectify(self, keyword: str = "", reports: Collection[str] | None = None) -> Answer:
        """List each report's problems (or those about a keyword), each with the plan and 整改
        items of the same report that answer it, and the same unit's next year's account.

        ``reports`` (ids) restricts the listing to those reports; None lists all.
        """
        keyword, notice = prepare_question(keyword)
        understood = self.understand(keyword) if keyword else Query(keyword, "", "general")
        if outside(understood, reports):
            return answers.outside(understood, notice)
        query = dataclasses.replace(within(understood, reports), intent="rectification",
                                    question=keyword or KIND_NAMES["rectification"])
        if query.scope.named and not query.scope.report_ids:
            why = f"没有{query.scope.label}的报告。"
            return answers.not_found(query.question, query.intent, why + notice,
                                     self.suggestions())
        return self.rectifier.listing(query, self._topic(query, known_only=False), notice)

    def _own_words(self, query: Query) -> list[str]:
        """Return a question's words the reports use, however common.

        「河南2025年经济增长目标」 asks its own question (经济, 增长); 「那河南呢」 and
        「河南那边咋样」 ask the last one again.
        """
        known = self.index.doc_freq
        return [t for t in query.terms if known(t) or any(known(x) for x in
                                                          query.expansions.get(t, ()))]

    def _topic(self, query: Query, known_only: bool = True) -> list[str]:
        """Return the words that can narrow a section: specific, and used by the reports.

        A word the reports never use (nor what it expands to) cannot narrow anything: in a
        question that names a section ("下阶段的工作思路给我捋一捋") it is chatter.
        """
        words = self._own_words(query) if known_only else query.terms
        return [t for t in words if self.background.is_topic(t)]

    def _section(self, query: Query, k: int, notice: str, explicit: bool = False) -> Answer:
        kind = query.kind
        assert kind is not None
        topic = [t for t in self._topic(query, known_only=not explicit)
                 if not self._names_scope(query, t)]
        if not topic:
            return self._overview(query, kind, notice)
        narrowed = dataclasses.replace(query, terms=tuple(topic))
        rows = [s for s in self.retriever.search(narrowed, k, kind, per_report=True)
                if s.answers]
        if not rows:
            why = f"各报告的「{KIND_NAMES[kind]}」中没有找到与「{'、'.join(topic)}」相关的内容。"
            return answers.not_found(query.question, query.intent, why + notice,
                                     self.suggestions(topic, kind))
        quotes = tuple(self._section_quote(s, kind, query.items_counted) for s in rows)
        return answers.found(query, quotes, listed(quotes), notice, keyword="".join(topic))

    def _names_scope(self, query: Query, word: str) -> bool:
        """Tell whether a word only says which reports: the half year that chose the report
        (「23年下半年支部准备咋干」), or part of every chosen report's unit (支部 of 机关党支部)."""
        if not query.scope.report_ids:
            return False
        if _HALF_WORD.match(word):
            return True
        units = {unit_of(self._by_report[r]) for r in query.scope.report_ids
                 if r in self._by_report}
        return bool(units) and all(word in unit for unit in units)

    def _section_by_deed(self, query: Query, kind: Kind, notice: str) -> Answer | None:
        """List the section of the one report the question's words describe ("搞…那家")."""
        choice = self._deed_scope(query, self._topic(query))
        if choice is None:
            return None
        scope, said = choice
        scoped = dataclasses.replace(query, terms=(), expansions={}, scope=scope)
        answer = self._overview(scoped, kind, notice)
        return dataclasses.replace(answer, notice=said + answer.notice) if answer.found \
            else None

    def _by_deed(self, query: Query) -> tuple[Query, str] | None:
        """Scope a question to the report its description of a unit names, and ask the rest
        there (「搞“四化四抓四强”那家，中心组学习一共开了几次」)."""
        described = description_of_unit(query.text)
        told = [t for t in query.terms if t in described]
        rest = tuple(t for t in query.terms if t not in told)
        # With nothing of its own to ask about, the description is the question's topic.
        asks = any(self.background.is_topic(t) for t in rest)
        choice = self._deed_scope(query, told) if asks else None
        if choice is None:
            return None
        scope, said = choice
        kept = {t: query.expansions[t] for t in rest if t in query.expansions}
        return dataclasses.replace(query, terms=rest, expansions=kept, scope=scope), said

    def _deed_scope(self, query: Query, words: Sequence[str]) -> tuple[Scope, str] | None:
        """Return the scope of the one report that words describing a unit fit, and how the
        answer says so; None when no report fits them."""
        if not words:
            return None
        probe = dataclasses.replace(query, terms=tuple(words), intent="general", which=False)
        choice = choose_report(self.retriever.search(probe, MAX_COMPARE_ROWS, per_report=True))
        if choice is None:
            return None
        chosen = self._by_report[choice.report_id]
        said = f"按「{'、'.join(drop_subterms(words))}」理解为《{chosen.title}》"
        if choice.rival:
            said += f"（《{self._by_report[choice.rival].title}》也提到，这里选了更贴近的一份）"
        return Scope((chosen.report_id,), chosen.report_id.split("_")[0], True), said + "。"

    def _section_quote(self, scored: Scored, kind: Kind, counted: bool = False) -> Quote:
        """Quote the hit, or the whole section when only its heading matched ("2024年计划");
        ``counted``: the question counts a list's items, so the list the hit is in."""
        text = self.segmenter.normalize(scored.hit.passage.text)
        report = self._by_report[scored.hit.passage.report_id]
        if counted and (listed := answers.sibling_list(report, scored.hit.passage)):
            return listed
        if any(term in text for term in scored.hit.matched_terms):
            return answers.led_list(report, scored.hit.passage) or scored.quote
        return self._report_overview(report, kind) or scored.quote

    def _overview(self, query: Query, kind: Kind, notice: str) -> Answer:
        wanted = set(query.scope.report_ids)
        # Only the first hundred are read: an unscoped overview does not walk every report.
        reports = [r for r in self.reports if r.report_id in wanted] if wanted else self.reports
        years = tuple(map(str, query.scope.years)) or (("今年",) if "今年" in query.text else ())
        found = (self._report_overview(r, kind, years)
                 for r in reports[:MAX_SECTION_REPORTS * 5])
        quotes = tuple(islice(filter(None, found), MAX_SECTION_REPORTS))  # read no more reports
        if not quotes:
            where = f"{query.scope.label}的报告" if query.scope.named else "报告"
            why = f"{where}中没有「{KIND_NAMES[kind]}」部分。"
            told = self.rectifier.told_in_text(query, kind, answers.MAX_QUOTES)
            if told:  # "002整改了啥": no such heading, but the text tells it
                return answers.found(query, tuple(s.quote for s in told),
                                     tuple(s.hit for s in told), notice,
                                     lead=why + "以下是正文中相关的段落。")
            return answers.not_found(query.question, query.intent, why + notice,
                                     self.suggestions([], kind))
        return answers.found(query, quotes, listed(quotes), notice)

    def _compare(self, query: Query, notice: str) -> Answer:
        """One line per report: "哪个单位…最多", "各单位…分别", "哪些单位…"."""
        rows = [s for s in self.retriever.search(query, MAX_COMPARE_ROWS, per_report=True)
                if s.answers]
        if not rows:
            return self._nothing(query, notice)
        key = self._distinctive(query) if query.intent != "figure" else ""
        if key:
            # 「办了首届青稞产业发展大会的是哪个省」: the units that did it, not every report
            # sharing its common words (首届…发展大会 without 青稞).
            held = {key, *query.expansions.get(key, ())}
            rows = [row for row in rows if held & set(row.hit.matched_terms)] or rows
        missed = answers.missed_qualifier(query, rows) if self.settings.near_miss else ""
        if missed:
            return answers.near_answer(query, rows, missed, notice, self.suggestions(query.terms))
        if query.intent == "figure":
            rows = [self._counted_row(query, row) for row in rows]
            if query.at_least:  # 「哪些省…超过100万人」: only the reports that clear it
                rows = [row for row in rows if answers.clears_bar(row, query)]
                if not rows:
                    return self._nothing(query, notice)
            rows = answers.sort_by_count(rows, query) or rows
        silent = self._unanswered(query, rows)
        return answers.compared(query, rows, self._by_report, silent + notice)

    def _distinctive(self, query: Query) -> str:
        """Return the question's word that outweighs every other one twice, if any (青稞 of
        「首届青稞产业发展大会」): what a report must hold to be one that did it."""
        weights = sorted(((self.background.weight(t), t) for t in drop_subterms(query.terms)),
                         reverse=True)
        if len(weights) < 2 or weights[0][0] < DISTINCTIVE_RATIO * weights[1][0]:
            return ""
        return weights[0][1]

    def _unanswered(self, query: Query, rows: Sequence[Scored]) -> str:
        """Say which units a comparison named have no row (「贵州和甘肃…比一比」, 贵州 silent)."""
        answered = {self._by_report[r.hit.passage.report_id].unit for r in rows}
        silent = [u for u in query.scope.units if u not in answered]
        return f"{'、'.join(silent)}的报告中没有找到相关内容。" if silent else ""

    def _record_field(self, query: Query, k: int, notice: str) -> Answer | None:
        """Answer 「那次批评与自我批评在哪开的」 from the meeting record's own field line."""
        # The best-fitting record among the reports that fit: few reports are records.
        rows = self.retriever.search(query, max(k, MAX_COMPARE_ROWS), per_report=True)
        for scored in (s for s in rows if s.answers):
            report = self._by_report[scored.hit.passage.report_id]
            found = answers.record_field(report, query.asked_field)
            if found is not None:
                passage, line = found
                quote = Quote(Hit(passage, 0.0, ()), passage.text)
                lead = f"{answers.report_name(report)} {line}"
                return answers.found(query, (quote,), (quote.hit,), notice, lead=lead)
        return None

    def _most_items(self, query: Query, kind: Kind, notice: str) -> Answer:
        """Rank the reports by how many items their section of a kind lists (「谁家列的问题
        最多」), and list the first one's items."""
        wanted = set(query.scope.report_ids)
        # Counted from what each report's footer entry says (``Report.item_count``): reading
        # every report's section took 41 s at 10⁶ passages.
        counted = [(r, n) for r in self.reports if not wanted or r.report_id in wanted
                   if (n := r.item_count(kind))]
        if not counted:
            return self._overview(query, kind, notice)  # says no report has such a section
        fewest = answers.asks_fewest(query)
        counted.sort(key=lambda pair: pair[1], reverse=not fewest)  # stable
        # How many are left out comes first: a front end may clip a long lead.
        order = "最少" if fewest else "最多"
        left_out = (f"（共 {len(counted)} 份报告有此部分，这里列出条数{order}的 "
                    f"{MAX_SECTION_REPORTS} 份）" if len(counted) > MAX_SECTION_REPORTS else "")
        lead = f"各报告「{KIND_NAMES[kind]}」列出的条数{left_out}：" + "；".join(
            f"{answers.report_name(r)} {n} 条" for r, n in counted[:MAX_SECTION_REPORTS])
        first = self._report_overview(counted[0][0], kind)
        if first is None:  # never: a report with items has an overview of them
            return self._overview(query, kind, notice)
        # Shown as that section's list.
        listing = dataclasses.replace(query, intent=intent_of_kind(kind) or query.intent)
        return answers.found(listing, (first,), listed((first,)), notice, lead=lead)

    def _by_year(self, query: Query, notice: str) -> Answer:
        """One unit's reports year by year (「县直工委近三年发展党员」), oldest first."""
        scoped = [self._by_report[r] for r in query.scope.report_ids if r in self._by_report]
        kept = latest_years([figure_year(r) for r in scoped], query.trend)
        # A year whose report words it differently (「发展1名预备党员」) still has its line.
        rows = [self._counted_row(query, s) for s in
                self.retriever.search(query, MAX_COMPARE_ROWS, per_report=True)
                if s.answers or answers.counted_near(s, query)]
        years = {s.hit.passage.report_id: figure_year(self._by_report[s.hit.passage.report_id])
                 for s in rows}
        rows = sorted((s for s in rows if years[s.hit.passage.report_id] in kept),
                      key=lambda s: (years[s.hit.passage.report_id], s.hit.passage.report_id))
        if not rows:
            return self._nothing(query, notice)
        return answers.by_year(query, rows, years, notice)

    def _counted_row(self, query: Query, row: Scored) -> Scored:
        """Return the report's best passage that states the asked count, else its best one."""
        if answers.states_count(row, query.unit):
            return row
        report_id = row.hit.passage.report_id
        alone = dataclasses.replace(query, scope=Scope((report_id,), report_id, True))
        for other in self.retriever.search(alone, self.top_k):
            near = other.answers and other.coverage >= row.coverage - answers.FIGURE_SLACK
            if near and answers.states_count(other, query.unit):
                return other
        return row

    def _search(self, query: Query, k: int, notice: str) -> Answer:
        scored = self.retriever.search(query, k)
        if not scored or not scored[0].answers:
            return self._nothing(query, notice)
        place, noun = query.ordinal
        if place and (item := self._ordinal_item(query, place, noun)):
            return answers.found(query, (item,), (item.hit,), notice)
        if query.items_asked and query.intent != "figure":
            # 「政府自身建设提了哪几个坚持」: a list's opening paragraph is answered by its items.
            top = scored[0].hit.passage
            report = self._by_report[top.report_id]
            items = answers.led_list(report, top) or (
                answers.sibling_list(report, top) if query.items_counted else None)
            if items is not None:
                return answers.found(query, (items,), listed((items,)), notice)
        return answers.decide(query, scored, k, self._by_report, notice,
                              lambda: self.suggestions(query.terms), self.settings.near_miss)

    def _ordinal_item(self, query: Query, place: int, noun: str) -> Quote | None:
        """Return 「第一个表率」: that item of the best-fitting list that names its items."""
        for scored in self.retriever.search(query, MAX_COMPARE_ROWS):
            top = scored.hit.passage
            item = answers.ordinal_item(self._by_report[top.report_id], top, place, noun)
            # The list's own heading naming the items is the evidence (a 「表率」 list for
            # 「第一个表率」), more than how much of the question the passage holds.
            if item is not None and (noun or scored.answers):
                return item
        return None

    def _expanded(self, query: Query, k: int, notice: str) -> Answer:
        """Answer the previous question again with whole passages (具体 / 原文 / 还有呢)."""
        scored = self.retriever.search(query, k)
        kept = [s for s in scored if s.answers]
        if not kept:
            return self._nothing(query, notice)
        return answers.expanded(query, kept, notice)

    def _spare_topic(self, query: Query) -> tuple[str, ...]:
        """Return the question words a named report can be searched by when nothing else is
        asked: those the reports use rarely (目标 of 「海南2025年的主要目标」), not 工作 or 党建,
        which every passage holds."""
        size = max(self.index.size, 1)
        return tuple(w for w in query.spare
                     if 0 < self.index.doc_freq(w) <= SPARE_MAX_SHARE * size)

    def _what_about(self, query: Query, notice: str) -> Answer:
        """A report named with nothing to ask about it: say how to ask."""
        titles = "、".join(f"《{t}》" for t in self._scope_titles(query)[:3])
        label = query.scope.label
        why = (f"想问{titles}的什么？例如：{label}存在哪些问题；"
               f"或先提一个问题，再用「那{label}呢」追问。")
        return answers.not_found(query.question, query.intent, why + notice,
                                 self.suggestions())

    def _nothing(self, query: Query, notice: str) -> Answer:
        missing = [t for t in query.terms
                   if self.index.doc_freq(t) == 0 and self.background.is_topic(t)]
        return answers.nothing(query, missing, self._scope_titles(query), notice,
                               self.suggestions(query.terms))

    def _scope_titles(self, query: Query) -> list[str]:
        return [self._by_report[r].title for r in query.scope.report_ids if r in self._by_report]

    def suggestions(
        self, tokens: Sequence[str] = (), kind: Kind | None = None
    ) -> tuple[Suggestion, ...]:
        """Suggest what to try: the section commands and the closest section titles."""
        mask = None if kind is None else self.retriever.kind_masks.get(kind)
        near = self.index.search(list(tokens), 3, mask) if tokens else []
        titles = list(dict.fromkeys(self.passages[r.position].section for r in near))[:3]
        return answers.suggestions(titles)


__all__ = ["MAX_QUESTION_CHARS", "QAEngine", "Hit", "index_text", "prepare_question",
           "within"]


def cache_dir(folder: Path) -> Path:
    """Return the one cache folder beside the reports: parsed reports, index, start-up data."""
    return folder / CACHE_DIR_NAME


def figures_store(folder: Path) -> Path:
    """Return where the reports' figures are kept between figure tables (``qa.figures.store``)."""
    return cache_dir(folder) / FIGURES_NAME


def open_engine(folder: Path, top_k: int = 5, segmenter: Tokenizer | None = None,
                settings: LanguageSettings | None = None) -> QAEngine:
    """Open the reports in ``folder`` as every front end does, with its caches beside them.

    Parsed reports, the segment index and the start-up data (character sets, lexicon
    frequencies) all live in ``<folder>/.qa-cache``: a restart neither parses nor tokenises
    unchanged reports.
    """
    cache = cache_dir(folder)
    use_cache_dir(cache)
    return QAEngine.from_directory(
        folder, top_k, segmenter, parsed_cache=cache / PARSED_NAME, index_dir=cache / INDEX_NAME,
        settings=settings,
    )
