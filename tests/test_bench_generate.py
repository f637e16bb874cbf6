"""The index benchmark's generator writes the same report files whether it counts passages in
one process or in several (``bench_index.py --gen-jobs``), so runs stay comparable."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generate(folder: Path, passages: int, jobs: int) -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_index import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return generate(folder, passages, jobs=jobs)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_counting_in_workers_writes_the_same_files(tmp_path: Path) -> None:
    # 1,200 passages end in the middle of the first block of 512 reports.
    alone = _generate(tmp_path / "one", 1200, jobs=1)
    shared = _generate(tmp_path / "two", 1200, jobs=2)
    assert alone == shared > 1
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert len(_files(tmp_path / "two")) == shared
