"""Answer composition: the fact first, then cited quotes; "not found" as an honest value."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from qa.figures import parse_chinese_number
from qa.language import Query, drop_subterms, figure_year
from qa.models import LISTED_KINDS, Answer, Hit, Intent, Kind, Passage, Quote, Report, Suggestion

from .asked import (
    counts_after_terms,
    fitting_counts,
    has_fitting_count,
    has_hidden_name,
    has_redacted_count,
    names_someone,
)
from .quotes import highlight_spans, overview_quote
from .retrieve import Scored

MAX_QUOTES = 3
LEAD_SLACK = 0.1
EXPANDED_CHARS = 600
SMALLTALK_REPLIES = {
    "greeting": (
        "您好！我可以回答党建工作报告里的问题，例如：今年发展了多少党员？"
    ),
    "thanks": "不客气！还有问题随时问我。",
}
# A figure may come from a passage whose coverage is this much below the best one's.
FIGURE_SLACK = 0.1


def report_name(report: Report, kind: str = "") -> str:
    """Return how a lead line names a report: unit, number and the year its figures describe
    ("党组（002，2023年）"; a plans passage describes the year after the one reviewed)."""
    short = report.report_id.split("_")[0]
    year = figure_year(report, kind)
    when = f"，{year}年{'计划' if kind == 'plans' else ''}" if year else ""
    return f"{report.unit or report.title}（{short}{when}）"


# Views every front end offers as a command of its own (the bot /problems, the CLI qa problems).
SUGGESTED_COMMANDS = (*LISTED_KINDS, "reports")


def suggestions(titles: Sequence[str]) -> tuple[Suggestion, ...]:
    """Return what to try instead: the section lists, the report list, close section titles."""
    out = [Suggestion("command", n) for n in SUGGESTED_COMMANDS]
    out.extend(Suggestion("section", t) for t in titles)
    return tuple(out)


def smalltalk(question: str, kind: str) -> Answer:
    """Reply to a greeting or thanks: friendly, short, no search."""
    return Answer(question, "general", False, (), notice=SMALLTALK_REPLIES[kind], smalltalk=kind)


def not_found(question: str, intent: Intent, why: str, hints: tuple[Suggestion, ...]) -> Answer:
    """Return an honest "nothing found" with the reason and what to try."""
    return Answer(question, intent, False, (), (), hints, why)


def nothing(
    query: Query, missing: Sequence[str], scope_titles: Sequence[str], notice: str,
    hints: tuple[Suggestion, ...],
) -> Answer:
    """Say that the reports (or the named ones) are silent on the question."""
    topic = "、".join(drop_subterms(query.terms)) or query.text
    if query.scope.named and scope_titles:
        where = "、".join(f"《{t}》" for t in scope_titles[:3])
        why = f"{where}中没有提到「{topic[:30]}」。"
    else:
        absent = f"（未出现：{'、'.join(missing[:5])}）" if missing else ""
        why = f"报告中没有找到相关内容{absent}。"
    return Answer(query.question, query.intent, False, (), (), hints, why + notice,
                  scope=query.scope.label)


def found(
    query: Query, quotes: tuple[Quote, ...], hits: tuple[Hit, ...], notice: str,
    lead: str = "", keyword: str = "",
) -> Answer:
    """Return a found answer."""
    return Answer(query.question or query.text, query.intent, True, quotes, hits, (), notice,
                  keyword, lead, scope=query.scope.label)


def section_item(passage: Passage) -> str:
    """Return the line a section overview shows for a passage: its top item heading."""
    if len(passage.section_path) > 1:
        return passage.section_path[1]
    return passage.label or passage.text[:40]


def report_overview(report: Report, kind: Kind) -> Quote | None:
    """Quote a report's section of one kind as the list of its item headings."""
    members = [p for p in report.passages if p.kind == kind]
    if not members:
        return None
    items = [p for p in members if len(p.section_path) > 1] or members
    return overview_quote(Hit(items[0], 0.0, ()), list(dict.fromkeys(map(section_item, items))))


def count_value(count: str) -> float:
    """Return the value of a count as written ("87名" → 87, "两支" → 2, "20余次" → 20)."""
    number = re.match(r"\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+", count)
    if number is None:
        return 0.0
    text = number.group(0)
    return float(text) if text[0].isdigit() else float(parse_chinese_number(text))


def states_count(scored: Scored, unit: str) -> bool:
    """Tell whether a scored hit's quote states a count in the asked measure word."""
    return has_fitting_count(scored.quote.text, unit)


def counted_near(scored: Scored, query: Query) -> bool:
    """Tell whether a hit states a count right after one of the asked words."""
    terms = list(query.search_terms)  # 发展 alone too: 「发展1名预备党员」
    return bool(counts_after_terms(scored.quote.text, query.unit, terms))


def hides_count(scored: Scored, unit: str) -> bool:
    """Tell whether a scored hit's quote hides the asked count ("x次", "**名")."""
    return has_redacted_count(scored.quote.text, unit)


def sort_by_count(rows: Sequence[Scored], unit: str, terms: Sequence[str]) -> list[Scored]:
    """Order rows by the count their quote states, largest first; rows without one last."""
    valued = []
    for row in rows:
        counts = fitting_counts(row.quote.text, unit, drop_subterms(terms))
        valued.append((max((count_value(c) for c in counts), default=-1.0), row))
    valued.sort(key=lambda pair: -pair[0])
    return [row for _, row in valued]


