"""The synchronous façade: reports in, ``Answer`` out. Front ends call only this."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import overload

import numpy as np
import numpy.typing as npt

from .cache import cached_token_table, parsed_cache_path
from .commands import COMMANDS_BY_NAME
from .compose import QueryTerms, Weigh, best_sentence, overview_quote, quote_hit
from .errors import UnknownReportError
from .index import PassageIndex, TokenTable
from .ingest import load_reports
from .intent import SECTION_INTENTS, asked_unit, detect_intent, topic_terms
from .models import KIND_NAMES, Answer, Hit, Intent, Kind, Passage, Quote, Report
from .segment import Segmenter

MAX_QUESTION_CHARS = 200
# Share of a question's information (idf mass) the best passage must hold to count as found.
MIN_COVERAGE = 0.45
# Expanded synonyms count half: "轮训" should not outrank the asked-for "培训".
SYNONYM_WEIGHT = 0.5
# /problems and friends list at most this many reports (one passage each).
MAX_SECTION_REPORTS = 20
# How much the best sentence (vs the whole passage's BM25) decides the final order.
SENTENCE_LEAN = 0.5
SENTENCE_LEAN_FIGURE = 0.8
# Report ids named in an "unknown report" message.
MAX_LISTED_IDS = 10
SECTION_KINDS: tuple[Kind, ...] = ("problems", "plans", "highlights", "causes")


def prepare_question(raw: str) -> tuple[str, str]:
    """Collapse whitespace and cut an over-long question; return it and a notice (or "")."""
    text = re.sub(r"\s+", " ", raw or "").strip()
    if len(text) > MAX_QUESTION_CHARS:
        return text[:MAX_QUESTION_CHARS], f"问题过长，已只取前 {MAX_QUESTION_CHARS} 个字。"
    return text, ""


class QAEngine:
    """Answer questions over a fixed set of reports."""

    def __init__(
        self,
        reports: Sequence[Report],
        segmenter: Segmenter | None = None,
        top_k: int = 5,
        skipped: Sequence[tuple[str, str]] = (),
        token_lists: Sequence[Sequence[str]] | None = None,
    ) -> None:
        self.reports = tuple(reports)
        self.segmenter = segmenter or Segmenter()
        self.top_k = top_k
        self.skipped = tuple(skipped)
        self.passages: tuple[Passage, ...] = tuple(p for r in self.reports for p in r.passages)
        self._by_id = {p.passage_id: p for p in self.passages}
        self._by_report = {r.report_id: r for r in self.reports}
        if token_lists is None:
            token_lists = [self.segmenter.tokens(index_text(p)) for p in self.passages]
        self.index = PassageIndex.build(token_lists)
        kinds = np.array([p.kind for p in self.passages], dtype=object)
        # One boolean mask per kind, built once: comparing object arrays per query is slow.
        self._kind_masks: dict[str, npt.NDArray[np.bool_]] = {
            kind: kinds == kind for kind in set(kinds.tolist())
        }
        self._report_index = np.repeat(
            np.arange(len(self.reports), dtype=np.int32),
            [len(r.passages) for r in self.reports],
        )

    @classmethod
    def from_directory(
        cls,
        folder: Path,
        top_k: int = 5,
        segmenter: Segmenter | None = None,
        cache_path: Path | None = None,
    ) -> QAEngine:
        """Load every report in a folder and index it; raise EmptyCorpusError if none loads.

        With ``cache_path``, tokens of unchanged reports come from that token cache file, and
        their parsed structure from the file beside it (``parsed_cache_path``).
        """
        corpus = load_reports(folder, parsed_cache_path(cache_path) if cache_path else None)
        if cache_path is None:
            return cls(corpus.reports, segmenter, top_k, corpus.skipped)
        segmenter = segmenter or Segmenter()
        tokens = _cached_tokens(corpus.reports, segmenter, cache_path)
        return cls(corpus.reports, segmenter, top_k, corpus.skipped, tokens)

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
                f" 等 {len(self.reports)} 份（/reports 查看全部）"
                if len(self.reports) > MAX_LISTED_IDS
                else ""
            )
            why = "有多份报告匹配" if matches else "没有这份报告"
            raise UnknownReportError(f"{why}：{ref or '（空）'}。可用编号：{known}{more}")
        return matches[0]

    def passage(self, passage_id: str) -> Passage | None:
        """Return a passage by id, or None when it no longer exists."""
        return self._by_id.get(passage_id)

    # -- answering -----------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None) -> Answer:
        """Answer a free-text question with cited quotes, or say honestly that nothing was found."""
        text, notice = prepare_question(question)
        k = k or self.top_k
        tokens = self.segmenter.tokens(text) if text else []
        if not tokens:
            why = "请输入问题，例如：今年发展了多少党员？" if not text else "问题里没有可检索的词。"
            return self._not_found(text, "general", why + notice, [])
        intent = detect_intent(self.segmenter.normalize(text))
        kind = SECTION_INTENTS.get(intent)
        if kind is not None:
            topic = topic_terms(tokens)
            answer = self._section(text, intent, kind, topic, k, notice)
            if answer.found or not topic:
                return answer
            intent = "general"
        return self._search(text, intent, tokens, k, notice)

    def section_answer(self, kind: str, keyword: str = "", k: int | None = None) -> Answer:
        """List one passage per report from a section kind, optionally narrowed by a keyword."""
        if kind not in SECTION_KINDS:
            raise ValueError(f"unknown section kind: {kind}")
        keyword, notice = prepare_question(keyword)
        terms = self.segmenter.tokens(keyword) if keyword else []
        intent: Intent = SECTION_INTENTS_BY_KIND[kind]
        answer = self._section(
            keyword or KIND_NAMES[kind],
            intent,
            kind,
            terms,
            k or max(self.top_k, min(len(self.reports), MAX_SECTION_REPORTS)),
            notice,
        )
        return answer

    def _section(
        self, question: str, intent: Intent, kind: Kind, topic: list[str], k: int, notice: str
    ) -> Answer:
        if not topic:
            return self._overview(question, intent, kind, notice, k)
        terms = self.segmenter.expand(topic)
        weights = {t: SYNONYM_WEIGHT for t in terms if t not in topic}
        ranked = self.index.search_per_group(
            terms, k, self._report_index, self._kind_mask(kind), weights
        )
        hits = tuple(Hit(self.passages[r.position], r.score, r.matched) for r in ranked)
        if not hits:
            why = f"各报告的「{KIND_NAMES[kind]}」中没有找到与「{'、'.join(topic)}」相关的内容。"
            return self._not_found(question, intent, why + notice, topic, kind)
        query = QueryTerms(tuple(terms), tuple(topic), weights=weights)
        quotes = tuple(self._section_quote(h, query, kind) for h in hits)
        hits = tuple(q.hit for q in quotes)
        return Answer(question, intent, True, quotes, hits, (), notice, "".join(topic))

    def _section_quote(self, hit: Hit, query: QueryTerms, kind: Kind) -> Quote:
        """Quote the hit, or the whole section when only its heading matched ("2024年计划")."""
        text = self.segmenter.normalize(hit.passage.text)
        if any(term in text for term in hit.matched_terms):
            return quote_hit(hit, query, self._weight)
        report = self._by_report[hit.passage.report_id]
        return self._report_overview(report, kind) or quote_hit(hit, query, self._weight)

    def _report_overview(self, report: Report, kind: Kind) -> Quote | None:
        """Quote a report's section of one kind as the list of its item headings."""
        members = [p for p in report.passages if p.kind == kind]
        if not members:
            return None
        items = [p for p in members if len(p.section_path) > 1] or members
        return overview_quote(Hit(items[0], 0.0, ()), list(dict.fromkeys(map(section_item, items))))

    def _overview(self, question: str, intent: Intent, kind: Kind, notice: str, k: int) -> Answer:
        # The first k reports that have such a section, found without walking every passage.
        having = np.bincount(self._report_index[self._kind_mask(kind)], minlength=len(self.reports))
        found = (self._report_overview(self.reports[i], kind) for i in np.flatnonzero(having)[:k])
        quotes = tuple(q for q in found if q)
        if not quotes:
            why = f"报告中没有「{KIND_NAMES[kind]}」部分。"
            return self._not_found(question, intent, why + notice, [], kind)
        hits = tuple(q.hit for q in quotes)
        return Answer(question, intent, True, quotes, hits, (), notice)

    def _search(
        self, question: str, intent: Intent, tokens: list[str], k: int, notice: str
    ) -> Answer:
        base = self._with_compounds(tokens)
        terms = self.segmenter.expand(base)
        weights = {t: SYNONYM_WEIGHT for t in terms if t not in base}
        ranked = self.index.search(terms, max(k * 6, 30), None, weights)
        if not ranked or self._coverage(tokens, ranked[0].matched) < MIN_COVERAGE:
            missing = [t for t in dict.fromkeys(tokens) if self.index.doc_freq(t) == 0]
            why = (
                "报告中没有找到相关内容"
                + (f"（未出现：{'、'.join(missing)}）" if missing else "")
                + "。"
            )
            return self._not_found(question, intent, why + notice, tokens)
        figure = intent == "figure"
        unit = asked_unit(question) if figure else ""
        query = QueryTerms(tuple(terms), tuple(tokens), figure, unit, weights)
        hits = [Hit(self.passages[r.position], r.score, r.matched) for r in ranked]
        weigh = cache(self._weight)  # each term's weight once per question, not per sentence
        hits = self._rerank(hits, query, weigh)[:k]
        quotes = tuple(quote_hit(h, query, weigh) for h in hits[: min(3, k)])
        return Answer(question, intent, True, quotes, tuple(hits), (), notice)

    def _rerank(self, hits: list[Hit], query: QueryTerms, weigh: Weigh) -> list[Hit]:
        """Blend passage BM25 with how well the passage's best sentence answers.

        Figure questions lean on the sentence: the number sits in one sentence, not spread
        over a passage.
        """
        if not hits:
            return hits
        total = sum(query.weight(t, weigh) for t in set(query.terms)) or 1.0
        top = max(h.score for h in hits) or 1.0
        lean = SENTENCE_LEAN_FIGURE if query.figure else SENTENCE_LEAN

        def key(item: tuple[int, Hit]) -> tuple[float, int]:
            i, hit = item
            _, best, _ = best_sentence(hit.passage.text, query, weigh)
            return (-(lean * best / total + (1 - lean) * hit.score / top), i)

        return [h for _, h in sorted(enumerate(hits), key=key)]

    def _with_compounds(self, tokens: list[str]) -> list[str]:
        """Add adjacent-token compounds the reports use (发展 + 党员 → 发展党员)."""
        extra = [
            a + b
            for a, b in zip(tokens, tokens[1:], strict=False)
            if a + b not in tokens and self.index.doc_freq(a + b)
        ]
        return tokens + extra

    # -- helpers -------------------------------------------------------------------------

    def _kind_mask(self, kind: Kind) -> npt.NDArray[np.bool_]:
        """Return which passages are of a kind."""
        mask = self._kind_masks.get(kind)
        return mask if mask is not None else np.zeros(self.index.size, dtype=np.bool_)

    def _weight(self, term: str) -> float:
        """Return a term's information weight: unsmoothed idf, high for unseen terms."""
        n, df = self.index.size, self.index.doc_freq(term)
        return max(math.log((n - df + 0.5) / (df + 0.5)), 0.05)

    def _coverage(self, tokens: list[str], matched: Sequence[str]) -> float:
        got = set(matched)
        distinct = set(tokens)
        total = sum(self._weight(t) for t in distinct)
        held = sum(
            self._weight(t)
            for t in distinct
            if t in got or any(s in got for s in self.segmenter.synonyms.get(t, ()))
        )
        return held / total if total else 0.0

    def _not_found(
        self,
        question: str,
        intent: Intent,
        notice: str,
        tokens: list[str],
        kind: Kind | None = None,
    ) -> Answer:
        return Answer(question, intent, False, (), (), self.suggestions(tokens, kind), notice)

    def suggestions(self, tokens: Sequence[str] = (), kind: Kind | None = None) -> tuple[str, ...]:
        """Suggest what to try: the section commands and the closest section titles."""
        out = [
            f"{COMMANDS_BY_NAME[n].usage}：{COMMANDS_BY_NAME[n].description}"
            for n in ("problems", "plans", "highlights", "reports")
        ]
        near = self.index.search(list(tokens), 3, None if kind is None else self._kind_mask(kind))
        titles = dict.fromkeys(self.passages[r.position].section for r in near)
        out.extend(f"相近章节：{t}" for t in list(titles)[:3])
        return tuple(out)


SECTION_INTENTS_BY_KIND: dict[str, Intent] = {v: k for k, v in SECTION_INTENTS.items()}


def _cached_tokens(reports: Sequence[Report], segmenter: Segmenter, cache_path: Path) -> TokenTable:
    texts = [(r.report_id, IndexTexts(r.passages)) for r in reports]
    return cached_token_table(texts, segmenter, cache_path)


class IndexTexts(Sequence[str]):
    """A report's indexed texts, built on demand: 10⁶ joined strings at once cost ~0.3 GB."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = passages

    def __len__(self) -> int:
        return len(self.passages)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [index_text(p) for p in self.passages[i]]
        return index_text(self.passages[i])


def index_text(passage: Passage) -> str:
    """Return what is indexed for a passage: its headings (minus its own label) and its text."""
    headings = passage.section_path[:-1] if passage.label else passage.section_path
    return " ".join((*headings, passage.text))


def section_item(passage: Passage) -> str:
    """Return the line a section overview shows for a passage: its top item heading."""
    if len(passage.section_path) > 1:
        return passage.section_path[1]
    return passage.label or passage.text[:40]
