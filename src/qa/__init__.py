"""党建报告问答 core: parse reports, rank passages with BM25, compose cited answers.

A pure library: it never imports telegram, never reads the environment and never
configures logging. Front ends (the ``qa`` CLI, the Telegram bot) render its ``Answer``.

The façade is ``QAEngine`` and the value types of ``qa.models``; the wings below it, each
with its own face (``__init__`` and ``__all__``), import only downwards:

    cli        the `qa` command line (wording only)
    engine     orchestrates a question: understand → retrieve → compose
    library    the reports folder: manifest, add/replace/remove, previews, cold loads on
               every core (parse → tokenise → postings in worker processes)
    answer     retrieve (candidates, coverage), quotes, compose (answer policy), evaluate
    figures    numbers in reports: extract, table, compare, export, chart
    search     BM25, on-disk segments, top-k, token tables
    documents  uploaded file bytes → text (.txt/.docx/.pdf)
    reports    text → Report: cleaning, structure, parse cache, passages
    language   word lists, lexicon, tokenizer, normalise, weights, question shapes,
               scope (which reports a question names), understand
    models, errors, fsio, gcpause   shared value types, named errors, durable file writes,
                                    the collector paused while an engine opens
"""

from __future__ import annotations

from .engine import MAX_QUESTION_CHARS, QAEngine, cache_dir, figures_store, open_engine
from .errors import BadQuestionError, EmptyCorpusError, QAError, ReportReadError, UnknownReportError
from .figures import Comparison, ComparisonRow, Figure, FigureTable, ReportInfo, extract_figures
from .language import Tokenizer
from .models import (
    KIND_NAMES,
    LISTED_KINDS,
    PATH_SEP,
    SECTION_KINDS,
    Answer,
    Hit,
    Intent,
    Kind,
    Pairing,
    Passage,
    Quote,
    Report,
    Section,
    SectionKind,
    Suggestion,
    quoted_hits,
    shown_hits,
)
from .reports import Corpus, load_reports, parse_report

__all__ = [
    "KIND_NAMES",
    "LISTED_KINDS",
    "SECTION_KINDS",
    "MAX_QUESTION_CHARS",
    "PATH_SEP",
    "Answer",
    "BadQuestionError",
    "Comparison",
    "ComparisonRow",
    "Corpus",
    "EmptyCorpusError",
    "Figure",
    "FigureTable",
    "Hit",
    "Intent",
    "Kind",
    "Pairing",
    "Passage",
    "QAEngine",
    "QAError",
    "Quote",
    "Report",
    "ReportInfo",
    "ReportReadError",
    "Section",
    "SectionKind",
    "Suggestion",
    "Tokenizer",
    "UnknownReportError",
    "cache_dir",
    "extract_figures",
    "figures_store",
    "load_reports",
    "open_engine",
    "parse_report",
    "quoted_hits",
    "shown_hits",
]
