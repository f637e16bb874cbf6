"""Build scanned-page fixtures in the test: Chinese text drawn on an A4 image, turned slightly.

A scan is pixels only: each page is drawn with Pillow in the project's shipped Chinese font,
rotated by a small angle as a sheet on a scanner glass would be, and wrapped in a PDF with no
text layer (Pillow's PDF writer), so the converter must take the OCR path.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path(__file__).resolve().parents[1] / "src/qa/data/fonts/NotoSansSC-Subset.otf"
A4_150DPI = (1240, 1754)
CHARS_PER_LINE = 34


def wrap(lines: Sequence[str], width: int = CHARS_PER_LINE) -> list[str]:
    """Break paragraphs into printed lines of at most ``width`` characters."""
    out: list[str] = []
    for line in lines:
        out.extend(line[i : i + width] for i in range(0, max(1, len(line)), width))
    return out


def page_image(lines: Sequence[str], angle: float = 1.2, size: int = 28) -> Image.Image:
    """Return an A4 page (150 dpi, greyscale) with the lines printed on it, turned by angle."""
    page = Image.new("L", A4_150DPI, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), size)
    y = 150
    for line in wrap(lines):
        draw.text((130, y), line, font=font, fill=0)
        y += int(size * 1.7)
    return page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)


def make_scanned_pdf(pages: Sequence[Sequence[str]], angle: float = 1.2) -> bytes:
    """Return a PDF of page images only (no text layer), each page turned by ``angle``."""
    images = [page_image(lines, angle if i % 2 == 0 else -angle) for i, lines in enumerate(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return out.getvalue()


def make_photo(lines: Sequence[str], angle: float = 2.0) -> bytes:
    """Return a JPEG photo of one printed page, turned by ``angle``."""
    out = io.BytesIO()
    page_image(lines, angle).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()
