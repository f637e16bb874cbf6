"""Search: BM25 (rank-bm25's formula) over passages, on-disk index segments, exact top-k, and
the token tables the index is built from.
"""

from __future__ import annotations

from .bm25 import IntArray, OffsetArray, PassageIndex, SearchIndex, TokenTable
from .ondisk import add_reports, default_index_dir
from .segindex import SegmentIndex
from .segments import SegmentReport
from .tokencache import default_cache_dir, default_cache_path, parsed_cache_path
from .tokens import IndexTexts, cached_tokens, segment_index, segment_key

__all__ = [
    "IndexTexts",
    "IntArray",
    "OffsetArray",
    "PassageIndex",
    "SearchIndex",
    "SegmentIndex",
    "SegmentReport",
    "TokenTable",
    "add_reports",
    "cached_tokens",
    "default_cache_dir",
    "default_cache_path",
    "default_index_dir",
    "parsed_cache_path",
    "segment_index",
    "segment_key",
]
