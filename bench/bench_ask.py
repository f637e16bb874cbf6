"""Where ``engine.ask`` spends its time, on a corpus ``bench_index.py`` generated.

    .venv/bin/python bench/bench_ask.py --workdir DIR [--size 100000] [--rounds 15] [--sample]
    .venv/bin/python bench/bench_ask.py --workdir DIR [--size 100000] --first
    .venv/bin/python bench/bench_ask.py --workdir DIR [--size 100000] --rectify | --figures
    .venv/bin/python bench/bench_ask.py --workdir DIR [--size 100000] --wide

Opens the engine as the bench's warm worker does (``<workdir>/n<size>`` and its caches; the
folder is generated again when ``bench_index.py`` removed it; ``warm_up``, collect and freeze
as qa-bot's warm-up thread), asks every bench question once, then ``--rounds`` more times, and
prints per question the least CPU time of its rounds (this
thread's, so other processes on a shared machine weigh less than in wall time) with the
median over questions, and the wall-clock p50 / p99 of all rounds. ``--sample`` instead
samples the call stack every 0.2 ms of CPU (``SIGPROF``) and prints each stage's share of the
CPU and its milliseconds per question: a profile without cProfile's cost per call, which
distorts code made of many small calls. ``--first`` times the first pass instead, each
question asked for the first time after its index search (as ``bench_index.py``'s ``ask, 1st``:
its candidates' report bodies read from the parsed cache): CPU per question, median and sum.
``--rectify`` times the unscoped problem listing (``/rectify`` with no keyword), twice;
``--figures`` what the figure commands wait for: one report's figures, one unit's years, and
the figure table of every report that a comparison across units builds. ``--wide`` times the
questions whose work grows with the library rather than with the candidates (a ranking of every
report, a year's scope, ``/rectify``), each asked twice, then every eval and held-out question
(``/work/shared/eval/dev*.jsonl``, ``bench/holdout*.jsonl``) asked once: wall p50 / p90 / p99 /
max and the slowest five.
Run it with another checkout's bench file to compare (the source imported is the checkout's
own ``src``).
"""

from __future__ import annotations

import argparse
import gc
import json
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# A stage is every frame of these functions (inclusive), whichever calls them.
STAGES = {
    "understand": ("qa/engine.py:understand",),
    "index.search": ("qa/search/segindex.py:search", "qa/search/segindex.py:search_per_group"),
    "candidate passages": ("qa/reports/passagelist.py:__getitem__", "qa/answer/prepared.py:at"),
    "rerank": ("qa/answer/retrieve.py:rerank", "qa/answer/retrieve.py:_rerank"),
    "  best sentence": ("qa/answer/quotes.py:best_sentence",
                        "qa/answer/prepared.py:best_prepared_sentence"),
    "  coverage, answers": ("qa/answer/retrieve.py:coverage", "qa/answer/retrieve.py:paraphrased",
                            "qa/answer/retrieve.py:verdict"),
    "  quotes (k kept)": ("qa/answer/quotes.py:quote_hit",),
    "section overviews": ("qa/engine.py:_overview",),
    "compose (decide)": ("qa/answer/compose.py:decide",),
}


def open_engine(workdir: Path, size: int) -> tuple[Any, list[str]]:
    """Open the engine on the bench corpus as the warm worker does; return it and the questions."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    import bench_index as bench

    from qa.engine import QAEngine

    folder, cache = workdir / f"n{size}", workdir / f"n{size}.tokens"
    if not any(folder.glob("*.txt")):
        bench.generate(folder, size)
    bench._use_startup_caches(cache)
    engine = QAEngine.from_directory(folder, parsed_cache=bench._parsed(cache),
                                     index_dir=bench._index_dir(cache))
    engine.segmenter.initialize()
    # A checkout older than warm_up (issue 22's start, 0a66ca1) loads the word weights only.
    getattr(engine, "warm_up", engine.background.load)()
    gc.collect()
    gc.freeze()
    return engine, list(bench.QUERIES)


def search_index(engine: Any, questions: list[str]) -> None:
    """Run the bench questions' index searches, as ``bench_index.py`` times them before its
    ``ask, 1st`` row: the terms' saturations are then cached, the report bodies not read."""
    for question in questions:
        engine.index.search(engine.segmenter.tokens(question), 10)


def time_rectify(engine: Any) -> None:
    """Print the wall time of the unscoped problem listing (``/rectify``), twice."""
    for attempt in ("first", "again"):
        start = time.perf_counter()
        answer = engine.rectify("")
        print(f"rectify, no keyword ({attempt}): {time.perf_counter() - start:.3f} s, "
              f"{len(answer.pairings)} problems listed")


