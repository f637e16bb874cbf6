"""Fold look-alike code points to the ordinary characters, and drop control characters.

PDF text layers (and text copied out of them) often carry radical code points instead of the
ideographs they look like: ⾏ (U+2F8F KANGXI RADICAL WALK ENCLOSURE) for 行, ⻓ (U+2ED3) for 长.
They print the same but match nothing a user types. Kangxi radicals (U+2F00–U+2FDF) and the
CJK compatibility ideographs fold by NFKC; most of the CJK Radicals Supplement (U+2E80–U+2EFF)
has no decomposition, so the forms that also stand as whole characters are mapped here, after
Unicode's EquivalentUnifiedIdeograph.txt. NFKC is applied to those blocks only: on all text it
would also turn full-width ％ and （一） into other forms the report parser reads differently.

Control characters (NUL and the other C0/C1 controls but tab and newline) are dropped: a text
layer carrying them was stored, then refused as binary on every later load.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement forms that are also whole characters → the unified ideograph.
_SUPPLEMENT = {
    "⺌": "小", "⺍": "小", "⺗": "心", "⺟": "母", "⺠": "民", "⺧": "牛", "⺮": "竹",
    "⺳": "网", "⺶": "羊", "⺷": "羊", "⻁": "虎", "⻄": "西", "⻅": "见", "⻆": "角",
    "⻇": "角", "⻉": "贝", "⻋": "车", "⻑": "長", "⻓": "长", "⻔": "门", "⻗": "雨",
    "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食", "⻢": "马",
    "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄",
    "⻪": "黾", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟",
}
_TABLE = str.maketrans(_SUPPLEMENT)
# Kangxi radicals, CJK compatibility ideographs (BMP and supplement): NFKC folds them.
_NFKC_BLOCKS = re.compile("[\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_SUSPECT = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
# C0 and C1 controls but \t \n \r, DEL, and the noncharacters U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _nfkc(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group(0))


def fold_lookalikes(text: str) -> str:
    """Return text with radical and compatibility look-alikes as ordinary ideographs."""
    if _SUSPECT.search(text) is None:
        return text  # the usual case costs one scan
    return _NFKC_BLOCKS.sub(_nfkc, text.translate(_TABLE))


def drop_controls(text: str) -> str:
    """Remove control characters that no report means (NUL, form feed, escapes…)."""
    # A form feed or vertical tab ends a line in the source: keep the break.
    return _CONTROL.sub("", text.replace("\x0c", "\n").replace("\x0b", "\n"))


# Either kind at all: most texts have neither, and then one scan settles both.
_EITHER = re.compile("[" + _SUSPECT.pattern[1:-1] + _CONTROL.pattern[1:-1] + "]")


def clean_code_points(text: str) -> str:
    """Fold look-alikes and drop control characters: what every incoming text goes through."""
    if _EITHER.search(text) is None:
        return text  # nothing to fold or drop (form feeds and vertical tabs are controls)
    return drop_controls(fold_lookalikes(text))
