"""Does a converted text look like a Chinese report at all? Checked before any preview.

A file can convert cleanly and still be no report: English or binary-looking text, one line
of megabytes, thousands of headings. Each gets its own refusal instead of a preview with
absurd sections; a paragraph that is merely long is split at sentence ends when it is parsed
(qa.reports.longtext) and the preview says so.
"""

from __future__ import annotations

import re

from qa.errors import FileRefusedError
from qa.reports import heading_level

from .caps import Caps

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_VISIBLE = re.compile(r"\S")
MIN_CJK = 20  # fewer Chinese characters than this: not a report
MIN_CJK_SHARE = 0.1  # of the visible characters


def _wan(count: int) -> str:
    return f"{count / 10000:.1f} 万" if count >= 10000 else str(count)


def check_plausible(text: str, name: str, caps: Caps) -> None:
    """Refuse text that cannot be a Chinese report; return quietly when it may be one."""
    if len(text) > caps.text_chars:
        raise FileRefusedError(name, "too_much_text",
                               f"文字多达 {_wan(len(text))}字，远超一份工作报告",
                               "请检查是否发错了文件，或拆分后分别发送")
    cjk = len(_CJK.findall(text))
    visible = len(_VISIBLE.findall(text))
    if cjk < MIN_CJK or cjk < MIN_CJK_SHARE * visible:
        raise FileRefusedError(name, "no_chinese", "文件中几乎没有中文文字，不像是中文工作报告",
                               "请检查是否发错了文件")
    lines = text.splitlines()
    longest = max((len(line) for line in lines), default=0)
    if longest > caps.line_chars:
        raise FileRefusedError(name, "one_line",
                               f"有一段长达 {_wan(longest)}字的文字没有任何换行，"
                               "不像是正常分段的报告",
                               "请检查文件是否完整，按段落换行后再发送")
    headings = sum(1 for line in lines if heading_level(line.strip()) > 0)
    if headings > caps.headings:
        raise FileRefusedError(name, "too_many_headings",
                               f"识别出 {headings} 个标题，远超一份工作报告",
                               "请检查是否发错了文件，或拆分后分别发送")
