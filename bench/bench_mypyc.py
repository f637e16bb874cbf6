"""What compiling the question path with mypyc would save: instructions per ``engine.ask``.

    .venv/bin/python bench/bench_mypyc.py --workdir DIR [--size 100000] [--rounds 2] [--cpu 3]

The 10⁵ ``engine.ask`` p50 mark of issue 22 needs about a third less work a question, and half
of today's is the interpreter running our own code (``bench_ask.py --sample``). mypyc, part of
mypy, compiles type-checked modules to C extensions without a second language. This script
measures what it would give before any build change is made: it copies this checkout's ``src``,
``bench`` and ``pyproject.toml`` into a temporary folder, compiles ``--modules`` there with
``mypyc`` (gcc and the Python headers must be present), and counts instructions a question
with ``bench_ask_ir.py`` in the copy and in this checkout (same corpus, ``DIR`` as
``bench_index.py --workdir``). ``--cpu N`` also runs ``bench_ask.py`` N times in each tree,
alternating, and prints each run's CPU line (noisy on a shared machine; the counts are not).

Left out of the default list, and why: ``qa.search.bm25`` and ``qa.models`` hold frozen
dataclasses that cross process boundaries in the cold build, and mypyc's compiled frozen
dataclasses do not unpickle (``FrozenInstanceError`` in the pool's result thread, which then
hangs the build); ``qa.language.tokenizer`` and ``qa.language.fold`` hash their own files into
the token-cache key, so compiling them rebuilds the bench's caches on every switch.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_ask import corpus_parser

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "qa/engine.py",
    *(f"qa/answer/{m}.py" for m in ("quotes", "prepared", "retrieve", "compose", "nearmiss",
                                    "asked")),
    *(f"qa/language/{m}.py" for m in ("understand", "normalize", "scope", "phrasefind", "text",
                                      "shortcoming", "unitnames", "homophones", "shapes",
                                      "years")),
    *(f"qa/search/{m}.py" for m in ("segindex", "densetop", "prune", "tftables", "topk")),
]
PER_QUESTION = re.compile(r"([\d.]+) M a question")


def compiled_copy(where: Path, modules: list[str]) -> float:
    """Copy the checkout into ``where``, compile ``modules`` in place; return the seconds."""
    for part in ("src", "bench"):
        shutil.copytree(ROOT / part, where / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.so", "results"))
    for name in ("pyproject.toml", "README.md"):  # mypyc reads the mypy settings
        shutil.copy(ROOT / name, where / name)
    if (ROOT / "seeds").exists():
        (where / "seeds").symlink_to(ROOT / "seeds")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mypyc", "--strict", *(f"src/{m}" for m in modules)],
                   cwd=where, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def per_question(tree: Path, args: argparse.Namespace) -> float:
    """Return ``bench_ask_ir.py``'s instructions a question (millions) in one tree."""
    out = subprocess.run([sys.executable, str(tree / "bench" / "bench_ask_ir.py"),
                          "--workdir", str(args.workdir), "--size", str(args.size),
                          "--rounds", str(args.rounds)],
                         check=True, capture_output=True, text=True).stdout
    found = PER_QUESTION.search(out)
    if not found:
        raise SystemExit(f"no count in bench_ask_ir.py's output:\n{out}")
    return float(found.group(1))


def cpu_line(tree: Path, args: argparse.Namespace) -> str:
    """Return ``bench_ask.py``'s summary line (CPU per question, wall p50 / p99) in one tree."""
    out = subprocess.run([sys.executable, str(tree / "bench" / "bench_ask.py"),
                          "--workdir", str(args.workdir), "--size", str(args.size)],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def main() -> int:
    """Compile a copy, count both trees, print the figures."""
    parser = corpus_parser(__doc__)
    parser.add_argument("--rounds", type=int, default=2, help="counted rounds of questions")
    parser.add_argument("--cpu", type=int, default=0, help="bench_ask.py runs in each tree")
    parser.add_argument("--modules", nargs="*", default=MODULES, help="paths under src/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        seconds = compiled_copy(copy, args.modules)
        print(f"mypyc compiled {len(args.modules)} modules in {seconds:.0f} s")
        plain, compiled = per_question(ROOT, args), per_question(copy, args)
        print(f"instructions a question: pure Python {plain:.3f} M, compiled {compiled:.3f} M "
              f"({(compiled / plain - 1) * 100:+.1f} %)")
        for run in range(args.cpu):
            print(f"run {run + 1} pure Python: {cpu_line(ROOT, args)}")
            print(f"run {run + 1} compiled:    {cpu_line(copy, args)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
