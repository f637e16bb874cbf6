"""Instructions per ``engine.ask`` (valgrind's callgrind): a cost figure the machine's load
does not move.

    .venv/bin/python bench/bench_ask_ir.py --workdir DIR [--size 100000] [--rounds 3] [--first]

On a shared machine CPU time varies by ±20 % between runs of the same code (caches and cores
shared with other processes), which hides changes of a few per cent. Instruction counts repeat
to seven digits. The script runs itself under callgrind with instrumentation off, opens the
engine as ``bench_ask.py`` does (``DIR`` is ``bench_index.py --workdir``), asks every bench
question once more and collects garbage, then counts only ``--rounds`` rounds of the bench
questions and leaves without the interpreter's teardown. ``--first`` counts instead the one
round of first asks that ``bench_index.py``'s ``ask, 1st`` row times (after the index searches,
without the warm pass). Instructions are not time (a memset
or a cache miss weighs differently) but compare two checkouts' Python and numpy work exactly.
Run the file of the checkout to measure; valgrind and callgrind_control must be installed.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_ask import corpus_parser

HERE = Path(__file__).resolve().parent


def child(workdir: Path, size: int, rounds: int, signal_file: Path, first: bool) -> None:
    """Open and warm the engine, say so, wait for the go, ask ``rounds`` rounds, leave."""
    sys.path.insert(0, str(HERE))
    import bench_ask

    engine, questions = bench_ask.open_engine(workdir, size)
    if first:
        bench_ask.search_index(engine, questions)
    else:
        for question in questions:  # caches settled: what is counted is the steady state
            engine.ask(question)
    gc.collect()
    signal_file.with_suffix(".ready").write_text(str(os.getpid()))
    while not signal_file.with_suffix(".go").exists():
        time.sleep(0.05)
    for _ in range(rounds):
        for question in questions:
            engine.ask(question)
    sys.stdout.flush()
    os._exit(0)  # the interpreter's teardown would be counted too


def parent(args: argparse.Namespace) -> int:
    """Run the child under callgrind, switch counting on once it is warm, print the count."""
    sys.path.insert(0, str(HERE))
    import bench_index

    with tempfile.TemporaryDirectory() as tmp:
        mark, log = Path(tmp) / "mark", Path(tmp) / "valgrind.log"
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
               f"--callgrind-out-file={tmp}/callgrind.out", sys.executable, __file__,
               "--workdir", str(args.workdir), "--size", str(args.size),
               "--rounds", str(args.rounds), "--child", str(mark)] + (
                   ["--first"] if args.first else [])
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        with log.open("w") as err, subprocess.Popen(cmd, stderr=err, env=env) as proc:
            while not mark.with_suffix(".ready").exists():
                if proc.poll() is not None:
                    print(log.read_text(), file=sys.stderr)
                    return 1
                time.sleep(0.5)
            subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True,
                           capture_output=True)
            mark.with_suffix(".go").touch()
        # A cold load on the way (caches of another checkout's code) forks pool workers that
        # valgrind follows; each logs a count of 0 of its own. The child's is the largest.
        found = [int(n) for n in re.findall(r"Collected : (\d+)", log.read_text())]
        if not found:
            print(log.read_text(), file=sys.stderr)
            return 1
        count, asks = max(found), args.rounds * len(bench_index.QUERIES)
        what = "first asks" if args.first else f"{args.rounds} rounds of the bench questions"
        print(f"{count:,} instructions for {asks} asks ({what}): "
              f"{count / asks / 1e6:.3f} M a question")
    return 0


def main() -> int:
    """Parse options; run as the parent (default) or as the counted child."""
    parser = corpus_parser(__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="counted rounds of questions")
    parser.add_argument("--first", action="store_true",
                        help="count each question's first ask (one round) instead")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first:
        args.rounds = 1
    if args.child:
        child(args.workdir, args.size, args.rounds, args.child, args.first)
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
