"""Headings without numbers: run-in sub-heads, stand-alone heading lines, appendices, footnotes.

Rules about document structure, not words: a run-in sub-head is a short first sentence that
heads a long paragraph, and only counts when its section has at least two of them (sub-heads
come in parallel runs; one short first sentence is just a short sentence). A stand-alone line
heads the body after it only in a document whose top level carries no numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .sectionkind import heading_kind, is_vocative, opens_running_text

MAX_RUNIN_CHARS = 30  # a sub-head longer than this is a sentence, not a head
MIN_BODY_CHARS = 30  # the text a run-in head heads is at least this long
MAX_STANDALONE_CHARS = 32
MIN_BODY_LINE = 40  # a line this long (or ending a sentence) is body text
_FIRST_SENTENCE = re.compile(r"[。！？!?]")
_DASH = re.compile(r"^(?:——|—|－－|--)")
_LINE_END_PUNCT = tuple("。！？!?：:；;，,、”\"’）)…")
# A date at a line's start followed by a comma: a photo caption or a dated sentence.
_DATED = re.compile(r"^(?:19|20)\d{2}年(?:\d{1,2}月)?(?:\d{1,2}日)?[，,]")
_APPENDIX = re.compile(r"^附件\s*[\d一二三四五六七八九十]*[：:]?$")
# Footnote definitions: [1] / ［1］ / 【1】 at a line's start.
_FOOTNOTE = re.compile(r"^[\[［【]\d{1,3}[\]］】]")
_BODY_STANDIN = "。" * MIN_BODY_LINE
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True, slots=True)
class RunIn:
    """A sub-head found at a line: its text, and the body that follows it on the same line."""

    label: str
    body: str


def split_runin(line: str) -> RunIn | None:
    """Split a paragraph into a short first sentence and its body, if it could be a sub-head."""
    match = _FIRST_SENTENCE.search(line)
    if match is None:
        return None
    label, body = line[: match.start()], line[match.end() :].strip()
    if not _head_shaped(label) or len(body) < MIN_BODY_CHARS:
        return None
    return RunIn(label, body)


def _head_shaped(label: str) -> bool:
    bare = _DASH.sub("", label)
    return (
        4 <= len(bare) <= MAX_RUNIN_CHARS
        and not any(c in bare for c in "：:；;") and not bare.startswith(("“", "\""))
        and bare.count("，") + bare.count(",") <= 1
        and not opens_running_text(bare)
        and not _DATED.match(bare)
    )


def is_body(line: str) -> bool:
    """Tell whether a line is running text (long, or a finished sentence)."""
    return len(line) >= MIN_BODY_LINE or (len(line) > 10 and line.endswith(("。", "！", "？")))


def short_line_head(line: str, following: str) -> str | None:
    """Return the head a short line of its own is (「这是……的五年。」 over its body), or None."""
    label = line.rstrip("。")
    if line.endswith(("！", "？", "：", ":")) or not _head_shaped(label):
        return None
    if label.endswith(("的", "和", "与", "及", "是", "在", "为")) or not is_body(following):
        return None
    return label


def standalone_heading(line: str, following: str) -> bool:
    """Tell whether a line without a number or end punctuation heads the body line after it."""
    return (
        2 <= len(line) <= MAX_STANDALONE_CHARS
        and not line.endswith(_LINE_END_PUNCT)
        and not line.startswith(("“", "\"", "《", "（", "(", "【", "["))
        and not _DATED.match(line)
        and not is_vocative(line)
        and not line.endswith(("的", "和", "与", "及", "在"))
        and len(_CJK.findall(line)) >= 2
        and (len(following) >= MIN_BODY_LINE or following.endswith(("。", "”")))
        and following.endswith(("。", "！", "？", "”", "；"))
    )


def part_heading(line: str, following: str) -> bool:
    """Tell whether an unnumbered line above a report's numbered sections heads a part of it.

    Some 政府工作报告 group their 「一、」 sections under unnumbered parts
    (「“十四五”时期发展成就和2025年工作回顾」, 「“十五五”时期主要目标和2026年重点工作」); only a
    line that names what the part is (a review, the year's tasks) counts, quoted or not.
    """
    bare = line.lstrip("“\"")
    return heading_kind(line) is not None and standalone_heading(bare, following)


def is_appendix(line: str) -> bool:
    """Tell whether a line opens an appendix (「附件1」, 「附件：」)."""
    return bool(_APPENDIX.match(line))


def footnote_mark(line: str, previous: str) -> bool:
    """Tell whether a line defines a footnote of the text before it.

    ``[1]``/``［1］`` at a line's start always do; a circled number (①) does only when the text
    before it carries the same mark, else it is a list item of its own.
    """
    if _FOOTNOTE.match(line):
        return True
    return bool(line) and line[0] in _CIRCLED and line[0] in previous


def is_runin_break(paragraph: str) -> bool:
    """Tell whether a paragraph closes a section's run of sub-heads (a speech's 「各位代表」)."""
    return is_vocative(paragraph)


@dataclass(frozen=True, slots=True)
class Head:
    """An unnumbered heading planned at a line: how it was found, its text, its same-line body."""

    how: Literal["runin", "appendix", "standalone", "part"]
    label: str
    body: str = ""


def plan_heads(lines: list[str], levels: list[int], items: list[bool]) -> dict[int, Head]:
    """Find the unnumbered headings of a report's lines; numbering levels and item lines given.

    Stand-alone heads only where the top level has no numbers (「一、」 never occurs), and after
    the opening body text, so title blocks stay out; run-in heads only in a headed section
    holding a run of two or more of one form (「——」 bullets or plain first sentences).
    """
    numbered = [level > 0 for level in levels]
    heads: dict[int, Head] = {}
    if 1 not in levels:
        heads.update(_standalone_heads(lines, numbered))
    else:
        heads.update(_part_heads(lines, levels))
    runs = _Runs()
    for i, line in enumerate(lines):
        if numbered[i] or i in heads or is_appendix(line):
            if is_appendix(line):
                heads[i] = Head("appendix", line)
                heads.update(_appendix_title(lines, i + 1, numbered))
            # Under an unnumbered top-level head (an article's) short first sentences are prose.
            runs.boundary(enabled=heads.get(i, Head("appendix", "")).how != "standalone")
        elif items[i]:
            runs.items()
        elif is_runin_break(line):
            runs.vocative()
        elif not runs.follows_short_head(i):
            head = _runin_at(lines, i, numbered, items)
            if head is not None:
                runs.candidate(i, head)
    runs.flush()
    heads.update(runs.accepted)
    return heads


class _Runs:
    """The run of sub-head candidates in the current section, and what it may still accept.

    Sub-heads come in parallel runs of one form; after list items (一是…) a section has no
    sub-heads, and after a speech's 「各位代表」 only a section that had none may start a run.
    """

    def __init__(self) -> None:
        self.accepted: dict[int, Head] = {}
        self.run: dict[int, Head] = {}
        self.enabled = False  # no sub-heads before the first heading
        self.had_run = False

    def flush(self) -> None:
        if len(self.run) >= 2:
            self.accepted.update(self.run)
            self.had_run = True
        self.run = {}

    def boundary(self, enabled: bool = True) -> None:
        self.flush()
        self.enabled, self.had_run = enabled, False

    def items(self) -> None:
        self.flush()
        self.enabled = False

    def vocative(self) -> None:
        self.flush()
        self.enabled = not self.had_run

    def follows_short_head(self, i: int) -> bool:
        """Tell whether line i is the body line of a short-line head."""
        return i - 1 in self.run and not self.run[i - 1].body

    def candidate(self, i: int, head: Head) -> None:
        if not self.enabled:
            return
        if self.run and _form(next(iter(self.run.values()))) != _form(head):
            self.flush()
        self.run[i] = head


def _form(head: Head) -> str:
    return "dash" if _DASH.match(head.label) else "line" if not head.body else "plain"


def _runin_at(lines: list[str], i: int, numbered: list[bool], items: list[bool]) -> Head | None:
    found = split_runin(lines[i])
    if found is not None:
        return Head("runin", found.label, found.body)
    if i + 1 < len(lines) and not numbered[i + 1] and not items[i + 1]:
        label = short_line_head(lines[i], lines[i + 1])
        if label is not None:
            return Head("runin", label)
    return None


def _standalone_heads(lines: list[str], numbered: list[bool]) -> dict[int, Head]:
    first_body = next((i for i, line in enumerate(lines) if is_body(line)), len(lines))
    return {
        i: Head("standalone", line)
        for i, line in enumerate(lines[:-1])
        if i > first_body
        and not numbered[i]
        # A numbered sub-heading right after it stands for the body it heads.
        and standalone_heading(line, _BODY_STANDIN if numbered[i + 1] else lines[i + 1])
    }


def _part_heads(lines: list[str], levels: list[int]) -> dict[int, Head]:
    """The unnumbered part heads above the first 「一、」 section, after the opening body text."""
    first_body = next((i for i, line in enumerate(lines) if is_body(line)), len(lines))
    first_section = levels.index(1)
    return {
        i: Head("part", lines[i])
        for i in range(first_body + 1, first_section)
        if not levels[i] and part_heading(lines[i], lines[i + 1])
    }


def _appendix_title(lines: list[str], at: int, numbered: list[bool]) -> dict[int, Head]:
    """An appendix's own title line (「2026年省十件民生实事」) heads it too."""
    if at < len(lines) and not numbered[at] and len(lines[at]) <= MAX_STANDALONE_CHARS:
        if not lines[at].endswith(_LINE_END_PUNCT):
            return {at: Head("appendix", lines[at])}
    return {}
