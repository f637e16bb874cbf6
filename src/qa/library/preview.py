"""What the core understood of an upload, shown before it counts, and the user's corrections.

A ``Preview`` is a value: title, unit and year (derived, then editable with lines such as
``标题：…``), the outline with each section's kind, and warnings a secretary can act on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from qa.documents import Converted
from qa.errors import BadCorrectionError
from qa.language import covered_year, title_line, unit_from_document, unit_from_titles, written_year
from qa.models import SECTION_KINDS, Kind, Report
from qa.reports import HEADING, ReportMeta, clean_text, cn_to_int, heading_level, parse_report

# The short names the preview shows for section kinds (工作/问题/计划/亮点/原因/整改).
KIND_SHORT: dict[str, str] = {k.kind: k.short for k in SECTION_KINDS}
FIELDS = {"标题": "title", "单位": "unit", "年份": "year"}
_YEAR = re.compile(r"(?:19|20)\d{2}")
_TITLE_WORDS = re.compile(r"总结|报告|汇报")
_CORRECTION = re.compile(r"^\s*(标题|单位|年份)\s*[:：]\s*(.*?)\s*$")
_PLACEHOLDER_ID = "new"


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """One heading of the outline: depth (1 = section, 2 = sub-heading), kind, passages."""

    depth: int
    title: str
    kind: Kind
    passages: int

    @property
    def kind_name(self) -> str:
        """Return the short Chinese name of the kind (工作, 问题 …)."""
        return KIND_SHORT[self.kind]


@dataclass(frozen=True, slots=True)
class Preview:
    """An upload as the core understood it, before the user confirms it."""

    source: Converted
    title: str
    unit: str
    year: str
    passages: int
    outline: tuple[OutlineEntry, ...]
    warnings: tuple[str, ...]
    covers: str = ""  # the year the report reviews ("" or = year when it is the same)

    @property
    def meta(self) -> ReportMeta:
        """Return the metadata the manifest will hold."""
        return ReportMeta(self.title, self.unit, self.year)


def derive_year(*texts: str) -> str:
    """Return the first plausible year (19xx/20xx) in the texts, in order, or ""."""
    for text in texts:
        match = _YEAR.search(text)
        if match:
            return match.group(0)
    return ""


def derive_unit(*titles: str) -> str:
    """Return the unit a title names before its year or "…工作总结", or "" (qa/docmeta.py)."""
    return unit_from_titles(*titles)


def build_preview(
    source: Converted, title: str = "", unit: str = "", year: str = ""
) -> Preview:
    """Parse a converted upload and describe it; given fields override the derived ones."""
    stem = PurePath(source.name).stem.strip()
    report = parse_report(_PLACEHOLDER_ID, source.text, ReportMeta(title, unit, year))
    text = clean_text(source.text)
    if not title and not _TITLE_WORDS.search(report.title):  # 「下载」: a web page's menu
        title = title_line(text)
    if not title and report.title == _PLACEHOLDER_ID:  # the text names no title
        title = stem if _TITLE_WORDS.search(stem) else stem or "未命名报告"
    title = title or report.title
    unit = (unit or derive_unit(title) or unit_from_document(title, text)
            or derive_unit(stem))
    year = year or written_year(title, stem, text)
    if title == "政府工作报告" and unit.endswith("人民政府"):  # bare: name whose, and when
        title = f"{year}年{unit.removesuffix('人民政府')}政府工作报告".lstrip("年")
    return Preview(
        source,
        title,
        unit,
        year,
        len(report.passages),
        outline_of(report),
        _warnings(source, report, unit, year),
        covered_year(year, text),
    )


def outline_of(report: Report) -> tuple[OutlineEntry, ...]:
    """Return the report's sections and numbered sub-headings with passage counts."""
    entries: list[OutlineEntry] = []
    for section in report.sections:
        entries.append(
            OutlineEntry(1, section.title or "（前言）", section.kind, len(section.passages))
        )
        subs: dict[str, list[Kind]] = {}
        for passage in section.passages:
            path = passage.section_path
            if len(path) > 1 and heading_level(path[1]):
                subs.setdefault(path[1], []).append(passage.kind)
        entries.extend(OutlineEntry(2, t, kinds[0], len(kinds)) for t, kinds in subs.items())
    return tuple(entries)


def _warnings(source: Converted, report: Report, unit: str, year: str) -> tuple[str, ...]:
    kinds = {p.kind for p in report.passages}
    out: list[str] = []
    if not any(s.path for s in report.sections):
        out.append("没有识别出章节编号（如「一、」「（一）」），全文按段落收录")
    if "problems" not in kinds:
        out.append("没有找到「存在问题」部分")
    if "plans" not in kinds:
        out.append("没有找到「下步计划」部分")
    irregular = numbering_issue(source.text)
    if irregular:
        out.append(irregular)
    noise = source.removed_lines + noise_lines(source.text)
    if noise:
        out.append(f"已去除 {noise} 行噪声（水印、页码、页眉等）")
    if not unit:
        out.append("未识别出单位，请回复「单位：…」")
    if not year:
        out.append("未识别出年份，请回复「年份：…」")
    return tuple(out)


def noise_lines(text: str) -> int:
    """Count the lines the cleaner changes or drops (watermarks, paid markers, passwords)."""
    lines = (line.strip() for line in text.splitlines())
    return sum(1 for line in lines if line and clean_text(line) != line + "\n")


def _number(marker: str) -> int:
    digits = re.sub(r"[^\d一二三四五六七八九十]", "", marker)
    return int(digits) if digits.isdigit() else cn_to_int(digits)


def numbering_issue(text: str) -> str:
    """Describe the first heading number out of sequence (一、 then 三、), or ""."""
    expected = [0] * 5
    for line in clean_text(text).splitlines():
        match = HEADING.match(line.strip())
        if match is None or match.lastindex is None:
            continue
        level = match.lastindex
        number = _number(match.group(0))
        for deeper in range(level + 1, 5):
            expected[deeper] = 0
        if number != expected[level] + 1:
            return f"编号不连续：「{line.strip()[:20]}」处应是第 {expected[level] + 1} 项"
        expected[level] = number
    return ""


def printable(value: str) -> str:
    """Drop control and format characters (DEL, zero-width marks …) from a typed value: they
    are invisible in a title, and some cannot be stored in reports.toml."""
    kept = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(kept.split())


def apply_corrections(preview: Preview, text: str) -> Preview:
    """Apply lines such as ``标题：…`` / ``单位：…`` / ``年份：…``; raise BadCorrectionError."""
    values = {"title": preview.title, "unit": preview.unit, "year": preview.year}
    for line in (raw for raw in text.splitlines() if raw.strip()):
        match = _CORRECTION.match(line)
        if match is None:
            raise BadCorrectionError(
                f"看不懂这一行：{line.strip()[:30]}。请按「标题：…」「单位：…」「年份：…」各写一行"
            )
        field, value = FIELDS[match.group(1)], printable(match.group(2))
        if field == "year":
            value = value.removesuffix("年度").removesuffix("年")
            if not re.fullmatch(r"(?:19|20)\d{2}", value):
                raise BadCorrectionError(f"年份应为四位数字，如「年份：2024」，收到：{value[:20]}")
        if not value or len(value) > 60:
            raise BadCorrectionError(f"{match.group(1)}不能为空，也不能超过 60 个字")
        values[field] = value
    return build_preview(preview.source, values["title"], values["unit"], values["year"])
