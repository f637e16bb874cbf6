"""Benchmark the bot end to end through the fake Bot API (not a unit test).

The fake Telegram server runs in its own process (tests/fakebot/serve.py): it is Telegram's
side, so its HTML validation, JSON and HTTP must not be charged to the bot. It keeps every
400-check on; a run counts only questions answered (a 200 sendMessage replying to the
question, not a flood notice or apology) and fails if any request was rejected.

Latency: one question at a time, from the fake queueing the update to the answer arriving;
once back to back with the rate limiter off, once with the production rate limiter on and
questions spaced at 10/s (back to back, the limiter itself spaces replies to Telegram's 30/s).
Throughput: the real ``qa-bot`` process (one process, PTB's HTTPXRequest, the update inbox on),
many users asking at once, rate limiter off, questions answered per second.

    .venv/bin/python bench/bot_bench.py [--latency-n 300] [--throughput-n 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("PTB_TIMEDELTA", "1")

import jieba  # noqa: E402

from qa import QAEngine  # noqa: E402
from qa_bot.ask.handlers import APOLOGY
from tests.fakebot import FakeTelegram  # noqa: E402
from tests.fakebot.runner import make_settings, qa_bot_env, running_bot, start_qa_bot  # noqa: E402
from tests.fakebot.serve import RemoteFake  # noqa: E402

QUESTIONS = ["今年发展了多少党员", "理论学习", "意识形态工作", "三会一课", "清廉机关建设",
             "党员教育管理", "主题教育", "火星探测", "志愿服务", "党建品牌", "存在问题",
             "下一步计划"]
# Replies that are not answers: the flood guard's notice and the error handler's apology.
NOT_ANSWERS = ["⏳", APOLOGY]


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def check(report: dict[str, Any], n: int) -> None:
    """Fail unless all n questions were answered and the fake rejected nothing."""
    problems = {k: report[k] for k in ("unanswered", "other_calls", "rejected") if report[k]}
    if report["answered"] != n or problems:
        raise SystemExit(f"bench failed: answered {report['answered']}/{n}, {problems}")


async def measure_latency(engine: QAEngine, db: Path, n: int, limiter: bool, gap: float
                          ) -> list[float]:
    """Ask n questions one after another; return update→answer latencies in ms."""
    async with RemoteFake() as fake, running_bot(
            make_settings(fake, db, rate_limit=limiter), engine):
        # 40 users: at most 20 questions a minute each, so the flood guard never triggers.
        report = await fake.run("latency", n=n, gap=gap, first_user=50_000, users=40,
                                questions=QUESTIONS, not_answers=NOT_ANSWERS)
    check(report, n)
    latencies: list[float] = report["latencies_ms"]
    return latencies


async def measure_throughput(db: Path, n: int) -> float:
    """Run the real ``qa-bot`` (limiter off); return answers per second.

    A warm-up round first proves the bot is polling (and warms its caches); then n
    questions from many users are queued at once.
    """
    async with RemoteFake() as fake:
        env = qa_bot_env(fake.base_url, db, QA_RATE_LIMIT="off", LOG_LEVEL="WARNING")
        process = await start_qa_bot(env, ROOT, pipe=False)
        try:
            warm = await fake.run("throughput", n=200, first_user=70_000, users=200,
                                  questions=QUESTIONS, not_answers=NOT_ANSWERS, timeout=60)
            if warm["answered"] != 200 or warm["rejected"]:  # start-up calls are expected here
                raise SystemExit(f"bench failed: bot not answering ({warm})")
            # At least 100 users and at most 10 questions each: the flood guard never triggers.
            report = await fake.run("throughput", n=n, first_user=80_000,
                                    users=max(100, n // 10), questions=QUESTIONS,
                                    not_answers=NOT_ANSWERS)
        finally:
            process.send_signal(signal.SIGTERM)
            await process.wait()
    check(report, n)
    return float(report["answered"] / report["seconds"])


async def measure_startup(db: Path) -> float:
    """Start ``qa-bot`` as a fresh process; return seconds until it is ready to poll.

    Ready = its deleteWebhook call, which run_polling makes right before the first getUpdates
    (the fake records a long-polling getUpdates only when it returns).
    """
    fake = FakeTelegram()
    await fake.start()
    env = qa_bot_env(fake.base_url, db, LOG_LEVEL="WARNING")
    mark = fake.mark()
    started = time.monotonic()
    process = await start_qa_bot(env, ROOT, pipe=False)
    try:
        await fake.wait_for(mark, "deleteWebhook", timeout=30)
        ready = time.monotonic() - started
    finally:
        process.terminate()
        await process.wait()
        await fake.stop()
    return ready


async def run(latency_n: int, throughput_n: int, runs: int) -> None:
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
        rates = [await measure_throughput(Path(tmp) / f"thr{i}.sqlite3", throughput_n)
                 for i in range(runs)]
        print(f"throughput (qa-bot, one process, n={throughput_n}, rate limiter off, "
              f"{os.cpu_count()} cores): " + ", ".join(f"{r:.0f}" for r in rates)
              + " questions/s (Telegram lets a bot send about 30 messages/s)")
        starts = [await measure_startup(Path(tmp) / f"start{i}.sqlite3") for i in range(3)]
        print("start-up (qa-bot process → ready to poll): "
              + ", ".join(f"{s:.2f} s" for s in starts))


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-n", type=int, default=300)
    parser.add_argument("--throughput-n", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="throughput runs per setting")
    args = parser.parse_args()
    asyncio.run(run(args.latency_n, args.throughput_n, args.runs))


if __name__ == "__main__":
    main()
