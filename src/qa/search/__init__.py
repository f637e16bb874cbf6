"""Search: BM25 (rank-bm25's formula) over passages, on-disk index segments, exact top-k, and
the token tables the index is built from.
"""

from __future__ import annotations

from .bm25 import IntArray, OffsetArray, PassageIndex, SearchIndex, TokenTable
from .coldbuild import MadeParts, Part, post_chunk
from .ondisk import add_reports
from .segindex import SegmentIndex
from .segments import SegmentReport, consecutive_spans
from .tokens import index_items, index_texts, segment_index, segment_key

__all__ = [
    "IntArray",
    "MadeParts",
    "OffsetArray",
    "Part",
    "PassageIndex",
    "SearchIndex",
    "SegmentIndex",
    "SegmentReport",
    "TokenTable",
    "add_reports",
    "consecutive_spans",
    "index_items",
    "index_texts",
    "post_chunk",
    "segment_index",
    "segment_key",
]
