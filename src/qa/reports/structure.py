"""Recognise government-style numbering and cut a cleaned report into headed passages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.models import Kind

from .enumerations import LIST_LEAD, enumeration_starts
from .headings import MIN_BODY_CHARS, Head, footnote_mark, is_appendix, is_body, plan_heads
from .sectionkind import (
    PLAIN,
    TURNABLE,
    Genre,
    KindTrail,
    concession_at,
    heading_kind,
    lead_kind,
    states_shortcomings,
)

CN_NUM = "一二三四五六七八九十"

# Heading levels of Chinese official documents, outermost first.
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{CN_NUM}]{{1,3}}、")),
    (2, re.compile(rf"^[（(][{CN_NUM}]{{1,3}}[）)]")),
    (3, re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)
# The same four levels in one pattern: group n matched ⇔ level n (one regex call per line).
HEADING = re.compile(
    "|".join(f"({p.pattern[1:]})" for _, p in HEADING_PATTERNS).join(("^(?:", ")"))
)
ITEM_LEAD = re.compile(rf"^[{CN_NUM}]{{1,3}}是")
# A later marker (二是, 三是 …) somewhere in a text: only then can it enumerate siblings.
LATER_ITEM = re.compile(rf"[{CN_NUM[1:]}]是")
# A dot ends a sentence only before a non-digit: 「1.6万户」 is a decimal, not two sentences.
# Written [。！？!?；;]|[.．](?=[^\s\d]) it would be tried at every position; one character class
# first lets re scan to a candidate in C (same matches: tests/reports/test_clean.py).
SENTENCE_END = re.compile(r"[。！？!?；;.．](?:(?<![.．])|(?=[^\s\d]))")
MAX_HEADING_CHARS = 60
MAX_LABEL_CHARS = 40

# A lead paragraph inside a problems section that turns to the causes of those problems.
CAUSE_LEAD = re.compile(r"原因|根源|究其|分析(?:这些|上述|以上)")


def classify_heading(title: str) -> Kind | None:
    """Return the section kind a heading names, or None when it names none."""
    return heading_kind(title)


_CN_DIGITS = {c: i + 1 for i, c in enumerate(CN_NUM)}


@lru_cache(maxsize=256)
def cn_to_int(numeral: str) -> int:
    """Convert a small Chinese numeral (一 … 九十九) to an int."""
    digits = _CN_DIGITS
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + digits.get(numeral[1:], 0)
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return digits.get(tens, 1) * 10 + digits.get(ones, 0)
    return digits.get(numeral, 0)


def heading_level(line: str) -> int:
    """Return the numbering level (1–4) a line starts with, or 0 for body text."""
    match = HEADING.match(line)
    return match.lastindex or 0 if match else 0


def split_heading(line: str) -> tuple[str, str]:
    """Split "（一）标题。正文…" into heading and body; a bare heading has an empty body."""
    numbering = HEADING.match(line)
    match = SENTENCE_END.search(line, numbering.end() if numbering else 0)
    if match is None:
        return line, ""
    head, body = line[: match.start()], line[match.end() :].strip()
    if not body:
        return head, ""
    if len(head) > MAX_HEADING_CHARS:
        return line, ""
    return head, body


def split_items(paragraph: str) -> tuple[str, list[str]]:
    """Split an inline enumeration (一是…二是…, 第一，…第二，…, 首先…其次…, （1）…（2）…).

    Returns the lead text and the items. Markers must rise (一是, 二是, …); a jump such as
    三是 → 五是 is accepted, a restart is not (qa.enumerations).
    """
    starts = enumeration_starts(paragraph)
    if not starts:
        return paragraph, []
    lead = paragraph[: starts[0]].strip()
    bounds = [*starts, len(paragraph)]
    items = [paragraph[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return lead, [item for item in items if item]


def item_label(item: str) -> str:
    """Return an item's own heading: its first sentence when short, else its first clause."""
    numbering = HEADING.match(item)  # 「7.“三大高地”…」: the number's own dot ends nothing
    match = SENTENCE_END.search(item, numbering.end() if numbering else 0)
    head = item[: match.start()] if match else item
    if len(head) <= MAX_LABEL_CHARS:
        return head
    clause = re.split(r"[，,：:]", head, maxsplit=1)[0]
    return clause if len(clause) <= MAX_LABEL_CHARS else head[:MAX_LABEL_CHARS] + "…"


