"""kill -9 at random points of confirm (add, replace, remove): the folder stays loadable.

Each run copies a small library, starts a child that performs one change and SIGKILLs it:
traced runs kill the child at a random executed line of the library code (every step is
reachable), timed runs kill it from outside after a random delay. After each kill the loader
must see exactly the old state or the new one, recovery must leave no trace of half a report,
and no report's text may be lost.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.documents.convert import convert_file
from qa.library import manifest as mf
from qa.library.folder import Library
from qa.library.preview import build_preview
from qa.reports.ingest import load_manifest, load_reports
from tests.uploads import make_docx

ROOT = Path(__file__).resolve().parents[2]
# Per operation: 3 × (6 + 2) = 24 kills by default; QA_CRASH_RUNS=50 runs a longer soak.
TRACED_RUNS = int(os.environ.get("QA_CRASH_RUNS", "6"))
TIMED_RUNS = max(2, TRACED_RUNS // 3)
REPORT = """第三党支部2024年党建工作总结
一、主要工作情况
（一）抓好理论学习。全年组织集中学习12次。
二、存在问题
一是学习不够深入。
三、下一步工作计划
（一）强化理论武装。持续开展读书班。
"""

CHILD = r"""
import os, signal, sys, time
from pathlib import Path
from qa.documents import convert_file
from qa.library import Library, build_preview

folder, op, target, kill_at, upload = sys.argv[1:6]
library = Library(Path(folder))
preview = build_preview(convert_file(Path(upload).read_bytes(), "第三党支部总结.docx"))
watched = ("library/folder.py", "fsio.py", "library/manifest.py")
count = 0

def line(frame, event, arg):
    global count
    if event == "line":
        count += 1
        if count == int(kill_at):
            os.kill(os.getpid(), signal.SIGKILL)
    return line

def call(frame, event, arg):
    return line if frame.f_code.co_filename.endswith(watched) else None

print("ready", flush=True)
sys.stdin.readline()
started = time.perf_counter()
if int(kill_at):
    sys.settrace(call)
if op == "add":
    library.add(preview, "42")
elif op == "replace":
    library.add(preview, "42", replace=target)
else:
    library.remove(target, "42")
sys.settrace(None)
print(count, time.perf_counter() - started, flush=True)
"""

State = dict[str, tuple[str, str, str, int]]


def state(folder: Path) -> State:
    return {
        r.report_id: (r.title, r.unit, r.year, len(r.passages))
        for r in load_reports(folder).reports
    }


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A library with one hand-placed and one uploaded report, and the next upload."""
    folder = tmp_path_factory.mktemp("crash") / "base"
    shutil.copytree(ROOT / "seeds", folder, ignore=shutil.ignore_patterns("00[1-4]*"))
    manifest = folder / "reports.toml"
    text = manifest.read_text("utf-8")
    for stem in ("001_252887d0a5fb62ad", "002_56e93352d959f4eb", "003_251bbf68853c8951"):
        text = mf.without_entry(text, stem)
    manifest.write_text(mf.without_entry(text, "004_1c5fd297e8b8e854"), "utf-8")
    text = REPORT.replace("12次", "10次")
    first = Library(folder).add(build_preview(convert_file(text.encode("gbk"), "旧.txt")), "7")
    upload = folder.parent / "upload.docx"
    upload.write_bytes(make_docx([("Normal", None, line) for line in REPORT.splitlines()]))
    return folder, upload, first.report_id


def run_child(
    folder: Path, op: str, target: str, upload: Path, kill_at: int = 0, delay: float = -1
) -> tuple[int, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    args = [sys.executable, "-c", CHILD, str(folder), op, target, str(kill_at), str(upload)]
    child = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    child.stdin.write("go\n")
    child.stdin.flush()
    if delay >= 0:
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=60)
    return child.returncode, out.strip()


def check_consistent(folder: Path, old: State, new: State, texts: dict[Path, bytes]) -> str:
    """Assert the folder shows the old or new state before and after recovery."""
    seen = state(folder)
    assert seen in (old, new), seen
    Library(folder).recover()
    assert state(folder) == seen  # recovery only tidies, it never flips the state
    manifest = load_manifest(folder)
    for stem, meta in manifest.items():
        assert not meta.replaces
        assert (folder / f"{stem}.txt").is_file(), stem
    stray = [p for p in folder.rglob(".*.tmp")]
    assert not stray, stray
    for original in (folder / "originals").iterdir():
        assert (folder / f"{original.stem}.txt").is_file(), original
    everything = [p.read_bytes() for p in folder.rglob("*.txt")]
    for data in texts.values():
        assert data in everything  # nothing deleted: old texts are stored or in removed/
    return "new" if seen == new else "old"


@pytest.mark.parametrize("op", ["add", "replace", "remove"])
def test_kill_at_random_points_leaves_old_or_new_state(
    op: str, base: tuple[Path, Path, str], tmp_path: Path
) -> None:
    folder, upload, first = base
    target = "000_bbf0c16ce2b44802" if op == "remove" else first
    texts = {p: p.read_bytes() for p in folder.glob("*.txt")}
    old = state(folder)
    reference = tmp_path / "reference"
    shutil.copytree(folder, reference)
    code, lines = run_child(reference, op, target, upload, kill_at=10**9)
    assert code == 0, lines
    new, total, elapsed = state(reference), int(lines.split()[0]), float(lines.split()[1])
    assert new != old
    rng = random.Random(f"{op}-crash")
    points = [("line", rng.randint(1, total)) for _ in range(TRACED_RUNS)]
    # The traced reference run is slower than an untraced one: its duration bounds the delay.
    points += [("time", rng.uniform(0, elapsed)) for _ in range(TIMED_RUNS)]
    outcomes = []
    for run, (how, where) in enumerate(points):
        copy = tmp_path / f"run{run}"
        shutil.copytree(folder, copy)
        if how == "line":
            code, _ = run_child(copy, op, target, upload, kill_at=int(where))
            assert code == -signal.SIGKILL
        else:
            run_child(copy, op, target, upload, delay=float(where))
        outcomes.append(check_consistent(copy, old, new, texts))
    print(op, total, "lines;", "outcomes:", outcomes)
