"""A cold load on every core: worker processes read, parse and pack report files and tokenise
their passages (parse → pack → tokenise → postings, a chunk of files at a time); the parent
only writes the packed bodies into the parsed cache and stitches the postings into segments.

Before, the parent parsed every file itself and only tokenising ran in workers, so a cold
build at 10⁶ passages spent its first minutes on one core, then decoded every body it had
just written to hand the texts to the tokenisers. Now nothing the parent receives is a
passage: bodies come as the cache's bytes (``qa.reports.StoredBody``), tokens as postings
(``qa.search.MadeParts``). The segments are bit for bit those of a one-process build
(``tests/library/test_coldload.py``): stitching parts gives the same postings whatever the
chunking, and a part is used only for exactly the reports it was made from.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from qa.errors import ReportReadError
from qa.language import Tokenizer
from qa.reports import (
    Corpus,
    DocumentText,
    ParsedFile,
    Pending,
    load_reports,
    parse_pending,
    stored_body,
)
from qa.search import MadeParts, Part, SearchIndex, index_items, post_chunk, segment_index

# A worker's share at a time, in file bytes: ≈ 1,700 passages of a plain-text report, enough
# that a chunk's vocabulary is small beside its postings.
CHUNK_BYTES = 512 * 1024
# Below this many bytes to parse, the files are parsed here: forking costs more than it saves.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024

Chunk = tuple[list[ParsedFile | ReportReadError], tuple[tuple[str, str], ...], Part]


def load_indexed(folder: Path, parsed_cache: Path, convert: DocumentText | None,
                 segmenter: Tokenizer, index_dir: Path, workers: int | None = None,
                 min_bytes: int = PARALLEL_MIN_BYTES,
                 chunk_bytes: int = CHUNK_BYTES) -> tuple[Corpus, SearchIndex]:
    """Load a folder's reports through the parsed cache and open their segment index.

    Many files to parse go to worker processes, which tokenise them too: the index then
    stitches those postings and tokenises only reports they do not cover.
    """
    made = MadeParts()

    def parse_many(pending: Sequence[Pending]) -> Iterator[ParsedFile | ReportReadError] | None:
        count = workers or os.cpu_count() or 1
        if count <= 1 or os.name != "posix" or sum(p.stat.st_size for p in pending) < min_bytes:
            return None  # parsed in this process, as ever
        return _parse_many(pending, segmenter, convert, made, count, chunk_bytes)

    corpus = load_reports(folder, parsed_cache, convert, parse_many)
    return corpus, segment_index(corpus.reports, segmenter, index_dir, made)


def _parse_many(pending: Sequence[Pending], segmenter: Tokenizer,
                convert: DocumentText | None, made: MadeParts, workers: int,
                chunk_bytes: int) -> Iterator[ParsedFile | ReportReadError]:
    """Yield each pending file parsed (or why not), in order; keep workers' postings in made."""
    # jieba loads once before forking: every worker inherits it copy-on-write, unpickled.
    segmenter.initialize()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, _init_worker, (segmenter, convert)) as pool:
        for results, reports, part in pool.imap(_parse_chunk, _chunks(pending, chunk_bytes)):
            made.add(reports, part)
            yield from results


def _chunks(pending: Sequence[Pending], size: int) -> Iterator[list[Pending]]:
    """Yield the pending files in order, in runs of about ``size`` bytes (at least one file)."""
    chunk: list[Pending] = []
    held = 0
    for item in pending:
        chunk.append(item)
        held += item.stat.st_size
        if held >= size:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


_WORKER: tuple[Tokenizer, DocumentText | None] | None = None


def _init_worker(segmenter: Tokenizer, convert: DocumentText | None) -> None:
    global _WORKER
    _WORKER = (segmenter, convert)


def _parse_chunk(chunk: list[Pending]) -> Chunk:
    """Parse a chunk of files (in a worker); return each result, and the postings of the
    passages of those that parsed, with their (id, key) in order."""
    assert _WORKER is not None
    segmenter, convert = _WORKER
    results: list[ParsedFile | ReportReadError] = []
    parsed = []
    for item in chunk:
        try:
            report, digest = parse_pending(item, convert)
        except ReportReadError as exc:
            results.append(exc)
            continue
        results.append(ParsedFile(stored_body(report.key, report), digest))
        parsed.append(report)
    part = post_chunk(list(index_items(parsed)), segmenter)
    return results, tuple((r.report_id, r.key) for r in parsed), part