def compared(query: Query, rows: Sequence[Scored], reports: Mapping[str, Report],
             notice: str) -> Answer:
    """One line per report, the extreme first: "县直机关工委（003）最多：87名"."""
    parts = []
    for i, row in enumerate(rows):
        hit, quote = row.hit, row.quote
        name = report_name(reports[hit.passage.report_id], hit.passage.kind)
        if query.intent == "figure":
            found_counts = fitting_counts(quote.text, query.unit, drop_subterms(query.search_terms))
            counts = "、".join(found_counts) or "未给出数字"
            top = i == 0 and len(rows) > 1 and found_counts
            parts.append(f"{name}{'最多' if top else ''}：{counts}")
        else:
            parts.append(name)
    lead = ("；".join(parts) if query.intent == "figure" else "提到的单位：" + "、".join(parts))
    quotes = tuple(row.quote for row in rows)
    hits = tuple(row.hit for row in rows)
    return found(query, quotes, hits, notice, lead)


def by_year(query: Query, rows: Sequence[Scored], years: Mapping[str, str], notice: str
            ) -> Answer:
    """One line per report of one unit, oldest year first: "2022年：3名；2023年：87名"."""
    parts = []
    for row in rows:
        report_id = row.hit.passage.report_id
        counts = fitting_counts(row.quote.text, query.unit, drop_subterms(query.search_terms))
        short = report_id.split("_")[0]
        # The counts nearest the asked words come first; three say enough for one year.
        parts.append(f"{years[report_id]}年（{short}）：{'、'.join(counts[:3]) or '未给出数字'}")
    lead = f"{query.scope.label}历年：" + "；".join(parts)
    return found(query, tuple(r.quote for r in rows), tuple(r.hit for r in rows), notice, lead)


def searched(query: Query, rows: Sequence[Scored], k: int, reports: Mapping[str, Report],
             notice: str) -> Answer:
    """Quote the best passages; a figure question leads with the counts it found."""
    top = list(rows)[:MAX_QUOTES]
    lead = ""
    if query.intent == "figure":
        parts = []
        # Only quotes about as close to the question as the first lend a figure to the lead.
        for row in (r for r in top if r.coverage >= top[0].coverage - LEAD_SLACK):
            counts = fitting_counts(row.quote.text, query.unit, drop_subterms(query.search_terms))
            if counts:
                hit = row.hit
                name = report_name(reports[hit.passage.report_id], hit.passage.kind)
                parts.append(f"{name} {'、'.join(counts)}")
        lead = "；".join(dict.fromkeys(parts))
    quotes = tuple(row.quote for row in top)
    hits = tuple(row.hit for row in list(rows)[:k])
    return found(query, quotes, hits, notice, lead)


def no_figure(query: Query, rows: Sequence[Scored], notice: str,
              hints: tuple[Suggestion, ...]) -> Answer:
    """Say the reports give no figure, and show where the topic is mentioned."""
    quotes = tuple(row.quote for row in list(rows)[:2])
    why = "报告提到了这件事，但没有给出具体数字（或数字已隐去）。"
    return Answer(query.question, query.intent, False, quotes, (), hints, why + notice,
                  scope=query.scope.label)


def hides_name(scored: Scored) -> bool:
    """Tell whether a scored hit's quote mentions a person without the name ("*同志")."""
    return has_hidden_name(scored.quote.text)


def says_who(scored: Scored) -> bool:
    """Tell whether a scored hit's quote says who (a person or a post), named or not."""
    return names_someone(scored.quote.text)


def no_name(
    query: Query, rows: Sequence[Scored], notice: str, hints: tuple[Suggestion, ...],
    hidden: bool = True,
) -> Answer:
    """Say the reports do not name the person, and show where the matter is mentioned."""
    quotes = tuple(row.quote for row in list(rows)[:1])
    why = ("报告提到了这件事，但没有写出姓名（已隐去）。" if hidden
           else "报告提到了这件事，但没有写是谁。")
    return Answer(query.question, query.intent, False, quotes, (), hints, why + notice,
                  scope=query.scope.label)


def expanded(query: Query, rows: Sequence[Scored], notice: str) -> Answer:
    """Answer with whole passages, for "具体怎么做的" / "原文" after an answer."""
    quotes = []
    for row in list(rows)[:MAX_QUOTES]:
        hit = row.hit
        text = hit.passage.text
        if len(text) > EXPANDED_CHARS:
            text = text[:EXPANDED_CHARS] + "…"
        quotes.append(Quote(hit, text, highlight_spans(text, query.terms, False)))
    return found(query, tuple(quotes), tuple(q.hit for q in quotes), notice)


def decide(query: Query, scored: Sequence[Scored], k: int, reports: Mapping[str, Report],
           notice: str, hints: Callable[[], tuple[Suggestion, ...]]) -> Answer:
    """Answer a searched question from its ranked passages (the best one answers): the fact,
    or an honest near-miss when the passages never state the name or number asked for."""
    kept = [scored[0], *(s for s in scored[1:] if s.answers)]
    if query.intent == "name" and hides_name(scored[0]):
        return no_name(query, kept, notice, hints())
    if query.intent == "name" and not any(says_who(s) for s in kept[:2]):
        # As with counts: a passage about the matter that never says who is no answer.
        return no_name(query, kept, notice, hints(), False)
    if query.intent == "figure":
        # Only passages about as close to the question as the best may lend their number.
        if hides_count(scored[0], query.unit):
            return no_figure(query, kept, notice, hints())
        near = [s for s in kept if s.coverage >= scored[0].coverage - FIGURE_SLACK]
        with_count = [s for s in near if states_count(s, query.unit)]
        if not with_count:
            return no_figure(query, kept, notice, hints())
        kept = with_count + [s for s in kept if s not in with_count]
    return searched(query, kept, k, reports, notice)
