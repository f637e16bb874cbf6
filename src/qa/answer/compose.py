"""Answer composition: the fact first, then cited quotes; "not found" as an honest value."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from qa.language import Query, amount_of, drop_subterms, figure_year
from qa.models import (
    LISTED_KINDS,
    Answer,
    Hit,
    Intent,
    Kind,
    Passage,
    Quote,
    Report,
    Suggestion,
    overview_items,
)

from .asked import (
    counts_after_terms,
    fits,
    fitting_counts,
    has_fitting_count,
    has_hidden_name,
    has_redacted_count,
    names_someone,
    stated_counts,
)
from .nearmiss import (
    counts_in,
    new_counts,
    qualifier_clash,
    states_qualifier,
    unexplained_slogan,
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
    when = f"{year}年{'计划' if kind == 'plans' else ''}" if year else ""
    name = report.unit or report.title
    if name in (report.report_id, short):  # no unit, and the file name for a title
        return f"{short}（{when}）" if when else short
    return f"{name}（{short}{'，' + when if when else ''}）"


# Views every front end offers as a command of its own (the bot /problems, the CLI qa problems).
SUGGESTED_COMMANDS = (*LISTED_KINDS, "rectify", "reports")


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


def outside(query: Query, notice: str) -> Answer:
    """Say that the reports a question names are outside those the caller allowed."""
    why = f"「{query.scope.label}」的报告不在检索范围内。"
    return Answer(query.question or query.text, query.intent, False, (), notice=why + notice,
                  scope=query.scope.label, outside=True)


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


def report_overview(report: Report, kind: Kind, years: tuple[str, ...] = ()) -> Quote | None:
    """Quote a report's section of one kind as the list of its item headings.

    ``years``: the years a question names (「今年」 is the report's own). A report planning
    both a five-year period and one year (「二、“十五五”时期主要目标任务」「三、2026年重点工作」)
    answers 「2026年重点抓哪几项工作」 with the section whose heading names 2026.
    """
    # Found by the kind letters: a deferred body without the kind is not read at all.
    members = list(report.passages_of((kind,)))
    if not members:
        return None
    named = tuple(report.year if y == "今年" else y for y in years)
    members = [p for p in members if any(y in p.section_path[0] for y in named)
               if p.section_path and named] or members
    # One passage per heading (the first under it): what the list shows, and what it cites.
    items = overview_items(members)
    hits = [Hit(p, 0.0, ()) for p in items.values()]
    return overview_quote(hits[0], list(items), hits)


def report_outline(report: Report) -> Quote | None:
    """Quote a report as the list of its parts (「四季度党课讲了哪几个方面」): its top headings,
    else the items under its one heading or its labelled items (一是…), in order; None when it
    has fewer than two."""
    for depth in (0, 1):
        first: dict[str, Passage] = {}
        for passage in report.passages:
            part = passage.section_path[depth] if len(passage.section_path) > depth \
                else passage.label if depth else ""
            if part:
                first.setdefault(part, passage)
        if len(first) >= 2:
            hits = [Hit(p, 0.0, ()) for p in first.values()]
            return overview_quote(hits[0], list(first), hits)
    return None


def led_list(report: Report, lead: Passage) -> Quote | None:
    """Quote the items a lead-in paragraph introduces, or None when none follow.

    「下半年，党支部将……」 is followed by 「一是…」「二是…」 of its own kind: a question the
    lead-in answers ("下半年准备咋干") wants those items, not the sentence that announces them.
    A section's opening paragraph leads its sub-headings the same way (「一、…」 → 「1.…」「2.…」).
    """
    passages = report.passages
    at = next((i for i, p in enumerate(passages) if p.passage_id == lead.passage_id), -1)
    if at < 0 or lead.label:
        return None
    depth = len(lead.section_path)
    first: dict[str, Passage] = {}
    for passage in passages[at + 1:]:
        inside = passage.section_path[:depth] == lead.section_path
        if passage.kind != lead.kind or not inside:
            break
        if len(passage.section_path) > depth:
            first.setdefault(passage.section_path[depth], passage)  # a sub-heading's first
        elif passage.label:
            first.setdefault(passage.label, passage)
        else:
            break  # prose again: the list has ended
    if len(first) < 2:
        return None
    hits = [Hit(p, 0.0, ()) for p in first.values()]
    # Cited like an overview: the items are the answer, the lead-in only pointed at them.
    return overview_quote(hits[0], list(first), hits)


def sibling_list(report: Report, item: Passage) -> Quote | None:
    """Quote the list an item belongs to: its parent heading's items, in order, or None.

    「几个狠抓分别抓啥」 finds one 「四是狠抓…」; the question counts the list it is part of.
    """
    parent = item.section_path[:-1]
    if not parent:
        return None
    depth = len(parent)
    first: dict[str, Passage] = {}
    for passage in report.passages:
        if passage.section_path[:depth] == parent and len(passage.section_path) > depth:
            first.setdefault(passage.section_path[depth], passage)
    if len(first) < 2:
        return None
    hits = [Hit(p, 0.0, ()) for p in first.values()]
    return overview_quote(hits[0], list(first), hits)


# A meeting record states its fields in its first lines (会议时间：… 会议地点：… 主持人：…).
MAX_RECORD_HEADER = 12
_NEXT_FIELD = re.compile(r"[\s\u3000]+[\u4e00-\u9fff]{2,6}[：:]")


def record_field(report: Report, label: str) -> tuple[Passage, str] | None:
    """Return a meeting record's 「…label：value」 line (its passage and the field as written),
    or None when the report has no such field (it is not a record)."""
    field = re.compile(rf"(?:^|[\s\u3000])([^\s\u3000：:]{{0,6}}{re.escape(label)})[：:]\s*")
    for passage in report.passages[:MAX_RECORD_HEADER]:
        # A short field line followed by the minutes may have been read as their heading.
        for line in (*passage.section_path, passage.text):
            found = field.search(line)
            if found is None:
                continue
            rest = line[found.end():]
            end = _NEXT_FIELD.search(rest)  # 「主持人：傅晓华　记录人：傅晓华」 holds two fields
            value = (rest[: end.start()] if end else rest).strip()
            if value:
                return passage, f"{found.group(1)}：{value}"
    return None


def ordinal_item(report: Report, passage: Passage, place: int, noun: str = "") -> Quote | None:
    """Quote the item at a place (1 = first) of the list a passage opens or belongs to; with
    ``noun``, only a list whose heading names it (「当好“三个表率”」 for 「第一个表率」)."""
    items = led_list(report, passage) or sibling_list(report, passage)
    if items is None or not 0 < place <= len(items.item_hits):
        return None
    if noun and not any(noun in h for h in items.item_hits[0].passage.section_path[:-1]):
        return None
    hit = items.item_hits[place - 1]
    return overview_quote(hit, [items.items[place - 1]], [hit])


_AMOUNT = re.compile(r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)(万|亿)?")


def count_amount(count: str) -> float:
    """Return the amount a count states, multiplier included (「143.02万人」 → 1430200)."""
    found = _AMOUNT.match(count)
    return amount_of(found.group(1), found.group(2) or "") if found else 0.0


# A count is of the asked subject when the words just before it hold this share of its
# characters (「新增城镇就业79.8万人」 for 城镇新增就业, not 「转移就业1695万人」).
SUBJECT_SHARE = 0.6


def counts_of(text: str, unit: str, subject: str) -> list[str]:
    """Return the counts a text states of a subject, in the measure word asked."""
    wanted = set(subject)
    found = []
    for at, count, measure in stated_counts(text):
        window = set(text[max(0, at - len(subject) - 2): at])
        if fits(measure, unit) and len(wanted & window) >= SUBJECT_SHARE * len(wanted):
            found.append(count)
    return found


def clears_bar(row: Scored, query: Query) -> bool:
    """Tell whether a row states a count of the asked subject reaching the question's bar
    (「城镇新增就业超过100万人」), not another figure of the same passage."""
    stated = counts_of(row.quote.text, query.unit, query.counted) if query.counted else \
        counts_after_terms(row.quote.text, query.unit, drop_subterms(query.search_terms))
    return any(count_amount(count) >= query.at_least for count in stated)


_YEAR_SAID = re.compile(r"(?<!\d)(20\d{2})\s*年")


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


_FEWEST = re.compile(r"最少|最低|最差|最小")


def asks_fewest(query: Query) -> bool:
    """Tell whether a comparison asks for the smallest count ("哪家发展得最少")."""
    return _FEWEST.search(query.text) is not None


def count_terms(query: Query, text: str) -> tuple[str, ...]:
    """Return the question words a count is read after: the question's own longest words,
    else the longest it searched for, or their parts when the text says none of them (粮食 of
    粮食产量 in 「粮食总产781.8亿斤」)."""
    own = tuple(drop_subterms(query.terms))  # 党员大会, though 支部党员大会 expands it
    if any(t in text for t in own):
        return own
    longest = tuple(drop_subterms(query.search_terms))
    return longest if any(t in text for t in longest) else tuple(query.search_terms)


def row_counts(row: Scored, query: Query) -> list[str]:
    """Return the counts a comparison row states of what the question counts."""
    if query.counted:  # 「城镇新增就业超过100万人」: only counts of that subject
        return counts_of(row.quote.text, query.unit, query.counted)
    return fitting_counts(row.quote.text, query.unit, count_terms(query, row.quote.text))


def sort_by_count(rows: Sequence[Scored], query: Query) -> list[Scored]:
    """Order rows by the count their quote states, largest (or smallest, 「最少」) first; rows
    without one last."""
    fewest = asks_fewest(query)
    valued = []
    for row in rows:
        counts = [count_amount(c) for c in row_counts(row, query)]
        if counts:
            valued.append((min(counts) if fewest else -max(counts), row))
    valued.sort(key=lambda pair: pair[0])
    ranked = [row for _, row in valued]
    return ranked + [row for row in rows if row not in ranked]


def compared(query: Query, rows: Sequence[Scored], reports: Mapping[str, Report],
             notice: str) -> Answer:
    """One line per report, the extreme first: "县直机关工委（003）最多：87名"."""
    parts = []
    for i, row in enumerate(rows):
        hit = row.hit
        name = report_name(reports[hit.passage.report_id], hit.passage.kind)
        if query.intent == "figure":
            found_counts = row_counts(row, query)
            counts = "、".join(found_counts) or "未给出数字"
            top = i == 0 and len(rows) > 1 and found_counts
            extreme = "最少" if asks_fewest(query) else "最多"
            parts.append(f"{name}{extreme if top else ''}：{counts}")
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
        counts = fitting_counts(row.quote.text, query.unit, count_terms(query, row.quote.text))
        short = report_id.split("_")[0]
        # The counts nearest the asked words come first; three say enough for one year.
        parts.append(f"{years[report_id]}年（{short}）：{'、'.join(counts[:3]) or '未给出数字'}")
    lead = f"{query.scope.label}历年：" + "；".join(parts)
    return found(query, tuple(r.quote for r in rows), tuple(r.hit for r in rows), notice, lead)


def of_years_asked(query: Query, rows: Sequence[Scored], reports: Mapping[str, Report]
                   ) -> list[Scored]:
    """Put first (stably) the rows whose figures describe a year the question names: the
    2026 report's review tells 「重庆2025年新能源汽车产量」, not the 2025 report's of 2024."""
    asked = {str(year) for year in query.scope.described}  # not 「26年报告」's: the report's
    if not asked:
        return list(rows)

    def describes(row: Scored) -> bool:
        passage = row.hit.passage
        said = set(_YEAR_SAID.findall(row.quote.text))  # 「2023年新发展党员…」 says it itself
        return figure_year(reports[passage.report_id], passage.kind) in asked or bool(said & asked)

    return sorted(rows, key=lambda row: not describes(row))


def searched(query: Query, rows: Sequence[Scored], k: int, reports: Mapping[str, Report],
             notice: str) -> Answer:
    """Quote the best passages; a figure question leads with the counts it found."""
    if query.intent == "figure":
        rows = of_years_asked(query, rows, reports)
    top = list(rows)[:MAX_QUOTES]
    lead = ""
    if query.intent == "figure":
        parts = []
        # Only quotes about as close to the question as the first lend a figure to the lead.
        for row in (r for r in top if r.coverage >= top[0].coverage - LEAD_SLACK):
            counts = fitting_counts(row.quote.text, query.unit, count_terms(query, row.quote.text))
            if counts:
                hit = row.hit
                name = report_name(reports[hit.passage.report_id], hit.passage.kind)
                parts.append(f"{name} {'、'.join(counts)}")
        lead = "；".join(dict.fromkeys(parts))
    quotes = tuple(row.quote for row in top)
    hits = tuple(row.hit for row in list(rows)[:k])
    return found(query, quotes, hits, notice, lead)


def other_year(text: str, years: Sequence[int]) -> bool:
    """Tell whether a quote dates what it says to a year other than the asked ones."""
    said = {int(y) for y in _YEAR_SAID.findall(text)}
    return bool(said) and not said & set(years)


def no_figure(query: Query, rows: Sequence[Scored], notice: str,
              hints: tuple[Suggestion, ...], near_miss: bool = False) -> Answer:
    """Say the reports give no figure, and show where the topic is mentioned.

    With ``near_miss``, a quote that does state a number (for another year, another thing) is
    never contradicted: the answer says what was not given and what was ("只提到").
    """
    quotes = tuple(row.quote for row in list(rows)[:2])
    why = "报告提到了这件事，但没有给出具体数字（或数字已隐去）。"
    if near_miss and any(states_count(row, query.unit) for row in list(rows)[:2]):
        asked = "、".join(f"{y}年" for y in query.scope.years)
        why = f"报告没有给出{asked}所问的这个数字；只提到相近的说法（见下，数字不是所问的）。"
    return Answer(query.question, query.intent, False, quotes, (), hints, why + notice,
                  scope=query.scope.label)


def states_attribute(scored: Scored, query: Query) -> bool:
    """Tell whether a hit's passage names the attribute a figure question measures (or what
    the question's word for it expands to)."""
    passage = scored.hit.passage
    text = " ".join((*passage.section_path, passage.text))
    words = (query.measured, *query.expansions.get(query.measured, ()))
    return any(word in text for word in words)


def hides_name(scored: Scored) -> bool:
    """Tell whether a scored hit's quote mentions a person without the name ("*同志")."""
    return has_hidden_name(scored.quote.text)


def says_who(scored: Scored, asked: Sequence[str] = ()) -> bool:
    """Tell whether a scored hit's quote says who (a person or a post), named or not.

    The post a question asks about is not its answer: 「书记叫什么名字」 is not answered by
    「支部书记工作室」, but 「谁当组长」 is by 「党委书记任组长」.
    """
    text = scored.quote.text
    for word in sorted(asked, key=len, reverse=True):
        text = text.replace(word, "\0")
    return names_someone(text)


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


def near_answer(query: Query, rows: Sequence[Scored], why: str, notice: str,
                hints: tuple[Suggestion, ...]) -> Answer:
    """Say what the reports do not give, and quote what they give instead (found false)."""
    quotes = tuple(row.quote for row in list(rows)[:2])
    return Answer(query.question, query.intent, False, quotes, (), hints, why + notice,
                  scope=query.scope.label)


def missed_qualifier(query: Query, rows: Sequence[Scored]) -> str:
    """Return why the best row misses the asked thing (another 届/星级, an unexplained slogan)
    when no other row holds it either; "" when the rows answer.

    A figure is judged by the sentence that states it ("五星级党支部59个" does not count the
    三星级 ones the same passage mentions later); anything else by the whole passage.
    """
    if not rows:
        return ""
    figure = query.intent == "figure"
    texts = [r.quote.text if figure else r.hit.passage.text for r in rows]
    clash = qualifier_clash(query.terms, texts[0])
    if clash and not any(states_qualifier(clash[0], text) for text in texts):
        return f"报告没有给出「{clash[0]}」的情况；只提到「{clash[1]}」。"
    passages = [r.hit.passage.text for r in rows]
    slogan = unexplained_slogan(query.text, query.terms, passages[0])
    if slogan and all(unexplained_slogan(query.text, query.terms, t)
                      for t in passages if slogan in t):
        return f"报告没有解释「{slogan}」具体指什么；只提到这个说法。"
    return ""


def decide(query: Query, scored: Sequence[Scored], k: int, reports: Mapping[str, Report],
           notice: str, hints: Callable[[], tuple[Suggestion, ...]],
           near_miss: bool = False) -> Answer:
    """Answer a searched question from its ranked passages (the best one answers): the fact,
    or an honest near-miss when the passages never state the name or number asked for."""
    kept = [scored[0], *(s for s in scored[1:] if s.answers)]
    missed = missed_qualifier(query, kept) if near_miss else ""
    if missed:
        return near_answer(query, kept, missed, notice, hints())
    if query.intent == "name" and hides_name(scored[0]):
        return no_name(query, kept, notice, hints())
    if query.intent == "name" and not any(says_who(s, query.terms) for s in kept[:2]) \
            and not (query.doer_asked and scored[0].answers):
        # As with counts: a passage about the matter that never says who is no answer. But
        # a report tells what its own unit did without a subject (「组建机关系统工会舞蹈队」):
        # who did it is the report's unit, which the answer names.
        return no_name(query, kept, notice, hints(), False)
    if query.intent == "name" and query.doer_asked and not says_who(scored[0], query.terms):
        doer = reports.get(scored[0].hit.passage.report_id)
        if doer is not None and doer.unit:
            notice = f"报告没有写具体由谁来做；这是「{doer.unit}」报告里写的本单位工作。" + notice
    if query.intent == "figure":
        # Only passages about as close to the question as the best may lend their number.
        if hides_count(scored[0], query.unit):
            return no_figure(query, kept, notice, hints())
        near = [s for s in kept if s.coverage >= scored[0].coverage - FIGURE_SLACK]
        with_count = [s for s in near if states_count(s, query.unit)]
        if near_miss and counts_in(query.question, query.unit):
            # A number the question already gives ("学习12次里头…") is not its answer.
            with_count = [s for s in with_count
                          if new_counts(s.quote.text, query.question, query.unit)]
        if near_miss and query.scope.years:
            # A 2022年度 figure does not answer a 2023年度 question.
            dated = [s for s in with_count if not other_year(s.quote.text, query.scope.years)]
            if with_count and not dated:
                return no_figure(query, with_count, notice, hints(), True)
            with_count = dated
        if near_miss and query.measured:
            # 「活动室面积有多大」 is not answered by 「2名」 in a passage that never says 面积.
            measured = [s for s in with_count if states_attribute(s, query)]
            if with_count and not measured:
                return no_figure(query, with_count, notice, hints(), True)
            with_count = measured
        if not with_count:
            return no_figure(query, kept, notice, hints(), near_miss)
        kept = with_count + [s for s in kept if s not in with_count]
    return searched(query, kept, k, reports, notice)
