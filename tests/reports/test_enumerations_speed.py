"""The enumeration scan's shortcuts change no start: the scan as it was, kept verbatim here,
against enumeration_starts on every line of the seeds and the shared corpus, and on forms."""

from __future__ import annotations

from pathlib import Path

from qa.reports.enumerations import _MARKER, _number, enumeration_starts

ROOT = Path(__file__).resolve().parents[2]
FORMS = ["一是学习，二是落实，三是整改", "首先，学习；其次，落实；最后，总结", "（1）学习（2）落实",
         "①学习②落实", "第一，学习；第二，落实", "一要学习，二要落实", "第一议题", "三要素",
         "是要是要", "一是学习", "（2）落实（1）学习", "其次，落实", "一是学，一是做，二是改"]


def old_starts(paragraph: str) -> list[int]:
    if not any(g in paragraph for g in ("是", "要", "第", "首先", "（1）", "(1)", "①")):
        return []
    runs: dict[str, list[tuple[int, int]]] = {}
    for match in _MARKER.finditer(paragraph):
        family, number = _number(match)
        run = runs.setdefault(family, [])
        if (not run and number == 1) or (run and number > run[-1][1]):
            run.append((match.start(), number))
    order = ("shi", "yao", "di", "word", "paren", "circ")
    best = max(order, key=lambda f: (len(runs.get(f, [])), -order.index(f)))
    found = runs.get(best, [])
    return [start for start, _ in found] if len(found) >= 2 else []


def test_starts_are_the_old_scans_on_every_line() -> None:
    folders = [ROOT / "seeds", ROOT.parent / "shared" / "corpus" / "corpus"]
    lines = [line for folder in folders if folder.is_dir() for path in folder.glob("*.txt")
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    lines += FORMS
    assert sum(1 for line in lines if old_starts(line)) >= 10  # enumerations are there
    for line in lines:
        assert enumeration_starts(line) == old_starts(line), line
