"""Time the homophone sound table (every library word's pinyin) as a start and an upload build it.

    .venv/bin/python bench/bench_sounds.py [--corpus /work/shared/corpus/corpus] [--words 200000]

Two vocabularies: the real corpus's index vocabulary, and ``--words`` words of jieba's own
dictionary (2–6 Chinese characters), about what a 10⁶-passage library of real reports holds
(the bench's generated corpus has only ≈ 3,300 words, so its rows do not show this). For each,
in a fresh start-up cache folder: the first build (every word asked of pypinyin), a restart
(the same words), and an upload (1 % new words), each in wall seconds with the words asked.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qa import QAEngine  # noqa: E402
from qa.language import Homophones, homophones, startcache  # noqa: E402


def jieba_words(count: int) -> list[str]:
    """Return ``count`` words of jieba's dictionary that the table would hold."""
    import jieba

    lines = (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines()
    words = [line.split()[0] for line in lines]
    return [w for w in words if 2 <= len(w) <= 6 and homophones._is_han(w)][:count]


def timed(words: list[str]) -> tuple[float, int]:
    """Build a table over ``words``; return the wall seconds and the words asked of pypinyin."""
    asked = 0
    real = homophones.sound

    def counted(word: str) -> tuple[str, ...]:
        nonlocal asked
        asked += 1
        return real(word)

    homophones.sound = counted  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        Homophones(lambda: words, lambda w: 1, set().__contains__).load()
        return time.perf_counter() - start, asked
    finally:
        homophones.sound = real  # type: ignore[assignment]


def run(name: str, words: list[str], spare: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        startcache.use_cache_dir(Path(folder))
        homophones.sound("党员")  # pypinyin imported before timing, as the warm-up has it
        upload = words + spare[: max(1, len(words) // 100)]
        for step, these in (("first build", words), ("restart", words), ("upload", upload)):
            seconds, asked = timed(these)
            print(f"{name:>28}  {step:<12} {len(these):>7,} words  {seconds:6.2f} s  "
                  f"{asked:>7,} asked")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus/corpus"))
    parser.add_argument("--words", type=int, default=200_000)
    args = parser.parse_args()
    many = jieba_words(args.words + args.words // 50)
    engine = QAEngine.from_directory(args.corpus)
    corpus = [w for w in engine.index.vocabulary if 2 <= len(w) <= 6 and homophones._is_han(w)]
    known = set(corpus)
    run(f"corpus ({engine.index.size:,} passages)", corpus, [w for w in many if w not in known])
    run("jieba dictionary words", many[: args.words], many[args.words :])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
