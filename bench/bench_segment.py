"""Cold build speed of the segmenter: jieba (the reference) against rjieba (what qa uses).

Tokenises a synthetic corpus (bench_index.generate) plus the seeds and every evaluation
question, single process, with the reference pipeline cut by jieba (tests/jieba_reference.py:
the segmenter as it was) and with qa.segment (rjieba), alternating in chunks of 1000 texts so
a shared machine slows both alike; checks the tokens are identical text by text and prints
the times. Also times each side's dictionary build with the domain lexicon, with no cache
(jieba's own cache goes to a fresh temporary folder and is never reused).

    .venv/bin/python bench/bench_segment.py [--passages 100000]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(ROOT / "bench")]

import jieba  # noqa: E402
from bench_index import generate  # noqa: E402

from qa.language.lexicon import LexiconBuilder
from qa.language.tokenizer import Tokenizer, _new_jieba
from qa.reports.ingest import load_reports
from qa.search.tokens import index_text
from tests.jieba_reference import reference_tokenizer, reference_tokens  # noqa: E402

QUESTIONS = [ROOT.parent / "shared" / "eval" / "dev.jsonl",
             ROOT.parent / "shared" / "eval" / "dev2.jsonl", ROOT / "bench" / "dev3.jsonl"]


def corpus(passages: int, folder: Path) -> list[str]:
    """Return the texts to tokenise: synthetic passages, the seeds, the questions."""
    generate(folder, passages)
    texts = [index_text(p) for r in load_reports(folder).reports for p in r.passages]
    texts += [index_text(p) for r in load_reports(ROOT / "seeds").reports for p in r.passages]
    for path in QUESTIONS:
        if path.is_file():
            texts += [json.loads(line)["q"] for line in path.read_text("utf-8").splitlines()
                      if line.strip()]
    return texts


def main() -> None:
    """Build both dictionaries, tokenise the corpus with each, compare, print the numbers."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=100_000)
    args = parser.parse_args()
    jieba.setLogLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        texts = corpus(args.passages, Path(tmp) / "reports")
        print(f"corpus: {len(texts)} texts, {sum(map(len, texts)) / 1e6:.1f} M characters "
              f"(generated and parsed in {time.perf_counter() - start:.1f} s)")
        seg = Tokenizer()
        start = time.perf_counter()
        seg.initialize()
        rjieba_build = time.perf_counter() - start
        tempfile.tempdir = tmp  # jieba's dictionary cache goes here: the build below is cold
        start = time.perf_counter()
        reference = reference_tokenizer(seg)
        jieba_build = time.perf_counter() - start
        tempfile.tempdir = None
        print(f"dictionary + lexicon build: jieba {jieba_build:.2f} s, rjieba {rjieba_build:.2f} s")
        builder = LexiconBuilder(seg.normalize, _new_jieba())
        builder.build(seg.lexicon)
        same_freq = all(reference.FREQ[w] == f for w, f in builder.added.items())
        print(f"lexicon words added: {len(builder.added)}, frequencies identical: {same_freq}")
        # Alternate the two in chunks, so a machine shared with other work slows both alike.
        expected: list[list[str]] = []
        got: list[list[str]] = []
        jieba_s = rjieba_s = 0.0
        for i in range(0, len(texts), 1000):
            chunk = texts[i : i + 1000]
            start = time.perf_counter()
            expected += [reference_tokens(seg, reference, t) for t in chunk]
            middle = time.perf_counter()
            got += [seg.tokens(t) for t in chunk]
            jieba_s += middle - start
            rjieba_s += time.perf_counter() - middle
    differ = [i for i, (a, b) in enumerate(zip(expected, got, strict=True)) if a != b]
    print(f"tokenise (single process): jieba {jieba_s:.1f} s, rjieba {rjieba_s:.1f} s, "
          f"speed-up {jieba_s / rjieba_s:.1f}x")
    print(f"tokens: {sum(map(len, got))}, texts with different tokens: {len(differ)}")
    for i in differ[:5]:
        print("  DIFF", texts[i][:80], expected[i][:12], got[i][:12])
    if differ or not same_freq:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
