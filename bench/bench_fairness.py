"""Benchmark issue 21's "one busy group starves everyone" through the fake Bot API.

The real ``qa-bot`` process (production settings: rate limiter on, flood guard on) against
the fake Telegram in its own process, which enforces the per-group flood limit (20 posts a
minute, 429 beyond). 80 questions go into one group from 8 members at once; meanwhile a
private user asks every 0.5 s. Prints the private latencies (update queued → answer arriving)
and what became of every group question; exits non-zero unless private p95 ≤ 1 s, max ≤ 3 s
and every group question was answered or told.

    .venv/bin/python bench/bench_fairness.py [--group-n 80] [--private-n 40] [--runs 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("PTB_TIMEDELTA", "1")

from tests.fakebot.runner import qa_bot_env, start_qa_bot  # noqa: E402
from tests.fakebot.serve import RemoteFake  # noqa: E402

P95_MS, MAX_MS = 1000.0, 3000.0


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def run_once(group_n: int, private_n: int) -> bool:
    """Run the scenario once against a fresh bot; print the numbers; return True if met."""
    with tempfile.TemporaryDirectory() as tmp:
        async with RemoteFake() as fake:
            env = qa_bot_env(fake.base_url, Path(tmp) / "qa.sqlite3", LOG_LEVEL="WARNING")
            process = await start_qa_bot(env, ROOT, pipe=False)
            try:
                # A first private question proves the bot is polling before the clock starts.
                await fake.run("latency", n=1, questions=["理论学习"], first_user=90_000,
                               timeout=60)
                report = await fake.run("fairness", group_n=group_n, private_n=private_n,
                                        gap=0.5, timeout=60, group_timeout=120)
            finally:
                process.send_signal(signal.SIGTERM)
                await process.wait()
    latencies = report["latencies_ms"]
    p95 = percentile(latencies, 95) if latencies else float("inf")
    worst = max(latencies, default=float("inf"))
    print(f"private questions {private_n}: answered {len(latencies)}, p50 "
          f"{percentile(latencies, 50):.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms")
    print(f"group questions {report['group_questions']}: {report['group_single']} answered "
          f"singly, {report['group_coalesced']} in coalesced messages, "
          f"{len(report['group_missing'])} neither; {report['group_posts']} group posts, "
          f"{report['flood_429']} flood 429s")
    return (p95 <= P95_MS and worst <= MAX_MS and not report["group_missing"]
            and report["private_unanswered"] == 0)


async def run(group_n: int, private_n: int, runs: int) -> int:
    """Run ``runs`` times; return the exit code."""
    results = [await run_once(group_n, private_n) for _ in range(runs)]
    ok = all(results)
    print(f"target private p95 ≤ {P95_MS:.0f} ms, max ≤ {MAX_MS:.0f} ms, every group question "
          f"answered or told: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


def main() -> None:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group-n", type=int, default=80)
    parser.add_argument("--private-n", type=int, default=40)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    sys.exit(asyncio.run(run(args.group_n, args.private_n, args.runs)))


if __name__ == "__main__":
    main()