def time_figures(engine: Any, store: Path, size: int) -> None:
    """Print what the figure commands wait for: one report's figures (/figures), one unit's
    years (/compare 发展党员 <unit>), and the library's figure table that a comparison across
    units builds, with its peak memory; then the same table stored in the folder ``store`` and
    read back from it, its export, and (in a process of its own, ``--let-go``) the memory given
    back when the bot lets a table go."""
    import resource

    from qa import FigureTable
    from qa.figures import extract_figures, unit_trend
    from qa.language import library_names, unit_of
    from qa_bot.figures.handlers import export_file

    reports = engine.reports
    report = reports[len(reports) // 2]
    start = time.perf_counter()
    figures = extract_figures(report)
    print(f"one report's figures (/figures): {1000 * (time.perf_counter() - start):.1f} ms, "
          f"{len(figures)} figures of {report.size} passages")
    unit = unit_of(report)
    start = time.perf_counter()
    names = library_names(reports, engine.language.unit_aliases)
    trend = unit_trend(f"发展党员 {unit}", reports, names)
    rows = len(trend.rows) if trend else 0
    print(f"one unit's years (/compare 发展党员 {unit}): {time.perf_counter() - start:.2f} s, "
          f"{rows} reports")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    table = FigureTable.from_reports(reports)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"figure table of every report: {seconds:.1f} s, {len(table.figures):,} figures, "
          f"peak RSS {before:.0f} → {after:.0f} MB")
    # What the bot does: the first table keeps every report's figures in the library's store,
    # and the next ones (a restart, an upload) read the unchanged reports' back.
    # Peaks are printed as they grow (ru_maxrss): one table is alive at a time.
    del table
    gc.collect()
    path = store / "figures.json"
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    FigureTable.from_reports(reports, path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"the same table, extracted and stored: {time.perf_counter() - start:.1f} s, "
          f"{path.stat().st_size / 1e6:.1f} MB stored, peak RSS {peak:.0f} MB")
    gc.collect()
    start = time.perf_counter()
    read = FigureTable.from_reports(reports, path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"the same table, read from the store: {seconds:.1f} s, {len(read.figures):,} figures, "
          f"peak RSS {peak:.0f} MB")
    start = time.perf_counter()
    data, name = export_file(read)
    print(f"/export of that table: {name}, {len(data) / 1e6:.1f} MB, "
          f"{time.perf_counter() - start:.1f} s, peak RSS {peak:.0f} → "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    # What letting a table go gives back depends on the heap's history: read it in a process
    # that has lived as the bot's (questions, one table from the store, /compare, /export).
    subprocess.run([sys.executable, __file__, "--workdir", str(store), "--size", str(size),
                    "--let-go", str(path)], check=True)
    path.unlink()


# Questions whose answer reads something of every report, or of every report of a year.
WIDE = ("几份报告里谁家自己列的问题最多、最全", "谁家对问题根源挖得最深，原因分析列得条数最多",
        "2022年度基层党支部书记抓党建述职评议会是哪家开的", "哪个单位警示教育抓得最多！！")


def time_wide(engine: Any) -> None:
    """Print the wall time of the library-wide questions and commands (first, again), then
    of every eval and held-out question asked once."""
    calls = [*((q, partial(engine.ask, q)) for q in WIDE),
             ("/rectify", partial(engine.rectify, "")),
             ("/rectify 培训", partial(engine.rectify, "培训"))]
    for name, call in calls:
        times = []
        for _ in range(2):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1e3)
        print(f"{times[0]:9.1f} / {times[1]:7.1f} ms  {name}")
    asked: dict[str, None] = {}
    for path in [*sorted(Path("/work/shared/eval").glob("dev*.jsonl")),
                 *sorted((ROOT / "bench").glob("holdout*.jsonl"))]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                asked[json.loads(line)["q"]] = None
    wall = []
    for question in asked:
        start = time.perf_counter()
        engine.ask(question)
        wall.append(((time.perf_counter() - start) * 1e3, question))
    wall.sort()
    at = [wall[min(len(wall) - 1, int(share * len(wall)))][0] for share in (0.5, 0.9, 0.99)]
    print(f"{len(wall)} eval and held-out questions, each asked once: p50 {at[0]:.1f} ms, "
          f"p90 {at[1]:.1f}, p99 {at[2]:.1f}, max {wall[-1][0]:.1f}; the slowest:")
    for ms, question in wall[-5:]:
        print(f"{ms:9.1f} ms  {question}")


def let_go(engine: Any, questions: list[str], path: Path) -> None:
    """Print VmRSS as a bot-like process makes a table from the store, uses it and lets it go."""
    from qa import FigureTable
    from qa_bot.figures.handlers import TABLE_IDLE, export_file

    for question in questions:
        engine.ask(question)
    before = _vm_rss()
    table = FigureTable.from_reports(engine.reports, path)
    table.compare("发展党员")
    export_file(table)  # made and dropped, as the bot sends it
    held = _vm_rss()
    del table
    gc.collect()
    print(f"a table from the store, used, then let go (by the bot after {TABLE_IDLE} unused): "
          f"VmRSS {before:.0f} → {held:.0f} → {_vm_rss():.0f} MB")


