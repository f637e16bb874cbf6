"""Where OCR time goes, stage by stage, and what a setting of the engine changes (issue 19).

The same scanned pages as bench_ocr.py (seed text at 150 dpi, turned ±1.2°) are rendered and
read with the project's engine (qa.documents.ocr), each stage timed in wall and CPU seconds
(CPU of the whole process: onnxruntime's worker threads included): rendering, the detector's
pre-processing / network / box finding, cutting the boxes out, the angle classifier, the
recogniser's pre-processing / network / decoding, and joining boxes into lines. A setting
is tried with a flag, one at a time, so every row of docs/benchmarks.md comes from this script:

    python bench/profile_ocr.py --pages 3 [--spin 0] [--threads 1] [--det-side 960]
                                [--rec-batch 6] [--cls] [--dpi 120] [--sequential 0]
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "src")]

from bench_ocr import seed_pages  # noqa: E402

from qa.documents import ocr  # noqa: E402
from tests.scans import page_image  # noqa: E402

Clock = dict[str, list[float]]  # stage → [wall, CPU]


def timed(clock: Clock, stage: str, call: Callable[..., Any]) -> Callable[..., Any]:
    """Return ``call`` wrapped so its wall and CPU seconds add up under ``stage``."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return call(*args, **kwargs)
        finally:
            clock[stage][0] += time.perf_counter() - wall
            clock[stage][1] += time.process_time() - cpu
    return wrapper


class Timed:
    """A stand-in for one of the engine's callable parts that times each call."""

    def __init__(self, clock: Clock, stage: str, inner: Any) -> None:
        self.call = timed(clock, stage, inner)
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.call(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def instrument(engine: Any, clock: Clock) -> None:
    """Time the engine's stages in place (this process only: a benchmark, not the product)."""
    det, cls = engine.text_det, engine.text_cls
    rec = getattr(engine.text_rec, "recogniser", engine.text_rec)
    det.get_preprocess = _timed_preprocess(det.get_preprocess, clock)
    det.infer = Timed(clock, "det network", det.infer)
    det.postprocess_op = Timed(clock, "det boxes", det.postprocess_op)
    engine.get_crop_img_list = timed(clock, "crop boxes", engine.get_crop_img_list)
    engine.text_cls = Timed(clock, "cls (angle)", cls)
    rec.resize_norm_img = timed(clock, "rec resize", rec.resize_norm_img)
    rec.session = Timed(clock, "rec network", rec.session)
    rec.postprocess_op = Timed(clock, "rec decode", rec.postprocess_op)


def _timed_preprocess(make: Callable[[int], Any], clock: Clock) -> Callable[[int], Any]:
    def made(side: int) -> Any:
        return timed(clock, "det resize", make(side))
    return made


def scanned_pdf(pages: list[list[str]], font: int) -> bytes:
    """Return the pages as a scan (tests/scans.py's drawing) printed in ``font`` pixels."""
    images = [page_image(lines, 1.2 if i % 2 == 0 else -1.2, size=font)
              for i, lines in enumerate(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return out.getvalue()


def main() -> int:
    """Print a table of seconds per page by stage, and the share of characters read back."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="intra-op threads")
    parser.add_argument("--spin", type=int, default=None, help="1/0: worker threads spin-wait")
    parser.add_argument("--sequential", type=int, default=None, help="1/0: execution mode")
    parser.add_argument("--det-side", type=int, default=None,
                        help="detector's longest side (0: the page as rendered)")
    parser.add_argument("--rec-batch", type=int, default=None)
    parser.add_argument("--rec-lanes", type=int, default=None, help="lines recognised at once")
    parser.add_argument("--cls", action="store_true", help="run the angle classifier")
    parser.add_argument("--dpi", type=int, default=ocr.RENDER_DPI)
    parser.add_argument("--font", type=int, default=28, help="print size in pixels at 150 dpi")
    args = parser.parse_args()
    settings = {k: v for k, v in (("threads", args.threads), ("spin", args.spin),
                                   ("sequential", args.sequential), ("det_side", args.det_side),
                                   ("rec_batch", args.rec_batch), ("rec_lanes", args.rec_lanes))
                if v is not None}
    if settings.get("det_side") == 0:
        settings["det_side"] = None
    pages = seed_pages(args.pages)
    data = scanned_pdf(pages, args.font)
    engine = ocr.build_engine(ocr.EngineSettings(**settings)) if settings else ocr._ocr_engine()
    ocr._engine = engine
    ocr.USE_CLS = args.cls
    ocr.RENDER_DPI = args.dpi
    clock: Clock = defaultdict(lambda: [0.0, 0.0])
    instrument(engine, clock)
    render = timed(clock, "render page", next)
    recognise = timed(clock, "recognise (all)", ocr._recognise)
    ocr._recognise = recognise
    join = timed(clock, "join lines", ocr.box_lines)
    ocr.box_lines = join
    read: list[str] = []
    wall, cpu = time.perf_counter(), time.process_time()
    images = ocr.pdf_page_images(data, "bench.pdf")
    for _ in pages:
        read.extend(ocr.image_lines(render(images)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    printed = "".join("".join(page) for page in pages)
    ratio = difflib.SequenceMatcher(None, printed, "".join("".join(read).split()),
                                    autojunk=False).ratio()
    print(f"settings: {settings or 'as shipped'}, cls={args.cls}, dpi={args.dpi}, "
          f"font {args.font} px; "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'stage':<16} {'wall s/page':>11} {'CPU s/page':>11}")
    for stage, (w, c) in clock.items():
        print(f"{stage:<16} {w / len(pages):>11.2f} {c / len(pages):>11.2f}")
    print(f"{'total':<16} {wall / len(pages):>11.2f} {cpu / len(pages):>11.2f}")
    print(f"characters read back: {ratio:.1%}")
    if hasattr(engine.text_rec, "lanes"):
        print(f"(rec rows: summed over {engine.text_rec.lanes} lanes that run at once; "
              f"'recognise (all)' and 'total' are the page's own)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
