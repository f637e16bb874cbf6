"""Hostile uploads against the real bot (fake Bot API, in this process): per file, the reply,
the seconds until it, the bot process's peak RSS growth, and how long another user's question
sent at the same moment waited. Then the sandbox's per-upload overhead on a normal .docx.

The files are the test catalogue (tests/hostile.py, tests/documents/test_hostile_files.py),
built small here; conversion runs in the sandboxed worker, so its memory is not the bot's.

    .venv/bin/python bench/bench_hostile.py
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("PTB_TIMEDELTA", "1")

from qa import QAEngine  # noqa: E402
from qa.library import preview_isolated, preview_upload, start_worker_server  # noqa: E402
from tests.documents.test_hostile_files import CATALOGUE  # noqa: E402
from tests.fakebot import FakeTelegram, private_chat, user  # noqa: E402
from tests.fakebot.runner import make_settings, running_bot  # noqa: E402
from tests.peak_rss import PeakRss  # noqa: E402
from tests.uploads import make_docx  # noqa: E402

ADMIN, STAFF = user(7001, "李书记"), user(7002, "王干事")
QUESTION = "发展党员多少人"
MB = 1024 * 1024


async def one(fake: FakeTelegram, name: str, data: bytes) -> tuple[str, float, float, float]:
    """Upload one file and ask one question at once; return reply, seconds, MB, question s."""
    with PeakRss() as rss:
        mark = fake.mark()
        started = time.perf_counter()
        fake.send_document(private_chat(ADMIN), ADMIN, name, data)
        fake.send_text(private_chat(STAFF), STAFF, QUESTION)
        calls = await fake.wait_for(mark, "sendMessage", count=2, timeout=300)
    done = {int(c.params["chat_id"]): c.at - started for c in calls}
    reply = next(c.params["text"] for c in calls if int(c.params["chat_id"]) == ADMIN["id"])
    return reply, done[ADMIN["id"]], rss.growth / MB, done[STAFF["id"]]


async def run_bot(folder: Path, db: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    try:
        settings = make_settings(fake, db, reports_dir=folder, admin_ids=frozenset({ADMIN["id"]}),
                                 base_file_url=f"http://127.0.0.1:{fake.port}/file/bot")
        async with running_bot(settings, QAEngine.from_directory(folder)):
            print(f"{'file':<14} {'s':>6} {'RSS+MB':>7} {'ask s':>6}  reply")
            for name, build, _, _ in CATALOGUE:
                reply, seconds, grown, asked = await one(fake, name, build())
                print(f"{name:<14} {seconds:6.2f} {grown:7.0f} {asked:6.2f}  {reply[:90]}")
    finally:
        await fake.stop()


def overhead(runs: int = 10) -> None:
    """Print the median seconds of a normal .docx previewed in the worker and in-process."""
    rows = [("Title", None, "第三党支部2024年党建工作总结"), ("Heading 1", 0, "主要工作情况"),
            ("Normal", None, "全年组织集中学习12次，组织党员开展红色观影活动7次。" * 5)]
    data = make_docx(rows)
    start_worker_server()
    preview_isolated(data, "warm.docx")
    timings: dict[str, list[float]] = {"worker": [], "in-process": []}
    for _ in range(runs):
        for label, run in (("worker", preview_isolated), ("in-process", preview_upload)):
            started = time.perf_counter()
            run(data, "第三党支部.docx")
            timings[label].append(time.perf_counter() - started)
    worker, local = (statistics.median(timings[k]) for k in ("worker", "in-process"))
    print(f"normal .docx preview: worker {worker:.3f} s, in-process {local:.3f} s, "
          f"overhead {worker - local:.3f} s (median of {runs})")


def huge_paragraph(folder: Path) -> None:
    """Print question seconds with a 2-million-character paragraph placed in the folder by
    hand (no upload checks it): passages are bounded at ingest, so no question walks it whole."""
    para = "全年组织集中学习12次，组织党员开展红色观影活动7次，发展党员2名。" * 60_000
    (folder / "900-huge.txt").write_text(f"某单位2024年党建工作总结\n一、主要工作\n{para}\n",
                                         "utf-8")
    engine = QAEngine.from_directory(folder)
    longest = max(len(p.text) for r in engine.reports for p in r.passages)
    for question in ("发展党员多少人", "红色观影活动开展了几次", "集中学习几次"):
        started = time.perf_counter()
        engine.ask(question)
        print(f"huge paragraph ({len(para)} chars, longest passage {longest}): "
              f"{question} {time.perf_counter() - started:.2f} s")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        shutil.copytree(ROOT / "seeds", folder, ignore=shutil.ignore_patterns(".qa-cache"))
        start_worker_server()
        asyncio.run(run_bot(folder, Path(tmp) / "qa.sqlite3"))
        overhead()
        huge_paragraph(folder)


if __name__ == "__main__":
    main()
