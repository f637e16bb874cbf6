"""Noise removal for scraped reports; every rule is one named row in ``NOISE_RULES``."""

from __future__ import annotations

import re
from typing import NamedTuple

from qa.language import clean_code_points


class NoiseRule(NamedTuple):
    """A regular expression and what it stands for; matches are replaced by ``repl``.

    ``needle``: a literal every match contains; texts without it skip the regex (speed).
    """

    name: str
    pattern: re.Pattern[str]
    repl: str = ""
    needle: str = ""


# Order matters: whole-line rules first, then inline markers, then layout.
NOISE_RULES: tuple[NoiseRule, ...] = (
    NoiseRule("password_line", re.compile(r"(?m)^[ \t\u3000]*本文档编辑密码[:：].*$"), "", "密码"),
    NoiseRule("paid_marker", re.compile(r"##paid(?:begin|end)##"), "", "##paid"),
    NoiseRule(
        "site_watermark",
        re.compile(r"[“\"]?笔杆儿?网(?:\s*www\.bgzjy\.cn|[，,]\s*om|\.com|\.cn)?[”\"]?"),
        "",
        "笔杆",
    ),
    NoiseRule("bare_url", re.compile(r"(?:https?://)?www\.bgzjy\.cn"), "", "bgzjy"),
    # A lone "笔" left at the end of a paragraph is the tail of a cut watermark.
    NoiseRule(
        "dangling_bi", re.compile(r"(?m)(?<=[。；！？”])[ \t\u3000]*笔[ \t\u3000]*$"), "", "笔"
    ),
    # A web page's bold phrase becomes a line of its own (「今年经济社会发展的 / 主要预期目标 /
    # 是：地区生产总值……」): no sentence or heading ends with 的, and none starts with 是：.
    NoiseRule("broken_after_de",
              re.compile(r"(?<=[\u4e00-\u9fff]的)[ \t\u3000]*\n(?=[\u4e00-\u9fff])"), "", "的\n"),
    # [ \t\u3000]*\n(?=[是为][：:]), written to start with one character class: re then scans
    # to a blank or a line break in C instead of trying the pattern at every position of every
    # file (the needle, a line break, is in every file). Same matches (tests/reports/test_clean.py).
    NoiseRule("broken_before_copula",
              re.compile(r"[ \t\u3000\n](?:(?<=\n)|(?<=[ \t\u3000])[ \t\u3000]*\n)(?=[是为][：:])"),
              "", "\n"),
    NoiseRule("blank_runs", re.compile(r"\n{3,}"), "\n\n", "\n\n\n"),
)


def clean_text(text: str, rules: tuple[NoiseRule, ...] = NOISE_RULES) -> str:
    """Remove watermarks, paid-content markers and password lines; keep all content."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = clean_code_points(text)  # ⾏ → 行, NUL dropped: qa/language/lookalike.py
    for rule in rules:
        if rule.needle in text:
            text = rule.pattern.sub(rule.repl, text)
    return text.strip() + "\n" if text.strip() else ""


NOISE_MARKERS: tuple[str, ...] = ("笔杆", "bgzjy", "##paid", "编辑密码")


def has_noise(text: str) -> bool:
    """Tell whether text still carries a known watermark or marker."""
    return any(marker in text for marker in NOISE_MARKERS)
