"""Live re-index: a new engine from the current one plus or minus reports, without a restart.

Only the added reports are tokenised. The kept reports' tokens are read back from the current
engine's inverted index (BM25 needs each passage's term counts, not their order), so no file
is read and jieba never sees them again. The caller keeps answering with the old engine while
this runs (in a thread) and then swaps its reference in one assignment.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np

from qa.search import (
    IntArray,
    OffsetArray,
    PassageIndex,
    SegmentIndex,
    SegmentReport,
    TokenTable,
    add_reports,
    consecutive_spans,
    index_texts,
    segment_key,
)

from .engine import QAEngine, open_engine
from .errors import EmptyCorpusError
from .models import Report, index_text


def index_token_table(index: PassageIndex) -> TokenTable:
    """Rebuild each passage's tokens (as counts, grouped by term) from an inverted index."""
    vocab = list(index.vocabulary)  # insertion order is the term id order
    per_term = np.diff(index.indptr)
    term_of_posting = np.repeat(np.arange(len(vocab), dtype=np.int32), per_term)
    counts = index.tfs.astype(np.int64)
    ids = np.repeat(term_of_posting, counts)
    docs = np.repeat(index.doc_ids, counts)
    order = np.argsort(docs, kind="stable")
    offsets = np.zeros(index.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=index.size), out=offsets[1:])
    return TokenTable(vocab, ids[order].astype(np.int32), offsets)


def _tokenise(
    engine: QAEngine, report: Report, lookup: dict[str, int]
) -> tuple[IntArray, OffsetArray]:
    """Tokenise one new report's passages into ids of ``lookup`` (extended in place)."""
    tokens = [engine.segmenter.tokens(index_text(p)) for p in report.passages]
    ids = [lookup.setdefault(t, len(lookup)) for passage in tokens for t in passage]
    return np.array(ids, dtype=np.int32), np.array([len(t) for t in tokens], dtype=np.int64)


def engine_with(
    engine: QAEngine, add: Sequence[Report] = (), remove: Collection[str] = ()
) -> QAEngine:
    """Return a new engine: the current reports minus ``remove`` (and re-added ids), plus ``add``.

    The current engine is not changed and can keep answering until the caller swaps. The new
    one is warmed up first (``QAEngine.warm_up``): its first question would otherwise learn the
    library's unit names again (≈ 10 s at 10⁶ passages), and every question asked meanwhile
    would wait on the same work.
    """
    changed = _changed(engine, add, remove)
    changed.warm_up()
    return changed


def _changed(engine: QAEngine, add: Sequence[Report], remove: Collection[str]) -> QAEngine:
    """``engine_with`` before the warm-up."""
    gone = set(remove) | {r.report_id for r in add}
    kept = [r for r in engine.reports if r.report_id not in gone]
    if not kept and not add:
        raise EmptyCorpusError("没有可用的报告了（至少要保留一份）")
    if isinstance(engine.index, SegmentIndex):
        return _with_segment(engine, engine.index, kept, add)
    assert isinstance(engine.index, PassageIndex)
    table = index_token_table(engine.index)
    spans = consecutive_spans((r.report_id, r.size) for r in engine.reports)
    lookup = {t: i for i, t in enumerate(table.vocab)}
    id_parts: list[IntArray] = []
    length_parts: list[OffsetArray] = []
    for report in kept:
        first, last = spans[report.report_id]
        id_parts.append(table.ids[table.offsets[first] : table.offsets[last]])
        length_parts.append(np.diff(table.offsets[first : last + 1]))
    for report in add:
        ids, lengths = _tokenise(engine, report, lookup)
        id_parts.append(ids)
        length_parts.append(lengths)
    offsets = np.zeros(sum(len(p) for p in length_parts) + 1, dtype=np.int64)
    np.cumsum(np.concatenate(length_parts), out=offsets[1:])
    merged = TokenTable(list(lookup), np.concatenate(id_parts).astype(np.int32), offsets)
    return QAEngine([*kept, *add], engine.segmenter, engine.top_k, engine.skipped, merged)


def _with_segment(
    engine: QAEngine, index: SegmentIndex, kept: list[Report], add: Sequence[Report]
) -> QAEngine:
    """Add a segment for the new reports and mark the others dead: nothing kept is re-read."""
    version = engine.segmenter.version
    added = [SegmentReport(r.report_id, segment_key(r, version), r.size) for r in add]
    table = TokenTable.from_lists(engine.segmenter.tokens(t) for t in index_texts(add))
    order = [r.report_id for r in (*kept, *add)]
    new_index = add_reports(index, version, added, table if add else None, order)
    return QAEngine([*kept, *add], engine.segmenter, engine.top_k, engine.skipped,
                    index=new_index)


def reload_engine(engine: QAEngine, folder: Path) -> QAEngine:
    """Return a new engine over the folder as it is now (files dropped in by hand included),
    warmed up as ``engine_with``'s."""
    if isinstance(engine.index, SegmentIndex):
        reloaded = open_engine(folder, engine.top_k, engine.segmenter)
    else:
        reloaded = QAEngine.from_directory(folder, engine.top_k, engine.segmenter)
    reloaded.warm_up()
    return reloaded