@dataclass(frozen=True, slots=True)
class Block:
    """A passage-to-be: its text, heading path, kind and item label."""

    path: tuple[str, ...]
    kind: Kind
    text: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class OutlineHeading:
    """A heading as the walk found it: its depth (1 = top), text and section kind."""

    level: int
    text: str
    kind: Kind


# Stack ranks of the unnumbered heads: deeper than every numbered level (1–4), so the next
# numbered heading closes them; an appendix (0) closes everything.
RUNIN_RANK = 5
ITEM_RANK = 6
MAX_ITEM_HEAD_CHARS = 26
# 「同时，」「成绩固然可喜，」「在看到成绩的同时，」: one short clause before a turn to problems.
MAX_TRANSITION_CHARS = 12
_ITEM_HEAD_END = re.compile(r"[。！？!?：:]")
_SENTENCE_END = re.compile(r"[。！？!?]")


class _Walker:
    """Carry the heading stack while walking a report's lines in order."""

    def __init__(self, genre: Genre = PLAIN) -> None:
        self.stack: list[tuple[int, str, Kind]] = []
        self.blocks: list[Block] = []
        self.outline: list[OutlineHeading] = []
        self.cause_mode = False
        self.kinds = KindTrail(genre)
        # Path and kind change only at headings; cached so each passage costs no rescans.
        self.path: tuple[str, ...] = ()
        self._kind: Kind = "preamble"
        # Whether the innermost heading has had no content yet (a bare leaf heading such as
        # "（1）个别党员学习不主动。" is content itself and must not be lost).
        self._bare = False
        self._paragraphs = 0  # paragraphs since the innermost heading
        # An item heading that carried its body on its own line: the next plain paragraph is
        # no part of it (「分析这些现象……」 after 三是…) but of the section around the list.
        self._inline_item = False
        self._inline_runin = False
        self._list_kind: Kind | None = None  # a lead-in announced a list of this kind
        # The section's 「一是…」 heads stand on lines of their own: a sibling line is one too,
        # however long (甘肃 2025: 「四是完善大保护大治理格局，坚决筑牢国家西部生态安全屏障」).
        self._bare_item_heads = False

    def kind(self) -> Kind:
        kind = self.kinds.paragraph or self._kind
        return "causes" if kind == "problems" and self.cause_mode else kind

    def push_heading(self, level: int, title: str, kind: Kind | None = None) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self._pop()
        if level < ITEM_RANK:
            self._bare_item_heads = False
        if level <= 1:
            self.cause_mode = False
        parent = self.stack[-1][2] if self.stack else None
        resolved = self.kinds.resolve(title, parent, kind)
        self.stack.append((level, title, resolved))
        self.outline.append(OutlineHeading(len(self.stack), title, resolved))
        self._paragraphs = 0
        self._inline_item = False
        self._inline_runin = False
        self._bare = True
        self._restack()

    def finish(self) -> list[Block]:
        """Close every open heading and return the blocks."""
        self.close()
        return self.blocks

    def close(self) -> None:
        """Close every open heading (a lead-in turned the text to another part)."""
        while self.stack:
            self._pop()

    def _pop(self) -> None:
        if self._bare:  # a leaf heading with nothing under it: keep it as a passage
            title = self.stack[-1][1]
            self.blocks.append(Block(self.path, self.kind(), title, title))
            self._bare = False
        self.stack.pop()
        self._restack()

    def _restack(self) -> None:
        self.path = tuple(t for _, t, _ in self.stack)
        self._kind = self.stack[-1][2] if self.stack else self.kinds.top or "preamble"
        self.kinds.paragraph = None

    def add(self, text: str, label: str = "", prefix: tuple[str, ...] = ()) -> None:
        path = self.path + prefix + ((label,) if label else ())
        self.blocks.append(Block(path, self.kind(), text, label))
        self._bare = False

    def headed(self, line: str, label: str, body: str) -> None:
        """Add a paragraph whose first sentence is the heading just pushed: one passage."""
        lead, items = split_items(body)
        first = line[: len(line) - len(body)] + lead if items else line
        self.blocks.append(Block(self.path, self.kind(), first.strip(), label))
        self._bare = False
        for item in items:
            self.add(item, item_label(item))

    def footnote(self, line: str) -> None:
        """Attach a footnote to the passage it annotates."""
        last = self.blocks[-1]
        self.blocks[-1] = Block(last.path, last.kind, f"{last.text} {line}", last.label)

    def unnumbered(self, head: Head) -> None:
        if head.how == "appendix":
            self.close()
            self.push_heading(0, head.label, "other" if is_appendix(head.label) else None)
        elif head.how in ("standalone", "part"):
            self.push_heading(1, head.label)
        else:
            while self.stack and self.stack[-1][0] >= RUNIN_RANK:
                self._pop()
            # Sub-heads right under a top-level review heading sum up its achievements.
            top = len(self.stack) == 1 and self.stack[0][2] == "work"
            self.push_heading(RUNIN_RANK, head.label, "highlights" if top else None)
            if head.body:
                self.headed(f"{head.label}。{head.body}", head.label, head.body)
                # A run-in head heads its own paragraph: the paragraphs after it (「此外，…」
                # after the last of 「这五年，…」) belong to the section again.
                self._inline_runin = True

    def paragraph(self, text: str, prefix: tuple[str, ...] = (), following: str = "") -> None:
        if not prefix and self._lead_in(text, following):
            return
        self._paragraphs += 1
        lead, items = split_items(text)
        if lead:
            if not prefix and not items and self.kind() == "problems" and CAUSE_LEAD.search(lead):
                self.cause_mode = True
            self.add(lead, prefix=prefix)
        for item in items:
            self.add(item, item_label(item), prefix)

    def _lead_in(self, text: str, following: str) -> bool:
        """Follow a paragraph that turns the text to problems or plans; True if it was a heading."""
        label, colon, rest = text.partition("：")
        if colon and len(label) <= 12 and heading_kind(label) in ("problems", "plans", "causes"):
            self.close()  # 「不足之处：一是……」 after the last numbered section
            self.push_heading(1, label)
            self.paragraph(rest)
            return True
        turn = lead_kind(text)
        # A paragraph's own turn (a concession's problems) does not stop the next lead-in.
        if turn is None or turn == self.kind() or self._kind not in TURNABLE:
            return False
        if turn == "plans" and len(self.stack) == 1 and self._opening():
            # The lead-in says what the section is (「学校党委将继续……」).
            self._rekind(turn)
            return False
        if turn == "problems":
            # 「我们也清醒认识到……」 after the last （九）: it speaks for the whole review,
            # whether its problems follow in the paragraph or as a list.
            while len(self.stack) > 1:
                self._pop()
        if ITEM_LEAD.match(following):
            # A list follows: it is no part of the last section (closed at its first item).
            self._list_kind = turn
        self.kinds.paragraph = turn
        self._kind = self.kind()
        return False

    def _opening(self) -> bool:
        """Tell whether at most one paragraph came since the innermost heading."""
        return self._paragraphs <= 1

    def _rekind(self, kind: Kind) -> None:
        level, title, _ = self.stack[-1]
        self.stack[-1] = (level, title, kind)
        at = max(i for i, h in enumerate(self.outline) if h.text == title)
        self.outline[at] = OutlineHeading(self.outline[at].level, title, kind)
        self.kinds.last_top = kind
        self._restack()

    def loose_paragraph(self, text: str, following: str) -> None:
        """Add a paragraph of its own line, closing an item heading whose body was inline."""
        if self._inline_item and self.stack and self.stack[-1][0] == ITEM_RANK:
            self._pop()
        if self._inline_runin and self.stack and self.stack[-1][0] == RUNIN_RANK:
            self._pop()
        self._inline_runin = False
        turn = concession_at(text) if self.kind() in TURNABLE else -1
        if 0 < turn <= MAX_TRANSITION_CHARS and not _SENTENCE_END.search(text, 0, turn):
            # 「成绩固然可喜，问题也不容忽视。一是……」: a paragraph of problems after a bare
            # transition speaks for the whole review, not for the last sub-head.
            while len(self.stack) > 1:
                self._pop()
            self.kinds.paragraph = "problems"
            self.paragraph(text, following=following)
            return
        if turn > 0:  # 「……取得了一定的成绩，但也存在……」: the rest is problems
            self.paragraph(text[:turn], following=text[turn:])
            self.kinds.paragraph = "problems"
            self.paragraph(text[turn:], following=following)
            self._paragraphs -= 1  # two passages, one paragraph: a lead-in may still follow it
            return
        if self.kind() in TURNABLE and lead_kind(text) is None and states_shortcomings(text):
            # 「当前，……尚未形成有效支撑……还不强……不容忽视」: no cue opens it, yet every other
            # clause says what falls short. This paragraph is problems; the next is not.
            before, self.kinds.paragraph = self.kinds.paragraph, "problems"
            self.paragraph(text, following=following)
            self.kinds.paragraph = before
            return
        self.paragraph(text, following=following)

    def item(self, line: str, following: str = "") -> None:
        if self._list_kind is not None:
            self.close()
            self.kinds.top, self._list_kind = self._list_kind, None
            self._restack()
        if not ITEM_LEAD.match(line):  # 第一，/一要/首先 lines: list items, never headings
            self._item(line)
            return
        end = _ITEM_HEAD_END.search(line)
        label = line[: end.start()] if end else line
        body = line[end.end() :].strip() if end else ""
        depth_ok = len(self.stack) <= 1 or self.stack[-1][0] == ITEM_RANK and len(self.stack) <= 2
        limit = MAX_LABEL_CHARS if self._bare_item_heads and not body else MAX_ITEM_HEAD_CHARS
        if depth_ok and len(label) <= limit and not LATER_ITEM.search(body):
            if len(body) >= MIN_BODY_CHARS or (not body and is_body(following)):
                self.push_heading(ITEM_RANK, label)
                self._bare_item_heads = not body
                if body:
                    self.headed(line, label, body)
                    self._inline_item = True
                return
        if self.stack and self.stack[-1][0] == ITEM_RANK:
            self._pop()  # 「二是…」 after a 「一是…」 heading is its sibling, never nested in it
        self._item(line)

    def _item(self, line: str) -> None:
        label = item_label(line)
        rest = line[len(label) :].lstrip("。；;：:.． ")
        lead, nested = split_items(rest)
        if not nested:
            # "一是…。二是…。三是…" on one line: siblings, not one item.
            if LATER_ITEM.search(rest) and split_items(line)[1]:
                self.paragraph(line)
            else:
                self.add(line, label)
            return
        if lead:
            self.add(line[: len(line) - len(rest)] + lead, label)
        for sub in nested:
            self.add(sub, item_label(sub), (label,))


