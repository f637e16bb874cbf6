"""Recognise government-style numbering and cut a cleaned report into headed passages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.models import Kind

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
# An inline "一是/二是…" enumeration marker: at the start or after punctuation.
INLINE_ITEM = re.compile(rf"(?:(?<=^)|(?<=[。；;：:，,！？”]))([{CN_NUM}]{{1,3}})是")
SENTENCE_END = re.compile(r"[。！？!?；;]|[.．](?=\S)")
MAX_HEADING_CHARS = 60
MAX_LABEL_CHARS = 40

# Checked in order: the first rule whose pattern occurs in a heading decides its kind.
KIND_RULES: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("rectification", re.compile(r"整改")),
    ("highlights", re.compile(r"亮点|特色")),
    ("problems", re.compile(r"问题|不足|差距|短板|薄弱")),
    ("causes", re.compile(r"原因")),
    ("plans", re.compile(r"计划|打算|思路|任务|措施|下步|下一步|展望|安排")),
    (
        "work",
        re.compile(r"工作情况|履职|履行职责|基本情况|开展情况|完成情况|主要工作|主要做法|成效"),
    ),
)
# A lead paragraph inside a problems section that turns to the causes of those problems.
CAUSE_LEAD = re.compile(r"原因|根源|究其|分析(?:这些|上述|以上)")


@lru_cache(maxsize=4096)
def classify_heading(title: str) -> Kind | None:
    """Return the section kind a heading names, or None when it names none."""
    for kind, pattern in KIND_RULES:
        if pattern.search(title):
            return kind
    return None


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
    """Split an inline 一是…二是… enumeration; return the lead text and the items.

    Markers must rise (一是, 二是, …); a jump such as 三是 → 五是 is accepted, a restart is not.
    """
    if "一是" not in paragraph:  # cheap guard: most paragraphs enumerate nothing
        return paragraph, []
    starts: list[int] = []
    last = 0
    for match in INLINE_ITEM.finditer(paragraph):
        number = cn_to_int(match.group(1))
        if (not starts and number == 1) or (starts and number > last):
            starts.append(match.start())
            last = number
    if len(starts) < 2:
        return paragraph, []
    lead = paragraph[: starts[0]].strip()
    bounds = [*starts, len(paragraph)]
    items = [paragraph[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return lead, [item for item in items if item]


def item_label(item: str) -> str:
    """Return an item's own heading: its first sentence when short, else its first clause."""
    match = SENTENCE_END.search(item)
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


class _Walker:
    """Carry the heading stack while walking a report's lines in order."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []
        self.blocks: list[Block] = []
        self.cause_mode = False
        # Path and kind change only at headings; cached so each passage costs no rescans.
        self.path: tuple[str, ...] = ()
        self._kind: Kind = "preamble"
        # Whether the innermost heading has had no content yet (a bare leaf heading such as
        # "（1）个别党员学习不主动。" is content itself and must not be lost).
        self._bare = False

    def kind(self) -> Kind:
        return "causes" if self._kind == "problems" and self.cause_mode else self._kind

    def _heading_kind(self) -> Kind:
        if not self.stack:
            return "preamble"
        for _, title in self.stack:
            found = classify_heading(title)
            if found is not None:
                return found
        return "work"

    def push_heading(self, level: int, title: str) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self._pop()
        if level == 1:
            self.cause_mode = False
        self.stack.append((level, title))
        self._bare = True
        self._restack()

    def finish(self) -> list[Block]:
        """Close every open heading and return the blocks."""
        while self.stack:
            self._pop()
        return self.blocks

    def _pop(self) -> None:
        if self._bare:  # a leaf heading with nothing under it: keep it as a passage
            title = self.stack[-1][1]
            self.blocks.append(Block(self.path, self.kind(), title, title))
            self._bare = False
        self.stack.pop()
        self._restack()

    def _restack(self) -> None:
        self.path = tuple(t for _, t in self.stack)
        self._kind = self._heading_kind()

    def add(self, text: str, label: str = "", prefix: tuple[str, ...] = ()) -> None:
        path = self.path + prefix + ((label,) if label else ())
        self.blocks.append(Block(path, self.kind(), text, label))
        self._bare = False

    def paragraph(self, text: str, prefix: tuple[str, ...] = ()) -> None:
        lead, items = split_items(text)
        if lead:
            if not prefix and not items and self.kind() == "problems" and CAUSE_LEAD.search(lead):
                self.cause_mode = True
            self.add(lead, prefix=prefix)
        for item in items:
            self.add(item, item_label(item), prefix)

    def item(self, line: str) -> None:
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


def walk_lines(lines: list[str]) -> list[Block]:
    """Turn cleaned, non-empty body lines into passage blocks with heading paths."""
    walker = _Walker()
    for line in lines:
        level = heading_level(line)
        if level:
            head, body = split_heading(line)
            walker.push_heading(level, head)
            if body:
                walker.paragraph(body)
        elif ITEM_LEAD.match(line):
            walker.item(line)
        else:
            walker.paragraph(line)
    return walker.finish()


def looks_like_title(line: str) -> bool:
    """Tell whether a report's first line is its title rather than body text."""
    return (
        heading_level(line) == 0
        and not ITEM_LEAD.match(line)
        and len(line) <= 40
        and SENTENCE_END.search(line) is None
        and not line.endswith(("：", ":", "，"))
    )
