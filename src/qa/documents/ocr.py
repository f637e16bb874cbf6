"""Read the text of scanned pages and photos of pages: RapidOCR on onnxruntime.

``rapidocr-onnxruntime`` ships its PP-OCRv4 detection and recognition models inside the wheel,
so the README's install sets up OCR with nothing fetched at run time. PDF pages are rendered
with pypdfium2 (its wheel ships PDFium). A page scanned askew needs no second pass when the
tilt is slight: the detector's boxes are turned quadrilaterals that the recogniser reads
straightened, and the tilt read off the boxes is taken out of their positions before they are
put back into lines (boxes whose centres lie within half a line height join one line, left to
right). Only a page turned by more than MAX_SLIGHT_DEGREES is rotated back and read again.

How the networks run is EngineSettings: the detector sees the page at 960 px, text lines are
recognised two at a time on one-thread sessions, and no thread spin-waits (bench/profile_ocr.py
measures each choice; docs/benchmarks.md has the table).
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from qa.errors import FileRefusedError

RENDER_DPI = 150  # A4 at 150 dpi: 1240×1754, the detector's sweet spot on text pages
MAX_PAGES = 60
MAX_SLIGHT_DEGREES = 4.0
MIN_SCORE = 0.5
USE_CLS = False  # the angle classifier only tells upside-down lines, which a scan has not
_engine: Any = None
_engine_lock = threading.Lock()
_run_lock = threading.Lock()

Progress = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass(frozen=True, slots=True)
class Box:
    """One recognised text box: its corner points, text and confidence."""

    points: tuple[tuple[float, float], ...]
    text: str
    score: float

    @property
    def top(self) -> float:
        return min(y for _, y in self.points)

    @property
    def bottom(self) -> float:
        return max(y for _, y in self.points)

    @property
    def left(self) -> float:
        return min(x for x, _ in self.points)


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """How the engine runs its networks (bench/profile_ocr.py measures each choice)."""

    threads: int = 2  # the detector's onnxruntime intra-op threads: the machine's two cores
    # Text lines recognised at once, each in its own thread with a one-thread session: lines
    # are independent, so two lanes keep both cores busy without onnxruntime's per-operator
    # hand-offs between threads (the recogniser's operators are small). 1: one line at a
    # time, on ``threads`` intra-op threads.
    rec_lanes: int = 2
    # Idle worker threads spin-wait for the next operator: on a shared machine they burn the
    # core a question needs (and CPU seconds of the upload's allowance) for nothing.
    spin: bool = False
    sequential: bool = True  # operators one after another (not ORT_PARALLEL)
    # The detector's longest side: a page rendered at 150 dpi (1754 px) costs it four times the
    # work for the same boxes; print of 16 px (8 pt) is still found at 960. None: as rendered.
    det_side: int | None = 960
    rec_batch: int = 1  # text lines through the recogniser at once, in one lane


def build_engine(settings: EngineSettings) -> Any:
    """Return a RapidOCR engine whose onnxruntime sessions follow ``settings``."""
    from rapidocr_onnxruntime import RapidOCR

    # Built with one thread each (no thread pools); the sessions that need more are rebuilt.
    engine = RapidOCR(rec_batch_num=settings.rec_batch, intra_op_num_threads=1,
                      inter_op_num_threads=1)
    if settings.det_side is not None:
        _limit_detector(engine.text_det, settings.det_side)
    rec_threads = settings.threads if settings.rec_lanes == 1 else 1
    for holder, threads in ((engine.text_det.infer, settings.threads),
                            (engine.text_rec.session, rec_threads)):
        if threads > 1 or not settings.sequential:
            holder.session = _session(holder.session, threads, settings)
    if settings.rec_lanes > 1:
        engine.text_rec = _Lanes(engine.text_rec, settings.rec_lanes)
    return engine


class _Lanes:
    """The recogniser run on ``lanes`` threads, each taking every lanes-th line by width."""

    def __init__(self, recogniser: Any, lanes: int) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.recogniser = recogniser
        self.lanes = lanes
        self.pool = ThreadPoolExecutor(lanes, thread_name_prefix="ocr-rec")

    def __call__(self, crops: list[Any], return_word_box: bool = False) -> tuple[list[Any], float]:
        # Dealt out in order of width, so each lane gets as many long lines as the other.
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / crops[i].shape[0])
        shares = [order[lane :: self.lanes] for lane in range(self.lanes)]
        done = self.pool.map(
            lambda share: self.recogniser([crops[i] for i in share], return_word_box), shares)
        results: list[Any] = [("", 0.0)] * len(crops)
        elapsed = 0.0
        for share, (texts, seconds) in zip(shares, done, strict=True):
            for index, text in zip(share, texts, strict=True):
                results[index] = text
            elapsed = max(elapsed, seconds)
        return results, elapsed


def _limit_detector(detector: Any, side: int) -> None:
    """Make the detector see the page with its longest side ``side`` (boxes come back full size).

    rapidocr-onnxruntime 1.x picks the detector's size itself (2000 for a page over 1500 px,
    whatever det_limit_side_len says), so its choice is replaced on this one detector.
    """
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    fixed = DetPreProcess(side, "max", detector.mean, detector.std)
    detector.get_preprocess = lambda _longest: fixed


def _session(old: Any, threads: int, settings: EngineSettings) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = False
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    if not settings.sequential:
        options.execution_mode = onnxruntime.ExecutionMode.ORT_PARALLEL
    options.add_session_config_entry("session.intra_op.allow_spinning",
                                     "1" if settings.spin else "0")
    return onnxruntime.InferenceSession(old._model_path, sess_options=options,
                                        providers=["CPUExecutionProvider"])


def _ocr_engine() -> Any:
    """Return the one RapidOCR engine (loading its models costs ≈1 s; threads share it)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = build_engine(EngineSettings())
        return _engine


