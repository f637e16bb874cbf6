"""Plain-text rendering of an Answer, as the CLI prints it and as ``qa eval`` scores it."""

from __future__ import annotations

from qa.models import KIND_NAMES, PATH_SEP, Answer, Pairing, Quote, Suggestion

from .commands import CLI_COMMANDS_BY_NAME


def render_suggestion(suggestion: Suggestion) -> str:
    """Render a suggestion the CLI way: "qa problems [关键词]：…" or a section title."""
    if suggestion.kind == "command":
        command = CLI_COMMANDS_BY_NAME[suggestion.value]
        return f"qa {command.name} {command.args}".rstrip() + f"：{command.description}"
    return f"相近章节：{suggestion.value}"


def source_line(quote: Quote) -> str:
    """Return "——《title》› section path" for a quote."""
    passage = quote.passage
    return f"——《{passage.report_title}》{PATH_SEP}{passage.section}"


def render_quote(quote: Quote) -> str:
    """Render one quote: the sentence (or item list), then its source."""
    if quote.items:
        under = "".join(PATH_SEP + part for part in quote.items_under)
        lines = [f"《{quote.passage.report_title}》{under}"]
        lines.extend(f"  · {item}" for item in quote.items)
        return "\n".join(lines)
    return f"{quote.text}\n{source_line(quote)}"


def render_pairing(pairing: Pairing) -> str:
    """Render a problem, then each item answering it (or a note that none does)."""
    lines = ["问题：" + render_quote(pairing.problem)]
    answering = [(KIND_NAMES[q.passage.kind], q) for q in pairing.remedies]
    answering += [("次年报告", q) for q in pairing.later]
    for kind, quote in answering:
        lines.append(f"  → {kind}：" + render_quote(quote).replace("\n", "\n    "))
    if not answering:
        lines.append("  → 计划和整改中没有与之直接对应的条目。")
    return "\n".join(lines)


def render_text(answer: Answer) -> str:
    """Render an answer as plain text: quotes first, so the fact leads."""
    parts: list[str] = []
    if answer.smalltalk:
        return answer.notice
    if answer.lead:
        parts.append(answer.lead)
    if answer.found and answer.pairings:
        parts.extend(render_pairing(p) for p in answer.pairings)
        if answer.notice:
            parts.append(answer.notice)
    elif answer.found:
        title = KIND_NAMES.get(answer.intent, "")
        if answer.quotes and answer.quotes[0].items and title:  # a section's lists
            parts.append(f"【{title}】共 {len(answer.quotes)} 份报告")
        parts.extend(render_quote(q) for q in answer.quotes)
        if answer.notice:
            parts.append(answer.notice)
    elif answer.quotes:  # the topic is there, the asked fact is not (e.g. a hidden figure)
        parts.append("没找到。" + answer.notice + "提到的地方：")
        parts.extend(render_quote(q) for q in answer.quotes)
    else:
        parts.append("没找到。" + answer.notice)
        if answer.suggestions:
            tips = "\n".join(f"  · {render_suggestion(s)}" for s in answer.suggestions)
            parts.append("可以试试：\n" + tips)
    return "\n\n".join(parts)
