"""Start-up time of the two front ends on the seeds, with nothing cached and with warm caches.

* ``qa ask 今年发展了多少党员``: the whole process, wall clock, on a copy of the seeds.
* ``qa-bot``: from starting the process until its first getUpdates reaches a local fake Bot API
  (tests/fakebot), i.e. the bot is loaded, checked its token and started polling.

Nothing cached: every run gets a fresh copy of the seeds (no ``.qa-cache``, no index beside
them) and a fresh, empty TMPDIR (no jieba cache anywhere). Warm: one copy, caches written by
an unmeasured first run. Python's own bytecode (``__pycache__``) is not a qa cache: one
unmeasured run writes it first, and PYTHONDONTWRITEBYTECODE is dropped from the environment.

    .venv/bin/python bench/bench_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.fakebot import FakeTelegram  # noqa: E402
from tests.fakebot.runner import qa_bot_env  # noqa: E402

BIN = Path(sys.executable).parent
QUESTION = "今年发展了多少党员"


class ReadyFake(FakeTelegram):
    """The fake Bot API, noting when the first getUpdates (the bot is polling) arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.first_poll: float | None = None
        self.polling = asyncio.Event()

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.first_poll is None:
            self.first_poll = time.perf_counter()
            self.polling.set()
        return await super()._get_updates(params)


def seeds_copy(where: Path) -> Path:
    """Copy the seed reports (no caches) into a new folder and return it."""
    folder = Path(tempfile.mkdtemp(prefix="reports-", dir=where))
    for path in (ROOT / "seeds").iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, folder / path.name)
    return folder


def environment(tmpdir: Path) -> dict[str, str]:
    """Return the process environment: bytecode writable, temp folder of our own."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TMPDIR"] = str(tmpdir)
    return env


def fresh_tmp(where: Path) -> Path:
    """Return a new empty temporary folder (TMPDIR of one run)."""
    return Path(tempfile.mkdtemp(prefix="tmp-", dir=where))


def time_ask(reports: Path, tmpdir: Path) -> tuple[float, float]:
    """Run ``qa ask`` once; return its wall time and CPU time (user + system).

    Fails on a wrong or missing answer.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(BIN / "qa"), "ask", QUESTION, "--reports", str(reports)],
                          env=environment(tmpdir), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or "发展党员" not in done.stdout:
        raise SystemExit(f"qa ask failed ({done.returncode}): {done.stdout}{done.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


async def time_bot(fake: ReadyFake, reports: Path, tmpdir: Path) -> tuple[float, float]:
    """Start ``qa-bot``, stop it once polling; return the wall and CPU seconds until its first
    getUpdates (CPU: the process's user + system time read at that moment)."""
    fake.first_poll = None
    fake.polling.clear()
    env = qa_bot_env(fake.base_url, tmpdir / "qa.sqlite3", QA_REPORTS_DIR=str(reports),
                     LOG_LEVEL="WARNING")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["TMPDIR"] = str(tmpdir)
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(str(BIN / "qa-bot"), cwd=tmpdir, env=env,
                                                stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.PIPE)
    try:
        await asyncio.wait_for(fake.polling.wait(), 60)
    except TimeoutError:
        proc.kill()
        _, err = await proc.communicate()
        raise SystemExit(f"qa-bot never polled: {err.decode()[-2000:]}") from None
    assert fake.first_poll is not None
    ready = fake.first_poll - start
    times = psutil.Process(proc.pid).cpu_times()
    proc.send_signal(signal.SIGTERM)
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"qa-bot exited {proc.returncode}: {err.decode()[-2000:]}")
    return ready, times.user + times.system


def summary(name: str, runs: list[tuple[float, float]]) -> str:
    """Return one line: median, min and max wall time of the runs, and the median CPU time."""
    wall = [w for w, _ in runs]
    cpu = statistics.median(c for _, c in runs)
    return (f"{name:<28} median {statistics.median(wall):.3f} s  min {min(wall):.3f}  "
            f"max {max(wall):.3f}  (n={len(wall)}; CPU median {cpu:.3f} s)")


Runs = list[tuple[float, float]]


async def bench_bot(work: Path, runs: int) -> tuple[Runs, Runs]:
    """Time the bot cold (fresh copy and TMPDIR each run) and warm (one copy)."""
    fake = ReadyFake()
    await fake.start()
    try:
        await time_bot(fake, seeds_copy(work), fresh_tmp(work))  # writes the bytecode
        cold = [await time_bot(fake, seeds_copy(work), fresh_tmp(work)) for _ in range(runs)]
        reports, tmpdir = seeds_copy(work), fresh_tmp(work)
        await time_bot(fake, reports, tmpdir)  # writes the caches
        warm = [await time_bot(fake, reports, tmpdir) for _ in range(runs)]
    finally:
        await fake.stop()
    return cold, warm


def main() -> None:
    """Time both front ends in both states and print medians, minimum and maximum."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="qa-startup-") as tmp:
        work = Path(tmp)
        time_ask(seeds_copy(work), fresh_tmp(work))  # writes the bytecode
        ask_cold = [time_ask(seeds_copy(work), fresh_tmp(work)) for _ in range(args.runs)]
        reports, tmpdir = seeds_copy(work), fresh_tmp(work)
        time_ask(reports, tmpdir)  # writes the caches
        ask_warm = [time_ask(reports, tmpdir) for _ in range(args.runs)]
        bot_cold, bot_warm = asyncio.run(bench_bot(work, args.runs))
    # The machine may be shared: the 1-minute load average says how much.
    print(f"load average (1 min) before {before:.2f}, after {os.getloadavg()[0]:.2f}; "
          f"cores {os.cpu_count()}")
    for name, times in [("qa ask, nothing cached", ask_cold), ("qa ask, warm caches", ask_warm),
                        ("qa-bot ready, nothing cached", bot_cold),
                        ("qa-bot ready, warm caches", bot_warm)]:
        print(summary(name, times))


if __name__ == "__main__":
    main()
