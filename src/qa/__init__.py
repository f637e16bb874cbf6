"""党建报告问答 core: parse reports, rank passages with BM25, compose cited answers.

A pure library: it never imports telegram, never reads the environment and never
configures logging. Front ends (the ``qa`` CLI, the Telegram bot) render its ``Answer``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .commands import COMMANDS, COMMANDS_BY_NAME, Command
from .engine import MAX_QUESTION_CHARS, QAEngine
from .errors import (
    BadQuestionError,
    EmptyCorpusError,
    QAError,
    ReportReadError,
    UnknownReportError,
)
from .figtable import Comparison, ComparisonRow, FigureTable, ReportInfo
from .figures import Figure, extract_figures
from .ingest import Corpus, load_reports, parse_report
from .models import (
    KIND_NAMES,
    PATH_SEP,
    Answer,
    Hit,
    Intent,
    Kind,
    Passage,
    Quote,
    Report,
    Section,
    Suggestion,
)
from .segment import Segmenter


def __getattr__(name: str) -> ModuleType:
    # The conversation store pulls in asyncio and aiosqlite (≈0.1 s): only the bot needs it.
    if name == "conversations":
        return importlib.import_module(".conversations", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COMMANDS",
    "COMMANDS_BY_NAME",
    "KIND_NAMES",
    "MAX_QUESTION_CHARS",
    "PATH_SEP",
    "Answer",
    "BadQuestionError",
    "Command",
    "Comparison",
    "ComparisonRow",
    "Corpus",
    "EmptyCorpusError",
    "Figure",
    "FigureTable",
    "Hit",
    "Intent",
    "Kind",
    "Passage",
    "QAEngine",
    "QAError",
    "Quote",
    "Report",
    "ReportInfo",
    "ReportReadError",
    "Section",
    "Segmenter",
    "conversations",
    "Suggestion",
    "UnknownReportError",
    "extract_figures",
    "load_reports",
    "parse_report",
]
