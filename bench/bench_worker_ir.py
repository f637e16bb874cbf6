"""Count the instructions a cold build's worker spends per passage (valgrind, not a clock).

    .venv/bin/python bench/bench_worker_ir.py FOLDER [--first 40] [--last 240]

On a shared 2-core machine CPU seconds follow what the others run (the same cold build took
181–575 s in docs/benchmarks.md); instruction counts do not. The worker's whole job (read, hash,
parse and pack each file, tokenise its passages into postings: ``qa.library.coldload``) runs
under ``valgrind --tool=cachegrind`` once over the first ``--first`` files of FOLDER and once
over the first ``--last``; the difference divided by the passages between them leaves out
start-up (imports, jieba's dictionary) and first-sight costs. Run it with ``PYTHONPATH`` set to
the checkout to measure. Needs valgrind; ≈ 2 minutes for the defaults on a bench folder.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path


def work(folder: Path, files: int) -> int:
    """Do a worker's job on the first ``files`` files; return the passages indexed."""
    from qa.language import Tokenizer
    from qa.library import coldload
    from qa.reports import Pending

    names = sorted(os.listdir(folder))[:files]
    pending = [Pending(name, folder / name, None, os.stat(folder / name)) for name in names]
    segmenter = Tokenizer()
    segmenter.initialize()
    coldload._init_worker(segmenter, None)
    passages = 0
    for chunk in coldload._chunks(pending, coldload.CHUNK_BYTES):
        passages += len(coldload._parse_chunk(chunk)[2][2])
    return passages


def counted(folder: Path, files: int) -> tuple[int, int]:
    """Return (passages, instructions) of ``work`` under cachegrind, in a fresh interpreter."""
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, __file__, "--work", str(files), str(folder)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    refs = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if refs is None:
        raise SystemExit("valgrind printed no instruction count")
    return int(proc.stdout.split()[-1]), int(refs.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--first", type=int, default=40)
    parser.add_argument("--last", type=int, default=240)
    parser.add_argument("--work", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.work is not None:
        print(work(args.folder, args.work))
        return
    few, many = counted(args.folder, args.first), counted(args.folder, args.last)
    per = (many[1] - few[1]) / (many[0] - few[0])
    print(f"{many[0] - few[0]} passages: {per:,.0f} instructions a passage")


if __name__ == "__main__":
    main()
