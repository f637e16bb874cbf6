"""Token cache: a restart with unchanged reports reuses their tokens instead of running jieba.

Each report's entry is keyed by a digest of the exact texts that get indexed plus
``Tokenizer.version``, so an edited report, a parser change or a lexicon change re-tokenises
only what it affects. The file is one compact binary blob (interned vocabulary + int32 ids)
written atomically; a missing, truncated or corrupt file is ignored and rebuilt, never fatal.

Layout: ``MAGIC | crc32 (u32) | header length (u64) | header JSON | lengths i32[] | ids i32[]``
where the header holds the segmenter version, the vocabulary and per-report
``[report_id, digest, passages, tokens]`` rows in file order.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import multiprocessing
import os
import struct
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

from qa.fsio import write_cache as write_file_cache
from qa.language import Tokenizer

from .bm25 import IntArray, TokenTable

logger = logging.getLogger(__name__)

MAGIC = b"QATOKv1\n"
_PREFIX = struct.Struct("<IQ")  # crc32 of everything after the prefix, header length
CACHE_DIR_NAME = ".qa-cache"
DEFAULT_CACHE_NAME = "tokens.bin"
# Forking workers costs ~0.1 s each and pickles tokens back; only worth it for big cold builds.
PARALLEL_MIN_TEXTS = 20_000
_CHUNK = 2_000

ReportTexts = tuple[str, Sequence[str]]  # (report_id, the indexed text of each passage)


@dataclass(frozen=True, slots=True)
class CachedReport:
    """One report's tokens in the cache: ids into the cache vocabulary, per-passage lengths."""

    digest: str
    lengths: IntArray
    ids: IntArray


@dataclass(frozen=True, slots=True)
class CacheContents:
    """A decoded cache file."""

    version: str
    vocab: list[str]
    reports: dict[str, CachedReport]


def default_cache_dir(folder: Path) -> Path:
    """Return the one cache folder kept beside the reports (tokens, parsed reports, jieba)."""
    return folder / CACHE_DIR_NAME


def default_cache_path(folder: Path) -> Path:
    """Return where the token cache lives when kept beside the reports."""
    return default_cache_dir(folder) / DEFAULT_CACHE_NAME


def parsed_cache_path(token_cache: Path) -> Path:
    """Return where the parsed-report cache lives: beside the token cache, ``.reports``."""
    return token_cache.with_suffix(".reports")


def report_digest(texts: Sequence[str], version: str) -> str:
    """Return the cache key of one report: a hash of its indexed texts and the lexicon version."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(version.encode())
    for text in texts:
        # Length-prefix each text so passage boundaries are part of the key.
        encoded = text.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return digest.hexdigest()


def read_cache(path: Path) -> CacheContents | None:
    """Decode a cache file; return None when it is missing or damaged in any way."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return _decode(data)
    except (ValueError, KeyError, TypeError, IndexError, struct.error) as exc:
        logger.warning("ignoring damaged token cache %s: %s", path, exc)
        return None


