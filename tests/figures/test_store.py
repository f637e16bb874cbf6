"""The figures store: a table read from it equals one extracted, and only what changed is
extracted again (``qa.figures.store``); the CSV made in parts, as an export streams it."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import json
import shutil
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from qa import FigureTable, Report, extract_figures, figures_store, load_reports
from qa.figures import figures_csv, figures_csv_parts, store
from qa.figures.extract import Figure
from tests.cli_runner import run_cli
from tests.conftest import ROOT, SEEDS

SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "corpus"


@pytest.fixture(scope="module")
def reports() -> tuple[Report, ...]:
    """The seeds and, where present, the shared corpus of real reports."""
    found = load_reports(SEEDS).reports
    if SHARED_CORPUS.is_dir():
        found += load_reports(SHARED_CORPUS).reports
    return found


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the id of every report the store extracts (the real extractor still runs)."""
    seen: list[str] = []

    def counted(report: Report) -> tuple[Figure, ...]:
        seen.append(report.report_id)
        return extract_figures(report)

    monkeypatch.setattr("qa.figures.store.extract_figures", counted)
    return seen


def _same(table: FigureTable, reports: Sequence[Report]) -> None:
    plain = FigureTable.from_reports(reports)
    assert table.figures == plain.figures and table.reports == plain.reports
    # Equal is not enough for what users read: 12.0 and 12 print alike, a str is no float.
    assert [tuple(map(type, dataclasses.astuple(f))) for f in table.figures] == \
        [tuple(map(type, dataclasses.astuple(f))) for f in plain.figures]


def test_a_table_read_back_equals_one_extracted(reports: tuple[Report, ...], tmp_path: Path,
                                                extracted: list[str]) -> None:
    path = tmp_path / "figures.json"
    written = FigureTable.from_reports(reports, path)
    assert len(extracted) == len(reports) and path.is_file()
    extracted.clear()
    written_as = path.stat().st_ino
    read = FigureTable.from_reports(reports, path)
    assert extracted == [] and path.stat().st_ino == written_as  # nothing new: not rewritten
    assert len(read.figures) > 100
    _same(written, reports)
    _same(read, reports)


def test_only_a_changed_report_is_extracted_again(tmp_path: Path, extracted: list[str]) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(SEEDS, folder)
    path = tmp_path / "figures.json"
    FigureTable.from_reports(load_reports(folder).reports, path)
    edited = next(folder.glob("002_*.txt"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\n全年发展党员99名。\n",
                      encoding="utf-8")
    next(folder.glob("004_*.txt")).unlink()
    extracted.clear()
    now = load_reports(folder).reports
    table = FigureTable.from_reports(now, path)
    assert extracted == [edited.stem]
    assert any(f.value == 99 for f in table.for_report(edited.stem))
    # The store holds exactly the reports of the last table: the removed one and the edit's
    # former version are gone.
    assert set(store.read_store(path)) == {r.key for r in now}
    _same(table, now)


def _nonsense_last_line(data: bytes) -> bytes:
    """Replace the last report's line by one with a right checksum and a wrong entry."""
    body = b'["%s","x","y"]' % data.rstrip(b"\n").rsplit(b"\n", 1)[1].split(b'"')[1]
    return data.rstrip(b"\n").rsplit(b"\n", 1)[0] + b"\n%08x %s\n" % (zlib.crc32(body), body)


def _other_text_last_line(data: bytes) -> bytes:
    """Change one character of the last report's line: still JSON, no longer what was written."""
    head, last = data.rstrip(b"\n").rsplit(b"\n", 1)
    assert "党".encode() in last
    return head + b"\n" + last.replace("党".encode(), "觉".encode(), 1) + b"\n"


@pytest.mark.parametrize(("damage", "again"), [
    (lambda data: data.replace(b'"format": 2', b'"format": 1'), 5),  # another format
    (lambda data: data.replace(b'"version": "', b'"version": "0'), 5),  # another extractor
    (lambda data: b"\x00" * len(data), 5),
    (lambda data: data[:-40], 1),  # cut short: the last report's line
    (lambda data: data[:-3] + bytes([data[-3] ^ 1]) + data[-2:], 1),  # a bit of it flipped
    (_other_text_last_line, 1),
    (_nonsense_last_line, 1),
])
def test_a_damaged_or_stale_store_means_extracting_again(
        damage: Callable[[bytes], bytes], again: int, tmp_path: Path,
        extracted: list[str]) -> None:
    reports = load_reports(SEEDS).reports
    path = tmp_path / "figures.json"
    FigureTable.from_reports(reports, path)
    path.write_bytes(damage(path.read_bytes()))
    extracted.clear()
    table = FigureTable.from_reports(reports, path)
    assert len(reports) == 5
    assert extracted == ([r.report_id for r in reports] if again == 5
                         else [reports[-1].report_id])
    _same(table, reports)
    assert set(store.read_store(path)) == {r.key for r in reports}  # written anew


def test_a_report_without_a_key_is_never_stored(tmp_path: Path, extracted: list[str]) -> None:
    reports = tuple(dataclasses.replace(r, key="") if i == 0 else r
                    for i, r in enumerate(load_reports(SEEDS).reports))
    path = tmp_path / "figures.json"
    FigureTable.from_reports(reports, path)
    extracted.clear()
    table = FigureTable.from_reports(reports, path)
    assert extracted == [reports[0].report_id]
    assert "" not in store.read_store(path)
    _same(table, reports)


def test_a_store_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    reports = load_reports(SEEDS).reports
    table = FigureTable.from_reports(reports, blocker / "figures.json")
    _same(table, reports)


def test_the_cli_keeps_figures_in_the_library_cache(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(SEEDS, folder)
    first = run_cli(capsys, "compare", "发展党员", "--reports", str(folder), "--json")
    path = figures_store(folder)
    assert path.is_file() and path.parent.parent == folder
    assert run_cli(capsys, "compare", "发展党员", "--reports", str(folder), "--json") == first
    assert json.loads(first[1])["rows"]


def test_the_version_covers_every_module_the_extractor_reads() -> None:
    """Every qa name the hashed modules import is defined in a hashed module: a change to the
    extractor's code invalidates stored figures."""
    hashed = set(store.FIGURE_MODULES)
    for name in store.FIGURE_MODULES:
        module = importlib.import_module(name)
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module \
                    or not node.module.startswith("qa.") or node.module == "qa.fsio" \
                    or node.module == "qa.gcpause" or node.module == "qa.data":
                continue
            source = importlib.import_module(node.module)
            for alias in node.names:
                assert _defined_in(source, alias.name) in hashed, (name, alias.name)


def _defined_in(face: object, name: str) -> str:
    """Return the module that defines ``name`` as a package's face exports it."""
    value = getattr(face, name)
    defined = getattr(value, "__module__", None)
    if isinstance(defined, str) and defined.startswith("qa."):
        return defined
    # A constant: the face's own import of it names the module.
    face_file = Path(str(getattr(face, "__file__", "")))
    for node in ast.walk(ast.parse(face_file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and any(a.name == name for a in node.names):
            package = str(getattr(face, "__name__", ""))
            return f"{package}.{node.module}" if node.level else str(node.module)
    return str(getattr(face, "__name__", ""))


@pytest.mark.parametrize("rows", [1, 2, 7, 4096])
def test_the_csv_in_parts_is_the_csv(reports: tuple[Report, ...], rows: int) -> None:
    figures = FigureTable.from_reports(reports[:8]).figures
    parts = list(figures_csv_parts(figures, rows=rows))
    assert "".join(parts) == figures_csv(figures)
    assert len(parts) == len(figures) // rows + 1
