"""Ablation of the general-language sources: each switched off on its own, aggregates only.

    PYTHONPATH=src .venv/bin/python bench/ablation.py [--reports seeds] [--k 5]
    PYTHONPATH=src .venv/bin/python bench/ablation.py --reports CORPUS --sets QUESTIONS.jsonl

Prints one row per configuration (the defaults, then each source flipped: "-x" switched off,
"+x" a source that is off by default switched on, then all off) and per gold set:
hit@1, fact@200, recall(all), abstention. Only aggregates are printed, so a held-out set
(bench/holdout4.jsonl … bench/holdout8.jsonl) can be measured without
being read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from qa.answer import evaluate, read_gold
from qa.cli.render import render_text
from qa.engine import open_engine
from qa.language import SOURCES, LanguageSettings

SETS = (
    Path("../shared/eval/dev.jsonl"),
    Path("../shared/eval/dev2.jsonl"),
    Path("../shared/eval/dev4.jsonl"),
    Path("bench/holdout4.jsonl"),
    Path("bench/holdout5.jsonl"),
    Path("bench/holdout6.jsonl"),
    Path("bench/holdout7.jsonl"),
    Path("bench/holdout8.jsonl"),
)


def configurations() -> list[tuple[str, LanguageSettings]]:
    """Return the defaults, each source flipped on its own, and every source off."""
    default = LanguageSettings()
    rows = [("default", default)]
    for name in SOURCES:
        on = getattr(default, name)
        rows.append((f"{'-' if on else '+'}{name}", default.switched(name, not on)))
    none = default
    for name in SOURCES:
        none = none.without(name)
    return [*rows, ("all off", none)]


def main() -> int:
    """Print the ablation table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", default="seeds")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--sets", nargs="*", type=Path, default=list(SETS),
                        help="gold sets over --reports (the corpus: its questions.jsonl)")
    args = parser.parse_args()
    sets = [(p, read_gold(p)) for p in args.sets if p.exists()]
    print(f"{'config':<14}" + "".join(f"{p.stem:>28}" for p, _ in sets))
    print(f"{'':<14}" + "  hit@1  fact recall abst " * len(sets))
    for name, settings in configurations():
        engine = open_engine(Path(args.reports), args.k, settings=settings)
        cells = []
        for _, rows in sets:
            r = evaluate(rows, lambda q, e=engine: e.ask(q, args.k), render_text, args.k)
            cells.append(f"  {r.hit_at_1:.3f} {r.fact_at_200:.3f} {r.recall_all:.3f} "
                         f"{r.abstention:.3f}")
        print(f"{name:<14}" + "".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
