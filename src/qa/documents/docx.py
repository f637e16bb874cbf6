"""Turn a .docx into plain lines the report parser understands.

Word keeps automatic list numbering (一、 （一） 1.) outside the text, in numbering
definitions; a heading style may carry no number at all. Both would be lost by reading
``paragraph.text``, and the parser finds sections only by their numbers, so the numbers are
rendered here: automatic ones from the numbering definitions, missing ones from the heading
level (Heading 1 → 一、, Heading 2 → （一）, Heading 3 → 1., Heading 4 → （1）).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from qa.reports import CN_NUM, heading_level

from .tablerows import table_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_WORDS = re.compile(r"总结|报告|汇报")
_PLACEHOLDER = re.compile(r"%([1-9])")
# What an unnumbered heading of each level gets, in the parser's own forms.
_SYNTH = {1: "{cn}、", 2: "（{cn}）", 3: "{n}.", 4: "（{n}）"}


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a numbering definition: format, label template and start value."""

    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


def _val(node: Any, tag: str, default: str = "") -> str:
    child = node.find(f"{W}{tag}") if node is not None else None
    return str(child.get(f"{W}val", default)) if child is not None else default


def chinese_numeral(n: int) -> str:
    """Write 1–99 as a Chinese numeral (十一, 二十三); larger numbers stay digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_NUM[tens - 1] + "十")
    return head + (CN_NUM[ones - 1] if ones else "")


def format_number(n: int, fmt: str) -> str:
    """Render a list counter in one of Word's number formats."""
    if fmt.startswith(("chinese", "ideograph", "taiwanese", "japanese")):
        return chinese_numeral(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalEnclosedCircle" and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


@dataclass
class Numbering:
    """The document's numbering definitions and the running counters while reading it."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNumId → levels
    nums: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    style_levels: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → num
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, document: Document) -> Numbering:
        """Collect the abstract numbering levels and which numId uses which."""
        found = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return found
        for abstract in root.iter(f"{W}abstractNum"):
            levels: dict[int, Level] = {}
            for lvl in abstract.iter(f"{W}lvl"):
                start = _val(lvl, "start", "1")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = Level(
                    _val(lvl, "numFmt", "decimal"),
                    _val(lvl, "lvlText", ""),
                    int(start) if start.isdigit() else 1,
                )
            found.levels[str(abstract.get(f"{W}abstractNumId"))] = levels
        for num in root.iter(f"{W}num"):
            found.nums[str(num.get(f"{W}numId"))] = _val(num, "abstractNumId")
        return found

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (numId, level) and return its rendered label."""
        levels = self.levels.get(self.nums.get(num_id, ""), {})
        if num_id in ("", "0") or ilvl not in levels:
            return ""  # numId 0 means "numbering removed" in Word
        starts = [levels.get(i, Level()).start for i in range(9)]
        counts = self.counters.setdefault(num_id, [s - 1 for s in starts])
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):  # a higher level restarts the levels below it
            counts[deeper] = starts[deeper] - 1
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""

        def fill(match: re.Match[str]) -> str:
            i = int(match.group(1)) - 1
            return format_number(counts[i], levels.get(i, Level()).fmt)

        return _PLACEHOLDER.sub(fill, level.text)


@dataclass(frozen=True, slots=True)
class StyleFacts:
    """What a paragraph style says about numbering and headings, read once per style.

    python-docx finds a paragraph's style (and the default one) by scanning every style, so
    asking per paragraph made a long document quadratic (4,000 paragraphs: 18 s).
    """

    name: str
    num_pr: Any  # the first numPr on the style chain, or None
    depth: int  # 1–9 for a heading style, 0 otherwise

    @classmethod
    def of(cls, style: Any) -> StyleFacts:
        """Walk a style's chain once for its numbering and heading level."""
        name = (style.name if style is not None else "") or ""
        num_pr, depth = None, 0
        while style is not None:
            if num_pr is None:
                s_pr = style.element.find(f"{W}pPr")
                num_pr = s_pr.find(f"{W}numPr") if s_pr is not None else None
            match = _HEADING_STYLE.match(style.name or "")
            if match and not depth:
                depth = int(match.group(1))
            style = style.base_style
        return cls(name, num_pr, depth)


def _num_pr(paragraph: Paragraph, style: StyleFacts) -> tuple[str, int] | None:
    """Return (numId, ilvl) from the paragraph or, failing that, its style chain."""
    p_pr = paragraph._p.pPr
    node = p_pr.find(f"{W}numPr") if p_pr is not None else None
    if node is None:
        node = style.num_pr
    if node is None:
        return None
    ilvl = _val(node, "ilvl", "0")
    return _val(node, "numId"), int(ilvl) if ilvl.isdigit() else 0


def _heading_depth(paragraph: Paragraph, style: StyleFacts) -> int:
    """Return 1–9 for a heading style (or outline level), 0 for body text."""
    if style.depth:
        return style.depth
    p_pr = paragraph._p.pPr
    outline = _val(p_pr, "outlineLvl", "9") if p_pr is not None else "9"
    return int(outline) + 1 if outline.isdigit() and int(outline) < 9 else 0


class _Reader:
    """Render paragraphs in order, keeping list and heading counters."""

    def __init__(self, document: Document) -> None:
        self.numbering = Numbering.read(document)
        self.heading_counts = [0] * 10
        self.first = True
        self.styles: dict[str | None, StyleFacts] = {}

    def style(self, paragraph: Paragraph) -> StyleFacts:
        """Return the paragraph's style facts, looked up once per style id."""
        style_id = paragraph._p.style
        if style_id not in self.styles:
            self.styles[style_id] = StyleFacts.of(paragraph.style)
        return self.styles[style_id]

    def line(self, paragraph: Paragraph) -> str:
        text = paragraph.text.strip()
        if not text:
            return ""
        first, self.first = self.first, False
        facts = self.style(paragraph)
        if facts.name.lower() in ("title", "subtitle") or (first and _TITLE_WORDS.search(text)):
            return text  # the report's title is not a section
        depth = _heading_depth(paragraph, facts)
        # Every heading counts, numbered or not, so a heading without a number that follows
        # numbered ones continues their sequence (三、 after 一、 二、).
        count = self.count_heading(depth) if depth else 0
        num = _num_pr(paragraph, facts)
        label = self.numbering.label(*num) if num else ""
        if label:
            return _join(label, text)
        if depth in _SYNTH and heading_level(text) == 0:
            return _join(_SYNTH[depth].format(cn=chinese_numeral(count), n=count), text)
        return text

    def count_heading(self, depth: int) -> int:
        """Count a heading at its level; deeper levels start again."""
        self.heading_counts[depth] += 1
        for deeper in range(depth + 1, len(self.heading_counts)):
            self.heading_counts[deeper] = 0
        return self.heading_counts[depth]


def _join(label: str, text: str) -> str:
    # Word puts a tab after the number; the parser wants the number right before the text.
    return label.strip() + text if label.strip() else text


def _table_lines(table: Table) -> Iterator[str]:
    # Rows as 「指标：值」 (documents/tablerows.py): a statistics table's figures are found.
    yield from table_lines([[c.text for c in row.cells] for row in table.rows])


def docx_lines(data: bytes) -> list[str]:
    """Return a .docx's paragraphs and table rows as lines, list numbers rendered."""
    document = docx.Document(io.BytesIO(data))
    reader = _Reader(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
            continue
        lines.extend(part for part in reader.line(block).split("\n") if part.strip())
    return lines
