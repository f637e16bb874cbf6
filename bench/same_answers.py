"""Dump every answer the bench and eval questions get, to compare two checkouts byte for byte.

    PYTHONHASHSEED=0 .venv/bin/python bench/same_answers.py --workdir DIR [--root DIR] > out

Opens the engine on ``DIR/n<size>`` as ``bench_ask.py`` does, with the ``src`` of ``--root``
(default: the checkout holding this file), and asks the 30 bench questions and every question
of ``/work/shared/eval/dev*.jsonl`` twice (the second round reads every cache the first one
filled). Each answer is printed as its ``repr`` and its rendered text. Run it with two roots
and ``diff`` the outputs: a change for speed only must leave them identical. The hash seed
must be fixed: with different seeds some scores differ in their last bit (sums over sets).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = Path("/work/shared/eval")


def questions(eval_dir: Path) -> list[str]:
    """Return the bench questions, then every eval question in file order."""
    sys.path.insert(0, str(HERE))
    import bench_index

    asked = list(bench_index.QUERIES)
    for path in sorted(eval_dir.glob("dev*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                asked.append(json.loads(line)["q"])
    return asked


def main() -> int:
    """Parse options, open the engine with the chosen source, print every answer twice."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workdir", type=Path, required=True, help="bench_index.py's --workdir")
    parser.add_argument("--size", type=int, default=100_000, help="passages (n<size> folder)")
    parser.add_argument("--root", type=Path, default=HERE.parent, help="checkout whose src runs")
    parser.add_argument("--eval", type=Path, default=EVAL, help="folder of dev*.jsonl")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve() / "src"))
    asked = questions(args.eval)
    import bench_index

    from qa.cli.render import render_text
    from qa.engine import QAEngine

    cache = args.workdir / f"n{args.size}.tokens"
    bench_index._use_startup_caches(cache)
    engine = QAEngine.from_directory(args.workdir / f"n{args.size}",
                                     parsed_cache=bench_index._parsed(cache),
                                     index_dir=bench_index._index_dir(cache))
    engine.segmenter.initialize()
    engine.background.load()
    for round_ in (1, 2):
        for number, question in enumerate(asked):
            answer = engine.ask(question)
            print(f"### {round_}.{number} {question}\n{answer!r}\n{render_text(answer)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