def _vm_rss() -> float:
    """Return this process's resident memory now, in MB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def time_first(engine: Any, questions: list[str]) -> None:
    """Print the CPU time of each question asked the first time, their median and sum."""
    search_index(engine, questions)
    cpu = []
    for question in questions:
        c0 = time.thread_time()
        engine.ask(question)
        cpu.append(time.thread_time() - c0)
    print(f"first asks, CPU per question: median {statistics.median(cpu) * 1e3:.3f} ms, "
          f"max {max(cpu) * 1e3:.3f}, sum {sum(cpu) * 1e3:.1f} ms")


def time_asks(engine: Any, questions: list[str], rounds: int) -> None:
    """Print each question's least CPU time, their median, and wall p50 / p99 of all rounds."""
    cpu: dict[str, list[float]] = {q: [] for q in questions}
    wall: list[float] = []
    for _ in range(rounds):
        for question in questions:
            c0, w0 = time.thread_time(), time.perf_counter()
            engine.ask(question)
            cpu[question].append(time.thread_time() - c0)
            wall.append(time.perf_counter() - w0)
    least = sorted((min(v), q) for q, v in cpu.items())
    for seconds, question in least:
        print(f"{seconds * 1e3:8.3f} ms  {question}")
    wall.sort()
    p99 = wall[min(len(wall) - 1, round(0.99 * len(wall)) - 1)]
    print(f"CPU per question (least of {rounds}): median "
          f"{statistics.median(s for s, _ in least) * 1e3:.3f} ms, max {least[-1][0] * 1e3:.3f}; "
          f"wall p50 {statistics.median(wall) * 1e3:.3f} ms, p99 {p99 * 1e3:.3f}")


def sample_asks(engine: Any, questions: list[str], rounds: int) -> None:
    """Print each stage's share of sampled CPU and its milliseconds per question."""
    inclusive: Counter[str] = Counter()
    samples = [0]

    def record(_signal: int, frame: FrameType | None) -> None:
        samples[0] += 1
        seen: set[str] = set()
        while frame is not None:
            code = frame.f_code
            seen.add(f"{code.co_filename.split('/src/')[-1]}:{code.co_name}")
            frame = frame.f_back
        inclusive.update(seen)

    signal.signal(signal.SIGPROF, record)
    signal.setitimer(signal.ITIMER_PROF, 0.0002, 0.0002)
    start = time.thread_time()
    for _ in range(rounds):
        for question in questions:
            engine.ask(question)
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    per_ask = (time.thread_time() - start) / (rounds * len(questions)) * 1e3
    print(f"{samples[0]} samples; CPU {per_ask:.3f} ms a question (sampling included)")
    for stage, names in STAGES.items():
        share = sum(inclusive[n] for n in names) / max(1, samples[0])
        print(f"| {stage} | {share * 100:.1f} % | {share * per_ask:.3f} ms |")


def corpus_parser(doc: str | None) -> argparse.ArgumentParser:
    """Return a parser with the bench corpus's options, shared by the ``bench_ask*`` scripts."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--workdir", type=Path, required=True,
                        help="bench_index.py's --workdir (corpus and caches)")
    parser.add_argument("--size", type=int, default=100_000, help="passages (n<size> folder)")
    return parser


def main() -> int:
    """Parse options, open the engine and time or sample its answers."""
    parser = corpus_parser(__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="asks of every question")
    parser.add_argument("--sample", action="store_true", help="sample stages instead of timing")
    parser.add_argument("--first", action="store_true",
                        help="time each question's first ask instead")
    parser.add_argument("--rectify", action="store_true",
                        help="time the unscoped problem listing (/rectify) instead")
    parser.add_argument("--figures", action="store_true",
                        help="time the figure commands (/figures, /compare) instead")
    parser.add_argument("--wide", action="store_true",
                        help="time the library-wide questions and the eval questions instead")
    parser.add_argument("--let-go", type=Path, metavar="STORE",
                        help="(run by --figures) the memory a table read from STORE gives back")
    args = parser.parse_args()
    engine, questions = open_engine(args.workdir, args.size)
    if args.let_go:
        let_go(engine, questions, args.let_go)
        return 0
    if args.rectify:
        time_rectify(engine)
        return 0
    if args.figures:
        time_figures(engine, args.workdir, args.size)
        return 0
    if args.wide:
        time_wide(engine)
        return 0
    if args.first:
        time_first(engine, questions)
        return 0
    for question in questions:  # first use: report bodies, caches
        engine.ask(question)
    (sample_asks if args.sample else time_asks)(engine, questions, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
