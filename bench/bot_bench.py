"""Benchmark the bot end to end through the fake Bot API (not a unit test).

Latency: one question at a time, from the fake queueing the update to sendMessage arriving;
once back to back with the rate limiter off, once with the production rate limiter on and
questions spaced at 10/s (back to back, the limiter itself spaces replies to Telegram's 30/s).
Throughput: many users asking at once, rate limiter off, questions answered per second.

    .venv/bin/python bench/bot_bench.py [--latency-n 300] [--throughput-n 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("PTB_TIMEDELTA", "1")

import jieba  # noqa: E402

from qa import QAEngine  # noqa: E402
from tests.fakebot import FakeTelegram, private_chat, user  # noqa: E402
from tests.fakebot.runner import make_settings, running_bot  # noqa: E402

QUESTIONS = ["今年发展了多少党员", "理论学习", "意识形态工作", "三会一课", "清廉机关建设",
             "党员教育管理", "主题教育", "火星探测", "志愿服务", "党建品牌", "存在问题",
             "下一步计划"]


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def measure_latency(engine: QAEngine, db: Path, n: int, limiter: bool, gap: float
                          ) -> list[float]:
    """Ask n questions one after another; return update→sendMessage latencies in ms."""
    fake = FakeTelegram()
    await fake.start()
    latencies = []
    async with running_bot(make_settings(fake, db, rate_limit=limiter), engine):
        for i in range(n):
            person = user(50_000 + i % 40)  # 40 users: the flood guard never triggers
            mark = fake.mark()
            fake.send_text(private_chat(person), person, QUESTIONS[i % len(QUESTIONS)])
            update_id = max(fake.pushed_at)
            (call,) = await fake.wait_for(mark, "sendMessage")
            latencies.append((call.at - fake.pushed_at[update_id]) * 1000)
            await asyncio.sleep(gap)
    await fake.stop()
    assert not fake.rejected, fake.rejected
    return latencies


async def measure_throughput(engine: QAEngine, db: Path, n: int) -> float:
    """Queue n questions from 100 users at once (limiter off); return questions per second."""
    fake = FakeTelegram()
    await fake.start()
    async with running_bot(make_settings(fake, db, rate_limit=False), engine):
        mark = fake.mark()
        started = time.perf_counter()
        for i in range(n):
            person = user(60_000 + i % 100)
            fake.send_text(private_chat(person), person, QUESTIONS[i % len(QUESTIONS)])
        await fake.wait_for(mark, "sendMessage", count=n, timeout=600)
        elapsed = time.perf_counter() - started
    await fake.stop()
    assert not fake.rejected, fake.rejected
    return n / elapsed


async def run(latency_n: int, throughput_n: int) -> None:
    """Load the seeds engine once, then run both measurements."""
    jieba.setLogLevel(logging.WARNING)
    started = time.perf_counter()
    engine = QAEngine.from_directory(ROOT / "seeds")
    print(f"engine: {len(engine.reports)} reports, {len(engine.passages)} passages, "
          f"loaded in {time.perf_counter() - started:.2f}s")
    with tempfile.TemporaryDirectory() as tmp:
        for limiter, gap, label in ((False, 0.0, "rate limiter off, back to back"),
                                    (True, 0.1, "rate limiter on, 10 questions/s")):
            latencies = await measure_latency(engine, Path(tmp) / f"lat{limiter}.sqlite3",
                                              latency_n, limiter, gap)
            print(f"latency  (n={latency_n}, {label}): "
                  f"p50 {statistics.median(latencies):.1f} ms  "
                  f"p95 {percentile(latencies, 95):.1f} ms  max {max(latencies):.1f} ms")
        rate = await measure_throughput(engine, Path(tmp) / "thr.sqlite3", throughput_n)
        print(f"throughput (n={throughput_n}, rate limiter off): {rate:.0f} questions/s")


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-n", type=int, default=300)
    parser.add_argument("--throughput-n", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(run(args.latency_n, args.throughput_n))


if __name__ == "__main__":
    main()
