"""Reports: plain text → ``Report`` (cleaning, numbering and section structure, the parse cache,
report bodies and passages read lazily).
"""

from __future__ import annotations

from .clean import clean_text, has_noise
from .ingest import (
    MANIFEST_NAME,
    Corpus,
    ReportMeta,
    decode_bytes,
    load_reports,
    parse_report,
    read_report,
)
from .passagelist import PassageList
from .structure import CN_NUM, HEADING, ITEM_LEAD, cn_to_int, heading_level

__all__ = [
    "CN_NUM",
    "Corpus",
    "HEADING",
    "ITEM_LEAD",
    "MANIFEST_NAME",
    "PassageList",
    "ReportMeta",
    "clean_text",
    "cn_to_int",
    "decode_bytes",
    "has_noise",
    "heading_level",
    "load_reports",
    "parse_report",
    "read_report",
]
