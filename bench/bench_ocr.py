"""OCR seconds per A4 page on this machine (issue 19: target ≤ 3 s a page on 2 cores).

A scanned PDF is generated from a seed report: full A4 pages of Chinese text drawn at 150 dpi,
each turned by ±1.2° as on a scanner, wrapped in a PDF with no text layer (tests/scans.py).
The converter reads it as an upload would (qa.documents.convert_file → OCR). The models are
loaded first, apart: the figures are wall and CPU seconds of recognition per page (CPU time
tells the cost apart from other work on a shared machine), plus how much of the printed text
came back (character match ratio).

    python bench/bench_ocr.py [--pages 4]
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from qa.documents import convert_file  # noqa: E402
from qa.documents.ocr import _ocr_engine  # noqa: E402
from tests.scans import CHARS_PER_LINE, make_scanned_pdf, wrap  # noqa: E402

LINES_PER_PAGE = 30


def seed_pages(count: int) -> list[list[str]]:
    """Return ``count`` pages of printed lines cut from the seed reports, page after page."""
    lines: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        lines.extend(wrap([p for p in path.read_text("utf-8").splitlines() if p.strip()]))
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    return pages[:count]


def main() -> int:
    """Print OCR seconds per page and the share of characters read back."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    args = parser.parse_args()
    pages = seed_pages(args.pages)
    data = make_scanned_pdf(pages)
    started = time.perf_counter()
    _ocr_engine()
    load = time.perf_counter() - started
    times: list[tuple[float, float]] = []  # (wall, CPU of all threads) per page
    last = [time.perf_counter(), time.process_time()]

    def tick(done: int, total: int) -> None:
        now = [time.perf_counter(), time.process_time()]
        if done:
            times.append((now[0] - last[0], now[1] - last[1]))
        last[:] = now

    converted = convert_file(data, "bench.pdf", progress=tick)
    printed = "".join("".join(page) for page in pages)
    read = "".join(converted.text.split())
    ratio = difflib.SequenceMatcher(None, printed, read, autojunk=False).ratio()
    chars = len(printed) / len(pages)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"models loaded in {load:.2f} s (once per process)")
    print(f"{len(pages)} A4 pages at 150 dpi, {chars:.0f} characters a page "
          f"({LINES_PER_PAGE} lines of {CHARS_PER_LINE}), turned ±1.2°")
    walls, cpus = [w for w, _ in times], [c for _, c in times]
    print("wall seconds per page: " + " ".join(f"{t:.2f}" for t in walls))
    print(f"mean {sum(walls) / len(walls):.2f} s/page wall, best {min(walls):.2f}; "
          f"CPU {sum(cpus) / len(cpus):.2f} s/page (both cores' time; the machine is shared, "
          f"so wall time grows with the load above); characters read back: {ratio:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