def _decode(data: bytes) -> CacheContents:
    if not data.startswith(MAGIC):
        raise ValueError("bad magic")
    start = len(MAGIC) + _PREFIX.size
    crc, header_len = _PREFIX.unpack_from(data, len(MAGIC))
    if zlib.crc32(memoryview(data)[start:]) != crc:
        raise ValueError("checksum mismatch")
    header = json.loads(data[start : start + header_len].decode("utf-8"))
    vocab = [sys.intern(str(t)) for t in header["vocab"]]
    rows = [(str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in header["reports"]]
    n_passages, n_tokens = sum(r[2] for r in rows), sum(r[3] for r in rows)
    body = start + header_len
    lengths = np.frombuffer(data, np.int32, n_passages, body)
    ids = np.frombuffer(data, np.int32, n_tokens, body + 4 * n_passages)
    if body + 4 * (n_passages + n_tokens) != len(data) or int(lengths.sum()) != n_tokens:
        raise ValueError("size mismatch")
    if n_tokens and (int(ids.min()) < 0 or int(ids.max()) >= len(vocab)) or (lengths < 0).any():
        raise ValueError("id out of range")
    reports: dict[str, CachedReport] = {}
    p = t = 0
    for report_id, digest, passages, tokens in rows:
        reports[report_id] = CachedReport(digest, lengths[p : p + passages], ids[t : t + tokens])
        p, t = p + passages, t + tokens
    return CacheContents(str(header["version"]), vocab, reports)


def write_token_cache(
    path: Path, version: str, rows: Sequence[tuple[str, str, int]], table: TokenTable
) -> None:
    """Write the cache atomically; ``rows`` are (report_id, digest, passages) covering ``table``."""
    # Keep only the vocabulary still in use, renumbered densely (old reports' words drop out).
    used, ids = np.unique(table.ids, return_inverse=True)
    report_rows: list[list[object]] = []
    p = 0
    for report_id, digest, n in rows:
        report_rows.append([report_id, digest, n, int(table.offsets[p + n] - table.offsets[p])])
        p += n
    header = json.dumps(
        {
            "version": version,
            "vocab": [table.vocab[i] for i in used.tolist()],
            "reports": report_rows,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    lengths = table.lengths().astype(np.int32)
    payload = header + lengths.tobytes() + ids.astype(np.int32).tobytes()
    prefix = MAGIC + _PREFIX.pack(zlib.crc32(payload), len(header))
    write_file_cache(path, prefix + payload)


def cached_token_table(
    reports: Sequence[ReportTexts],
    segmenter: Tokenizer,
    path: Path,
    workers: int | None = None,
) -> TokenTable:
    """Return the passages' tokens, reusing cached reports and tokenising only the rest.

    The cache file is rewritten when anything changed. ``workers`` > 1 tokenises a large
    cold build in forked processes (default: the CPU count, above PARALLEL_MIN_TEXTS texts).
    """
    version = segmenter.version
    cache = read_cache(path)
    if cache is not None and cache.version != version:
        cache = None
    digests = [report_digest(texts, version) for _, texts in reports]
    hits = [
        _lookup(cache, report_id, digest, len(texts))
        for (report_id, texts), digest in zip(reports, digests, strict=True)
    ]
    missing = _Chain([texts for (_, texts), hit in zip(reports, hits, strict=True) if hit is None])
    fresh = iter(tokenize_texts(missing, segmenter, workers))
    table = _assemble(reports, hits, fresh, cache.vocab if cache else [])
    if cache is None or missing or set(cache.reports) != {r for r, _ in reports}:
        rows = [(r, d, len(texts)) for (r, texts), d in zip(reports, digests, strict=True)]
        write_token_cache(path, version, rows, table)
    return table


def _lookup(
    cache: CacheContents | None, report_id: str, digest: str, passages: int
) -> CachedReport | None:
    entry = cache.reports.get(report_id) if cache else None
    if entry is None or entry.digest != digest or len(entry.lengths) != passages:
        return None
    return entry


def _assemble(
    reports: Sequence[ReportTexts],
    hits: Sequence[CachedReport | None],
    fresh: Iterator[list[str]],
    base_vocab: list[str],
) -> TokenTable:
    """Concatenate cached ids and newly tokenised passages into one table over one vocabulary."""
    vocab = list(base_vocab)
    lookup: dict[str, int] | None = None
    id_parts: list[IntArray] = []
    length_parts: list[IntArray] = []
    for (_, texts), hit in zip(reports, hits, strict=True):
        if hit is not None:
            id_parts.append(hit.ids)
            length_parts.append(hit.lengths)
            continue
        if lookup is None:
            lookup = {t: i for i, t in enumerate(vocab)}
        flat: list[int] = []
        lens: list[int] = []
        for _ in texts:
            tokens = next(fresh)
            flat.extend([lookup.setdefault(t, len(lookup)) for t in tokens])
            lens.append(len(tokens))
        id_parts.append(np.array(flat, dtype=np.int32))
        length_parts.append(np.array(lens, dtype=np.int32))
    if lookup is not None:
        vocab = list(lookup)
    ids = np.concatenate(id_parts) if id_parts else np.empty(0, np.int32)
    lengths = np.concatenate(length_parts) if length_parts else np.empty(0, np.int32)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return TokenTable(vocab, ids.astype(np.int32, copy=False), offsets)


class _Chain(Sequence[str]):
    """Several text sequences read as one, without copying them into one list (peak RSS).

    The engine passes lazy per-report views; a cold build of 10⁶ passages would otherwise hold
    every indexed text at once while tokenising.
    """

    def __init__(self, parts: list[Sequence[str]]) -> None:
        self.parts = parts
        self.starts: list[int] = np.cumsum([0, *map(len, parts)]).tolist()

    def __len__(self) -> int:
        return self.starts[-1]

    def __iter__(self) -> Iterator[str]:
        for part in self.parts:
            yield from part

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, int):
            if i < 0:
                i += len(self)
            if not 0 <= i < len(self):
                raise IndexError(i)
            return self[i : i + 1][0]
        start, stop, step = i.indices(len(self))
        if step != 1:
            raise ValueError("only contiguous slices")
        out: list[str] = []
        part = bisect.bisect_right(self.starts, start) - 1
        while start < stop and part < len(self.parts):
            base = self.starts[part]
            take = self.parts[part][start - base : min(stop, self.starts[part + 1]) - base]
            out.extend(take)
            start = self.starts[part + 1]
            part += 1
        return out


_WORKER: Tokenizer | None = None


def _init_worker(segmenter: Tokenizer) -> None:
    global _WORKER
    _WORKER = segmenter


def _tokenize_chunk(texts: list[str]) -> list[list[str]]:
    assert _WORKER is not None
    return [_WORKER.tokens(t) for t in texts]


def tokenize_texts(
    texts: Sequence[str], segmenter: Tokenizer, workers: int | None = None
) -> Iterator[list[str]]:
    """Yield the texts' tokens in order, from forked worker processes when there are many.

    A generator: the caller interns each chunk as it arrives, so a cold build never holds
    every passage's token list at once (peak memory).
    """
    if workers is None:
        workers = os.cpu_count() or 1
    if workers <= 1 or len(texts) < PARALLEL_MIN_TEXTS or os.name != "posix":
        yield from (segmenter.tokens(t) for t in texts)
        return
    # Load jieba once before forking so every worker inherits the dictionary copy-on-write;
    # with "fork" the segmenter reaches the workers without pickling.
    segmenter.initialize()
    chunks = (list(texts[i : i + _CHUNK]) for i in range(0, len(texts), _CHUNK))
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, _init_worker, (segmenter,)) as pool:
        for chunk in pool.imap(_tokenize_chunk, chunks):
            yield from chunk
