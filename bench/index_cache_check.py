"""Does a large index's query time come from its caches' fixed size? (docs/benchmarks.md, "10⁷")

    .venv/bin/python bench/index_cache_check.py --workdir DIR [--size 10000000]

``DIR`` is a ``bench_index.py --workdir`` after a run of that size. Opens the index alone (as
the bench's ``index only`` worker) and times, in CPU ms, each bench query twice in a row (the
second run finds its saturations and prefixes cached), then a round of all of them (each
query's cache entries evicted by the others' when the caches are smaller than their lists).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_index  # noqa: E402


def cpu_ms(index: Any, query: list[str]) -> float:
    """Return the CPU milliseconds of one top-10 search."""
    start = time.process_time()
    index.search(query, 10)
    return (time.process_time() - start) * 1e3


def main() -> int:
    """Open the index of one bench size and print the three timings per query."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--size", type=int, default=10_000_000)
    args = parser.parse_args()
    sys.path.insert(0, str(bench_index.ROOT / "src"))
    from qa.search.ondisk import _assemble

    cache = args.workdir / f"n{args.size}.tokens"
    where, entries, segments = bench_index._open_store(cache)
    order = [r.report_id for e in entries for r in e.reports if r.report_id not in e.dead]
    index = _assemble(where, entries, segments, order)
    queries = json.loads((args.workdir / f"q{args.size}").read_text(encoding="utf-8"))
    pairs = [(cpu_ms(index, q), cpu_ms(index, q)) for q in queries]
    rounds = sorted(cpu_ms(index, q) for q in queries)
    print(f"{len(segments)} segments; CPU ms: first, second in a row, query")
    for (first, second), query in zip(pairs, queries, strict=True):
        print(f"{first:9.1f} {second:9.1f}  {' '.join(query)}")
    again = sorted(second for _, second in pairs)
    mid = len(queries) // 2
    print(f"second in a row: median {again[mid]:.1f}, max {again[-1]:.1f}")
    print(f"a round of all after: median {rounds[mid]:.1f}, max {rounds[-1]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
