"""A question's latency while a scan is read by OCR (issue 19: "other users answered meanwhile").

The bot reads an upload as ``asyncio.to_thread(preview_isolated, …)``: a thread of the bot's
process waits on a child process forked for the upload, where OCR runs; questions are answered
by ``QAEngine.ask`` in the bot's process. This script does the same in one process: it asks the
seed questions one after another with nothing else running, then again while a worker thread
reads an N-page scan through ``preview_isolated``, and prints both latency distributions (a
question's wall time) and how long the scan took.

    python bench/bench_ocr_meanwhile.py [--pages 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "src")]

from bench_ocr import seed_pages  # noqa: E402

from qa import QAEngine  # noqa: E402
from qa.library import DEFAULT_LIMITS, preview_isolated, start_worker_server  # noqa: E402
from tests.scans import make_scanned_pdf  # noqa: E402

QUESTIONS = Path("/work/shared/eval/dev4.jsonl")


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def ask_all(engine: QAEngine, questions: list[str], until: threading.Event | None,
            gap: float = 0.0) -> list[float]:
    """Ask the questions in turn, ``gap`` s apart (round after round until ``until`` is set);
    return each one's milliseconds."""
    latencies: list[float] = []
    while True:
        for question in questions:
            started = time.perf_counter()
            engine.ask(question)
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(gap)
            if until is not None and until.is_set():
                return latencies
        if until is None:
            return latencies


def summary(name: str, latencies: list[float]) -> str:
    return (f"{name:<22} n={len(latencies):<4} p50 {percentile(latencies, 50):6.1f} ms  "
            f"p95 {percentile(latencies, 95):6.1f} ms  max {max(latencies):6.1f} ms")


def main() -> int:
    """Print question latencies alone and during an OCR of ``--pages`` pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--gap", type=float, default=0.2, help="seconds between questions")
    parser.add_argument("--niceness", type=int, default=DEFAULT_LIMITS.niceness,
                        help="added to the OCR worker's niceness (0: as the bot's)")
    args = parser.parse_args()
    source = QUESTIONS if QUESTIONS.exists() else ROOT / "bench" / "dev3.jsonl"
    questions = [json.loads(line)["q"] for line in source.read_text("utf-8").splitlines()
                 if line.strip()]
    engine = QAEngine.from_directory(ROOT / "seeds")
    start_worker_server()
    ask_all(engine, questions, None)  # warm every cache once
    alone = ask_all(engine, questions, None, args.gap)
    scan = make_scanned_pdf(seed_pages(args.pages))
    done = threading.Event()
    took: list[float] = []

    def read_scan() -> None:
        started = time.perf_counter()
        try:
            preview_isolated(scan, "扫描件.pdf", replace(DEFAULT_LIMITS, niceness=args.niceness))
        finally:
            took.append(time.perf_counter() - started)
            done.set()

    worker = threading.Thread(target=read_scan)
    worker.start()
    during = ask_all(engine, questions, done, args.gap)
    worker.join()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"one question every {args.gap} s; OCR worker niceness +{args.niceness}")
    print(summary("questions alone", alone))
    print(summary("questions during OCR", during))
    print(f"scan of {args.pages} pages read in {took[0]:.1f} s "
          f"({took[0] / args.pages:.2f} s/page, models loaded in the worker included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
