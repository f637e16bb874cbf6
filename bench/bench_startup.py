"""Start-up time of the two front ends on the seeds, with nothing cached and with warm caches.

* ``qa ask 今年发展了多少党员``: the whole process, wall clock, on a copy of the seeds.
* ``qa-bot``: from starting the process until its first getUpdates reaches a local fake Bot API
  (tests/fakebot), i.e. the bot is loaded, checked its token and started polling.

Nothing cached: every run gets a fresh copy of the seeds (no ``.qa-cache``, no index beside
them) and a fresh, empty TMPDIR (no jieba cache anywhere). Warm: one copy, caches written by
an unmeasured first run. Python's own bytecode (``__pycache__``) is not a qa cache: one
unmeasured run writes it first, and PYTHONDONTWRITEBYTECODE is dropped from the environment.
Both run as ``python -m qa.cli`` / ``python -m qa_bot`` with this tree's ``src`` first on the path
(what the ``qa`` and ``qa-bot`` scripts run). With ``--baseline DIR`` (another checkout, e.g.
``git archive <commit> | tar -x -C DIR``) every measurement alternates between the two trees,
so load from other work on the machine falls on both alike.

    .venv/bin/python bench/bench_startup.py [--runs 10] [--baseline DIR]
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


def environment(tree: Path, tmpdir: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Return a process environment: this tree's code first, bytecode writable, own TMPDIR."""
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = f"{tree / 'src'}{os.pathsep}{tree}"
    env["TMPDIR"] = str(tmpdir)
    return env


def fresh_tmp(where: Path) -> Path:
    """Return a new empty temporary folder (TMPDIR of one run)."""
    return Path(tempfile.mkdtemp(prefix="tmp-", dir=where))


Run = tuple[float, float]  # wall seconds, CPU seconds


def time_ask(tree: Path, reports: Path, tmpdir: Path) -> Run:
    """Run ``qa ask`` once; return its wall time and CPU time (user + system).

    Fails on a wrong or missing answer.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "qa.cli", "ask", QUESTION, "--reports", str(reports)],
        env=environment(tree, tmpdir), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or "发展党员" not in done.stdout:
        raise SystemExit(f"qa ask failed ({done.returncode}): {done.stdout}{done.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


async def time_bot(fake: ReadyFake, tree: Path, reports: Path, tmpdir: Path) -> Run:
    """Start ``qa-bot``, stop it once polling; return the wall and CPU seconds until its first
    getUpdates (CPU: the process's user + system time read at that moment)."""
    fake.first_poll = None
    fake.polling.clear()
    env = environment(tree, tmpdir, qa_bot_env(
        fake.base_url, tmpdir / "qa.sqlite3", QA_REPORTS_DIR=str(reports), LOG_LEVEL="WARNING"))
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "qa_bot", cwd=tmpdir, env=env,
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


def summary(name: str, runs: list[Run]) -> str:
    """Return one line: median, min and max wall time of the runs, and the median CPU time."""
    wall = [w for w, _ in runs]
    cpu = statistics.median(c for _, c in runs)
    return (f"{name:<40} median {statistics.median(wall):.3f} s  min {min(wall):.3f}  "
            f"max {max(wall):.3f}  (n={len(wall)}; CPU median {cpu:.3f} s)")


Results = dict[tuple[str, Path], list[Run]]


def bench_ask(work: Path, trees: list[Path], runs: int, results: Results) -> None:
    """Time ``qa ask`` cold (fresh copy and TMPDIR each run) and warm (one copy per tree)."""
    warm = {tree: (seeds_copy(work), fresh_tmp(work)) for tree in trees}
    for tree in trees:
        time_ask(tree, seeds_copy(work), fresh_tmp(work))  # writes the bytecode
        time_ask(tree, *warm[tree])  # writes the caches
    for _ in range(runs):
        for tree in trees:
            results.setdefault(("qa ask, nothing cached", tree), []).append(
                time_ask(tree, seeds_copy(work), fresh_tmp(work)))
            results.setdefault(("qa ask, warm caches", tree), []).append(
                time_ask(tree, *warm[tree]))


async def bench_bot(work: Path, trees: list[Path], runs: int, results: Results) -> None:
    """Time ``qa-bot`` the same way, against one fake Bot API."""
    fake = ReadyFake()
    await fake.start()
    try:
        warm = {tree: (seeds_copy(work), fresh_tmp(work)) for tree in trees}
        for tree in trees:
            await time_bot(fake, tree, seeds_copy(work), fresh_tmp(work))  # bytecode
            await time_bot(fake, tree, *warm[tree])  # caches
        for _ in range(runs):
            for tree in trees:
                results.setdefault(("qa-bot ready, nothing cached", tree), []).append(
                    await time_bot(fake, tree, seeds_copy(work), fresh_tmp(work)))
                results.setdefault(("qa-bot ready, warm caches", tree), []).append(
                    await time_bot(fake, tree, *warm[tree]))
    finally:
        await fake.stop()


def main() -> None:
    """Time both front ends in both states and print medians, minimum and maximum."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    trees = [ROOT] + ([args.baseline.resolve()] if args.baseline else [])
    before = os.getloadavg()[0]
    results: Results = {}
    with tempfile.TemporaryDirectory(prefix="qa-startup-") as tmp:
        bench_ask(Path(tmp), trees, args.runs, results)
        asyncio.run(bench_bot(Path(tmp), trees, args.runs, results))
    # The machine may be shared: the 1-minute load average says how much.
    print(f"load average (1 min) before {before:.2f}, after {os.getloadavg()[0]:.2f}; "
          f"cores {os.cpu_count()}")
    for (name, tree), runs in results.items():
        label = name if tree == ROOT else f"{name} [baseline]"
        print(summary(label, runs))


if __name__ == "__main__":
    main()
