"""Table rows as report lines the figure extractor reads: 「指标：值」.

Offices put their statistics in tables (.docx, .doc, PDF). Cells joined by spaces lose which
number belongs to which indicator; the figure extractor (qa/figures.py) reads the label before
a colon as a figure's metric, so a two-column row 「发展党员 | 12名」 becomes 「发展党员：12名」,
and a table with a header row gives 「<row label><column header>：<value>」 for every cell
(「发展党员 | 2023年 12名 | 2024年 15名」 → 「发展党员2023年：12名；发展党员2024年：15名。」).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
# A header cell may hold a year (2023年, 2024年度): that is a column name, not a value.
_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年?度?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_CELL = 24  # longer "cells" of a spaced PDF line are sentences, not a table
MAX_LABEL = 40


def _clean(cells: Sequence[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        text = _SPACE.sub("", cell)
        if not out or text != out[-1] or not text:  # merged cells repeat their text
            out.append(text)
    while out and not out[-1]:
        out.pop()
    return out


def _value_like(cell: str) -> bool:
    return bool(_DIGIT.search(cell)) and not _YEAR.match(cell)


def _is_header(first: list[str], rest: list[list[str]]) -> bool:
    """A first row without values above rows that hold values in the same columns."""
    if len(first) < 2 or not rest or any(_value_like(c) for c in first[1:]):
        return False
    return any(_value_like(c) for row in rest for c in row[1:])


def table_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """Render a table's rows as lines: 「标签：值」, or 「标签列名：值；…。」 under a header."""
    cleaned = [row for row in (_clean(r) for r in rows) if any(row)]
    if not cleaned:
        return []
    header: list[str] = []
    if _is_header(cleaned[0], cleaned[1:]):
        header, cleaned = cleaned[0], cleaned[1:]
    return [line for line in (_row_line(row, header) for row in cleaned) if line]


def _row_line(row: list[str], header: list[str]) -> str:
    cells = [c for c in row if c]
    if len(cells) < 2 or not row[0] and not header:
        return "　".join(cells)
    label, values = row[0][:MAX_LABEL], row[1:]
    if header and len(header) > 2:
        names = header[1:] + [""] * max(0, len(values) - len(header) + 1)
        parts = [f"{label}{name}：{v}" for name, v in zip(names, values, strict=False) if v]
        return "；".join(parts) + "。" if parts else label
    return f"{label}：{'，'.join(v for v in values if v)}" if label else "，".join(values)


def spaced_cells(line: str) -> list[str] | None:
    """Split a PDF line printed as table cells (「发展党员 12名」) into cells, or None."""
    cells = line.split()
    if not 2 <= len(cells) <= 8 or any(len(c) > MAX_CELL for c in cells):
        return None
    if not _CJK.search(cells[0]) or _DIGIT.search(cells[0]) and len(cells) == 2:
        return None
    return cells if any(_value_like(c) for c in cells[1:]) else None


def spaced_table_lines(lines: Sequence[str]) -> list[str]:
    """Rewrite runs of spaced table rows in PDF lines as 「指标：值」 lines; keep the rest."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        run: list[list[str]] = []
        while i + len(run) < len(lines) and (cells := spaced_cells(lines[i + len(run)])):
            run.append(cells)
        if len(run) < 2:  # one spaced line is as likely prose with a space in it
            out.append(lines[i])
            i += 1
            continue
        i += len(run)
        header = out[-1].split() if out else []
        if len(header) == len(run[0]) and not any(_value_like(c) for c in header[1:]):
            out.pop()  # the column names printed above the rows
            run.insert(0, header)
        out.extend(table_lines(run))
    return out