def walk_lines(lines: list[str], genre: Genre = PLAIN) -> list[Block]:
    """Turn cleaned, non-empty body lines into passage blocks with heading paths.

    ``genre``: what the report's title tells (sectionkind.genre_of): the kind of headings
    nothing else classifies (other for a 党课), and the year the report reviews.
    """
    return _walk(lines, genre).finish()


def outline_lines(lines: list[str], genre: Genre = PLAIN) -> tuple[OutlineHeading, ...]:
    """Return the headings the walk finds in cleaned body lines, in reading order."""
    walker = _walk(lines, genre)
    walker.finish()
    return tuple(walker.outline)


def _walk(lines: list[str], genre: Genre) -> _Walker:
    numbered = [heading_level(line) for line in lines]
    items = [not n and bool(ITEM_LEAD.match(line) or LIST_LEAD.match(line))
             for n, line in zip(numbered, lines, strict=True)]
    heads = plan_heads(lines, numbered, items)
    walker = _Walker(genre)
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if numbered[i]:
            head, body = split_heading(line)
            if not body and len(head) > MAX_HEADING_CHARS:
                # Too long for a heading (a table row's cell, a numbered paragraph): the
                # number opens a section, the line is its text.
                walker.push_heading(numbered[i], item_label(head))
                walker.paragraph(line)
                continue
            walker.push_heading(numbered[i], head)
            if body:
                walker.paragraph(body)
        elif i in heads:
            walker.unnumbered(heads[i])
        elif walker.blocks and footnote_mark(line, walker.blocks[-1].text):
            walker.footnote(line)  # before items: ① defining a note is no list item
        elif items[i]:
            walker.item(line, following)
        else:
            walker.loose_paragraph(line, following)
    return walker


def looks_like_title(line: str) -> bool:
    """Tell whether a report's first line is its title rather than body text."""
    # A long title (a news item's or a 党课's: 「【党史学习教育】…讲授党史学习教育专题党课」) has no
    # comma; a first line that long with one is a sentence left unfinished.
    return (
        heading_level(line) == 0
        and not ITEM_LEAD.match(line)
        and (len(line) <= 40 or len(line) <= MAX_HEADING_CHARS and "，" not in line)
        and SENTENCE_END.search(line) is None
        and not line.endswith(("：", ":", "，"))
    )
