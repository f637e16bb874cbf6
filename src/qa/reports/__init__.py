"""Reports: plain text → ``Report`` (cleaning, numbering and section structure, the parse cache,
report bodies and passages read lazily).
"""

from __future__ import annotations

from .clean import clean_text, has_noise
from .filestat import FileDigests
from .ingest import (
    MANIFEST_NAME,
    Corpus,
    DocumentText,
    ParsedFile,
    Pending,
    ReportMeta,
    decode_bytes,
    load_reports,
    parse_pending,
    parse_report,
    read_report,
)
from .longtext import MAX_PASSAGE_CHARS, count_long, split_long
from .parsecache import StoredBody, stored_body
from .passagelist import PassageList
from .structure import CN_NUM, HEADING, ITEM_LEAD, cn_to_int, heading_level

__all__ = [
    "CN_NUM",
    "Corpus",
    "DocumentText",
    "FileDigests",
    "HEADING",
    "ITEM_LEAD",
    "MANIFEST_NAME",
    "MAX_PASSAGE_CHARS",
    "ParsedFile",
    "PassageList",
    "Pending",
    "ReportMeta",
    "StoredBody",
    "clean_text",
    "cn_to_int",
    "count_long",
    "decode_bytes",
    "has_noise",
    "heading_level",
    "load_reports",
    "parse_pending",
    "parse_report",
    "read_report",
    "split_long",
    "stored_body",
]
