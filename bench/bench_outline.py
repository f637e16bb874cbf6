"""Score the parser's outline (headings found, section kinds) against gold outlines.

    .venv/bin/python bench/bench_outline.py [--gold ../shared/corpus/outlines]
        [--corpus ../shared/corpus/corpus] [-v]

Each gold file ``<short-name>.json`` lists a document's headings ``{"level", "text", "kind"}``
(conventions in the gold folder's README.md). The document ``corpus/<short-name>.*`` is read
the way the product reads an upload: ``.docx``/``.pdf``/``.txt`` through ``qa.convert``, then
parsed by ``qa.outline.report_outline``.

A found heading matches a gold heading when their texts are equal after dropping spaces and a
trailing 。：；; pairs are made one to one in reading order. Heading precision = matched / found,
recall = matched / gold. Kind accuracy is over matched headings; the product's
``rectification`` (整改 carried out) counts as the gold's ``work``, as the README says. Level
accuracy (depth in the document's own hierarchy) is printed beside them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from qa.documents.convert import convert_file
from qa.reports.outline import report_outline

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
_SPACE = re.compile(r"[\s\u3000\u2003\u00a0]+")
_KIND_AS_GOLD = {"rectification": "work"}


@dataclass
class Score:
    """Counts for one document (or all of them)."""

    gold: int = 0
    found: int = 0
    matched: int = 0
    kind_right: int = 0
    level_right: int = 0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.found += other.found
        self.matched += other.matched
        self.kind_right += other.kind_right
        self.level_right += other.level_right

    def line(self, name: str) -> str:
        p = self.matched / self.found if self.found else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        k = self.kind_right / self.matched if self.matched else 0.0
        lv = self.level_right / self.matched if self.matched else 0.0
        return (f"{name:34} gold {self.gold:4} found {self.found:4}  P {p:.3f}  R {r:.3f}"
                f"  kind {k:.3f}  level {lv:.3f}")


def norm(text: str) -> str:
    """Return a heading's text as compared: no spaces, no trailing 。：；."""
    return _SPACE.sub("", text).rstrip("。：:；;")


def document_text(corpus: Path, stem: str) -> str:
    """Return a corpus document's text as the product's converter reads it."""
    for path in sorted(corpus.glob(f"{stem}.*")):
        if path.suffix in (".txt", ".docx", ".pdf"):
            return convert_file(path.read_bytes(), path.name).text
    raise FileNotFoundError(f"{stem}: no document in {corpus}")


def score_document(gold: list[dict[str, object]], text: str, stem: str, verbose: bool) -> Score:
    """Match the parser's headings to the gold ones in order and count."""
    found = report_outline(stem, text)
    score = Score(gold=len(gold), found=len(found))
    used: set[int] = set()
    for g in gold:
        want = norm(str(g["text"]))
        hit = next((i for i, h in enumerate(found) if i not in used and norm(h.text) == want), None)
        if hit is None:
            if verbose:
                print(f"  missed  L{g['level']} {g['kind']:10} {g['text']}")
            continue
        used.add(hit)
        score.matched += 1
        kind = _KIND_AS_GOLD.get(found[hit].kind, found[hit].kind)
        score.kind_right += kind == g["kind"]
        score.level_right += found[hit].level == g["level"]
        if verbose and kind != g["kind"]:
            print(f"  kind    {kind} ≠ {g['kind']}  {g['text']}")
    if verbose:
        for i, h in enumerate(found):
            if i not in used:
                print(f"  extra   L{h.level} {h.kind:10} {h.text}")
    return score


def main(argv: list[str] | None = None) -> int:
    """Print per-document and overall outline scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "outlines")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    total = Score()
    for gold_path in sorted(args.gold.glob("*.json")):
        stem = gold_path.stem
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        score = score_document(gold, document_text(args.corpus, stem), stem, args.verbose)
        print(score.line(stem))
        total.add(score)
    print(total.line("ALL"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
