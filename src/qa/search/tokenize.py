"""Tokenising many passages: in forked worker processes when there are many (a cold build)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence

from qa.language import Tokenizer

PARALLEL_MIN_TEXTS = 20_000
_CHUNK = 2_000

_WORKER: Tokenizer | None = None


def _init_worker(segmenter: Tokenizer) -> None:
    global _WORKER
    _WORKER = segmenter


def _tokenize_chunk(texts: list[str]) -> list[list[str]]:
    assert _WORKER is not None
    return [_WORKER.tokens(t) for t in texts]


def tokenize_texts(
    texts: Sequence[str], segmenter: Tokenizer, workers: int | None = None,
    min_parallel: int = PARALLEL_MIN_TEXTS,
) -> Iterator[list[str]]:
    """Yield the texts' tokens in order, from forked worker processes when there are many.

    A generator: the caller interns each chunk as it arrives, so a cold build never holds
    every passage's token list at once (peak memory).
    """
    if workers is None:
        workers = os.cpu_count() or 1
    if workers <= 1 or len(texts) < min_parallel or os.name != "posix":
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
