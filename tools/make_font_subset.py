"""Make the chart font shipped in src/qa/data/fonts: Noto Sans SC cut to GB2312 and ASCII.

    .venv/bin/python tools/make_font_subset.py NotoSansSC-Regular.otf

The source is Noto Sans SC Regular 2.004 (SIL OFL 1.1, github.com/notofonts/noto-cjk; the same
file ships in Debian's fonts-noto-cjk and in the PyPI package pylopdf-fonts-zh-cn 0.1.1). GB2312's
6,763 characters cover everyday Simplified Chinese (unit names, metric phrases) in 1.7 MB
instead of 8 MB; a chart replaces any other character by □ (qa.chart), so nothing renders as tofu.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "src" / "qa" / "data" / "fonts"
EXTRA = "·—‘’“”…‰℃№›×÷≈□●○■▲％（），：；！？、。《》「」【】"


def charset() -> set[str]:
    """Return GB2312's characters, printable ASCII, CJK punctuation and a few symbols."""
    chars = {chr(c) for c in range(0x20, 0x7F)} | set(EXTRA)
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def main(source: str) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in charset()])
    subsetter.subset(font)
    OUT.mkdir(parents=True, exist_ok=True)
    font.save(OUT / "NotoSansSC-Subset.otf")


if __name__ == "__main__":
    main(sys.argv[1])
