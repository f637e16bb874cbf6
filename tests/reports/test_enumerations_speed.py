"""The enumeration scan's shortcuts change no start: the scan as it was, kept verbatim here,
against enumeration_starts on every line of the seeds and the shared corpus, and on forms."""

from __future__ import annotations

import re
from pathlib import Path

from qa.reports.enumerations import _CIRCLED, _CN, _number, enumeration_starts

ROOT = Path(__file__).resolve().parents[2]
FORMS = ["一是学习，二是落实，三是整改", "首先，学习；其次，落实；最后，总结", "（1）学习（2）落实",
         "①学习②落实", "第一，学习；第二，落实", "一要学习，二要落实", "第一议题", "三要素",
         "是要是要", "一是学习", "（2）落实（1）学习", "其次，落实", "一是学，一是做，二是改",
         # Markers at the start, after each punctuation mark, and where one is not allowed.
         "十一是学习。十二是落实", "一是学习；二是落实：三是整改，四是总结！五是？六是”七是 八是",
         "（12）学习 (13)落实", "①②③", "最后，首先，其次，", "再次要学习，然后是落实",
         "学习一是落实二是", "第十，第十一、第十二：", "一要素，二要求，三要学习，四要落实",
         "\n一是学习\t二是落实", "（一）学习（二）落实", "百是千是"]
# The marker pattern as it was (its look-behinds tried at every position), kept verbatim.
_AFTER = r"(?:(?<=^)|(?<=[。；;：:，,！？”\s]))"
_MARKER = re.compile(
    _AFTER + rf"(?:(?P<shi>[{_CN}]{{1,3}})是|(?P<yao>[{_CN}]{{1,3}})要(?![素求])"
    rf"|第(?P<di>[{_CN}]{{1,3}})(?=[，,、：:])|(?P<word>首先|其次|再次|然后|最后)(?=[，,：:]|要|是)"
    rf"|[（(](?P<paren>\d{{1,2}})[）)]|(?P<circ>[{_CIRCLED}]))"
)


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


OLD_CANDIDATE = re.compile(
    rf"[{_CN}][是要]|第[{_CN}]|首先|其次|再次|然后|最后|[（(]\d|[{_CIRCLED}]")


def test_the_candidate_test_is_the_alternations() -> None:
    """The first-character candidate pattern finds something exactly where the plain
    alternation (kept verbatim) does: every line, the forms, and each pair alone."""
    from qa.reports.enumerations import _CANDIDATE

    folders = [ROOT / "seeds", ROOT.parent / "shared" / "corpus" / "corpus"]
    lines = [line for folder in folders if folder.is_dir() for path in folder.glob("*.txt")
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    firsts = f"{_CN}第首其再然最（({_CIRCLED}"
    pairs = [a + b for a in firsts + "是要先次后1x" for b in firsts + "是要先次后1x"]
    for text in [*lines, *FORMS, *pairs, *(f"x{p}x" for p in pairs)]:
        assert (_CANDIDATE.search(text) is None) == (OLD_CANDIDATE.search(text) is None), text


def test_the_guarded_pattern_finds_the_old_patterns_matches() -> None:
    """Every match (span and groups) of the pattern with its first-character guard is the
    old pattern's, on every line and form."""
    from qa.reports.enumerations import _MARKER as guarded

    folders = [ROOT / "seeds", ROOT.parent / "shared" / "corpus" / "corpus"]
    lines = [line for folder in folders if folder.is_dir() for path in folder.glob("*.txt")
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    assert guarded.pattern != _MARKER.pattern
    for line in [*lines, *FORMS]:
        new = [(m.span(), m.groupdict()) for m in guarded.finditer(line)]
        assert new == [(m.span(), m.groupdict()) for m in _MARKER.finditer(line)], line
