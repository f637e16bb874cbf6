"""Time confirm → first answer from a new report, and question latency while re-indexing.

    .venv/bin/python bench/reindex_bench.py [--passages 100000] [--workdir DIR] [--runs 3]

A deterministic synthetic folder (bench/bench_index.py's generator) is loaded as qa-bot loads
it: parsed-report cache and segment index in the cache folder (the first run builds them).
Then, per run, a .docx upload built here goes through the whole confirm path the bot will
use: convert → preview → Library.add (fsync'd writes) → Library.read → reindex.engine_with
→ swap → ask a question only the new report answers. Meanwhile the main thread keeps asking
questions against whichever engine is current; their latency (p50/p95/max) is printed beside
the same questions with no re-index running. Target: confirm → first answer ≤ 5 s at 10⁵
passages.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from bench_index import QUERIES, generate, percentile  # noqa: E402

from qa.documents.convert import convert_file
from qa.engine import QAEngine, open_engine
from qa.library.folder import Library
from qa.library.preview import build_preview
from qa.reindex import engine_with  # noqa: E402

# One made-up place per run: each new report holds a fact no other report (or run) holds.
PLACES = ("枫林", "柳岸", "松涛", "竹溪", "梅园", "桂苑", "荷塘", "杏坛", "橙湾", "榆阳")


def new_question(run: int) -> str:
    """Return a question only run ``run``'s report answers."""
    return f"{PLACES[run % len(PLACES)]}社区红色物业联盟覆盖多少个小区"


def upload_docx(run: int) -> bytes:
    """Return a small .docx report whose facts no synthetic report holds."""
    import docx

    document = docx.Document()
    document.add_paragraph(f"某街道第{run}党工委2024年党建工作总结", style="Title")
    document.add_paragraph("主要工作情况", style="Heading 1")
    place = PLACES[run % len(PLACES)]
    document.add_paragraph(f"{place}社区组建红色物业联盟，覆盖小区{37 + run}个，开展联建活动12次。")
    document.add_paragraph("存在问题", style="Heading 1")
    document.add_paragraph("一是物业党建覆盖不全。二是联建机制不够健全。")
    document.add_paragraph("下一步工作计划", style="Heading 1")
    document.add_paragraph("一是扩大红色物业联盟。二是完善联建机制。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class Holder:
    """The caller's engine reference: swapped in one assignment."""

    def __init__(self, engine: QAEngine) -> None:
        self.engine = engine


def confirm(holder: Holder, library: Library, data: bytes, run: int, out: dict[str, float]) -> None:
    """Run the confirm path and time each step, ending with the first answer."""
    t0 = time.perf_counter()
    preview = build_preview(convert_file(data, f"街道{run}.docx"))
    t1 = time.perf_counter()
    entry = library.add(preview, "bench")
    report = library.read(entry.report_id)
    t2 = time.perf_counter()
    holder.engine = engine_with(holder.engine, add=[report])
    t3 = time.perf_counter()
    answer = holder.engine.ask(new_question(run))
    t4 = time.perf_counter()
    assert answer.found and answer.hits[0].passage.report_id == entry.report_id, answer
    out.update(preview_s=t1 - t0, store_s=t2 - t1, reindex_s=t3 - t2, answer_s=t4 - t3,
               total_s=t4 - t1)


def latencies(holder: Holder, until: threading.Thread | None, minimum: int) -> list[float]:
    """Ask the benchmark questions in a loop (while ``until`` runs, or ``minimum`` times)."""
    samples: list[float] = []
    i = 0
    while (until is not None and until.is_alive()) or (until is None and i < minimum):
        question = QUERIES[i % len(QUERIES)]
        t0 = time.perf_counter()
        holder.engine.ask(question)
        samples.append(time.perf_counter() - t0)
        i += 1
    return samples


def summary(samples: list[float]) -> str:
    """Format p50/p95/max latency in ms."""
    return (f"n={len(samples)} p50 {percentile(samples, 50) * 1e3:.1f} ms, "
            f"p95 {percentile(samples, 95) * 1e3:.1f} ms, max {max(samples) * 1e3:.1f} ms")


def main() -> int:
    """Build or reuse the corpus, then time the confirm runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (reused next time)")
    args = parser.parse_args()
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="qa-reindex-"))
    folder = workdir / f"corpus-{args.passages}"
    if not folder.is_dir():
        print(f"# generating {args.passages:,} passages in {folder}", file=sys.stderr)
        generate(folder, args.passages)
    library = Library(folder)
    for old in library.entries():  # a reused --workdir: set earlier runs' reports aside
        if old.added_by == "bench":
            library.remove(old.report_id, "bench")
    t0 = time.perf_counter()
    # As qa-bot loads it: the segment index in the cache folder (a re-index writes one segment).
    engine = open_engine(folder)
    engine.segmenter.initialize()
    print(f"engine: {engine.index.size:,} passages, {len(engine.reports):,} reports, "
          f"loaded in {time.perf_counter() - t0:.1f} s")
    holder = Holder(engine)
    print("questions, no re-index:      ", summary(latencies(holder, None, 300)))
    for run in range(args.runs):
        steps: dict[str, float] = {}
        worker = threading.Thread(
            target=confirm, args=(holder, library, upload_docx(run), run, steps)
        )
        worker.start()
        during = latencies(holder, worker, 0)
        worker.join()
        print(f"run {run}: confirm → first answer {steps['total_s']:.2f} s "
              f"(store {steps['store_s']:.2f}, re-index {steps['reindex_s']:.2f}, "
              f"answer {steps['answer_s'] * 1e3:.0f} ms; preview before confirm "
              f"{steps['preview_s']:.2f} s)")
        print("  questions during re-index: ", summary(during) if during else "none")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