def _recognise(image: Any) -> list[Box]:
    import numpy as np

    pixels = np.asarray(image.convert("RGB"))
    engine = _ocr_engine()
    # One page at a time across uploads: the engine keeps Python state between its steps, and
    # two scans read at once would only share the same two cores more slowly.
    with _run_lock:
        result, _ = engine(pixels, use_cls=USE_CLS)
    return [
        Box(tuple((float(x), float(y)) for x, y in points), str(text), float(score))
        for points, text, score in (result or [])
        if float(score) >= MIN_SCORE and str(text).strip()
    ]


def skew_degrees(boxes: Sequence[Box]) -> float:
    """Return the median tilt of the wider boxes' top edges, in degrees (clockwise positive)."""
    angles = []
    for box in boxes:
        (x0, y0), (x1, y1) = box.points[0], box.points[1]
        if x1 - x0 > 4 * max(1.0, box.bottom - box.top) / 2:
            angles.append(math.degrees(math.atan2(y1 - y0, x1 - x0)))
    if not angles:
        return 0.0
    angles.sort()
    return angles[len(angles) // 2]


def box_lines(boxes: Sequence[Box], degrees: float = 0.0) -> list[str]:
    """Group boxes into printed lines top to bottom, each read left to right.

    ``degrees``: the page's tilt; positions are turned back by it, so a line's boxes stay one
    line however far apart they stand.
    """
    sin, cos = math.sin(math.radians(degrees)), math.cos(math.radians(degrees))

    def middle(box: Box) -> float:
        x = sum(px for px, _ in box.points) / len(box.points)
        y = sum(py for _, py in box.points) / len(box.points)
        return y * cos - x * sin

    lines: list[list[Box]] = []
    for box in sorted(boxes, key=middle):
        if lines:
            last = lines[-1][-1]
            if abs(middle(box) - middle(last)) < (last.bottom - last.top) / 2:
                lines[-1].append(box)
                continue
        lines.append([box])
    return ["".join(b.text for b in sorted(line, key=lambda b: b.left)).strip() for line in lines]


def image_lines(image: Any) -> list[str]:
    """Recognise one page image; a page turned more than slightly is straightened first."""
    boxes = _recognise(image)
    degrees = skew_degrees(boxes)
    if abs(degrees) > MAX_SLIGHT_DEGREES:
        from PIL import Image

        straight = image.convert("RGB").rotate(
            degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
        boxes = _recognise(straight)
        degrees = skew_degrees(boxes)
    return box_lines(boxes, degrees)


def pdf_page_images(data: bytes, name: str) -> Iterator[Any]:
    """Yield each page of a PDF rendered as a Pillow image (pypdfium2)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise FileRefusedError(name, "damaged", "PDF 已损坏，无法读取",
                               "请重新导出 PDF，或发送 .docx") from exc
    try:
        if len(document) > MAX_PAGES:
            raise FileRefusedError(name, "too_many_pages", f"扫描件超过 {MAX_PAGES} 页",
                                   "请拆分后分别发送")
        for index in range(len(document)):
            page = document[index]
            yield page.render(scale=RENDER_DPI / 72).to_pil()
            page.close()
    finally:
        document.close()


def ocr_pages(images: Iterator[Any], total: int, progress: Progress | None = None
              ) -> list[list[str]]:
    """Recognise page images in order, reporting (done, total) before and after each page."""
    pages: list[list[str]] = []
    if progress is not None:
        progress(0, total)
    for image in images:
        pages.append(image_lines(image))
        if progress is not None:
            progress(len(pages), total)
    return pages


def pdf_page_count(data: bytes) -> int:
    """Return how many pages a PDF has (0 if PDFium cannot open it)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return 0
    with_pages = len(document)
    document.close()
    return with_pages


def ocr_pdf(data: bytes, name: str, progress: Progress | None = None) -> list[list[str]]:
    """Return the recognised lines of every page of a scanned PDF."""
    return ocr_pages(pdf_page_images(data, name), pdf_page_count(data), progress)


def ocr_image(data: bytes, name: str) -> list[str]:
    """Return the recognised lines of a photo or scan of one page (png, jpg, …)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")  # phones store rotation
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise FileRefusedError(name, "damaged", "图片已损坏，无法读取",
                               "请重新拍摄或导出后再发送") from exc
    return image_lines(image)
