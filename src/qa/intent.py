"""Read what kind of answer a question wants: a figure, a section kind, or a plain search."""

from __future__ import annotations

import re

from .models import Intent, Kind

# Checked in order; the first match wins ("主题教育查摆了多少问题" is a figure question).
INTENT_RULES: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    ("causes", re.compile(r"原因|为什么|为何|根源")),
    (
        "figure",
        re.compile(r"多少|几[个次名项人条家场期批篇天年]|比例|占比|百分之|[率数]是|人数|次数|数量"),
    ),
    (
        "problems",
        re.compile(
            r"(?:存在|有|还有)(?:哪些|什么|的|些)?(?:问题|不足|短板|差距|薄弱)"
            r"|(?:问题|不足|短板|差距)(?:有哪些|是什么|有什么|在哪|清单)"
            r"|^(?:存在的?)?(?:问题|不足|短板|差距|薄弱环节)[？?]?$"
        ),
    ),
    ("plans", re.compile(r"计划|打算|下步|下一步|明年|来年|今后|规划|展望|工作思路|主要任务")),
    ("highlights", re.compile(r"亮点|特色工作|经验做法|创新做法")),
)

# Words that only name the intent; what is left of a question is its topic.
INTENT_WORDS: frozenset[str] = frozenset(
    "问题 不足 短板 差距 薄弱 欠缺 原因 根源 产生 导致 为什么 计划 打算 下步 下一步 安排 明年 来年 "
    "今后 规划 展望 思路 措施 任务 主要 工作计划 工作 亮点 特色 做法 经验 存在 哪些 有 环节 方面 "
    "清单 具体 报告 年度 今年".split()
)

SECTION_INTENTS: dict[Intent, Kind] = {
    "problems": "problems",
    "plans": "plans",
    "highlights": "highlights",
    "causes": "causes",
}


def detect_intent(question: str) -> Intent:
    """Return the intent a (normalised) question expresses; "general" when none."""
    for intent, pattern in INTENT_RULES:
        if pattern.search(question):
            return intent
    return "general"


_INTENT_RUN = re.compile("|".join(sorted(INTENT_WORDS, key=len, reverse=True)))
_UNIT = re.compile(r"(?:多少|几)(人次|个|次|名|人|条|项|件|家|场|期|批|篇|支)")


def topic_terms(tokens: list[str]) -> list[str]:
    """Drop the words that only name a section kind (下步打算 too), keeping the topic."""
    return [t for t in tokens if _INTENT_RUN.sub("", t)]


def asked_unit(question: str) -> str:
    """Return the measure word a figure question asks for ("多少人次" → "人次"), or ""."""
    match = _UNIT.search(question)
    return match.group(1) if match else ""
