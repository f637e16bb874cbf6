"""``qa check`` / ``qa add`` / ``qa remove``: thin commands over convert, preview and Library."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa.reports.ingest import load_reports
from tests.cli_runner import run_cli
from tests.uploads import make_docx

ROOT = Path(__file__).resolve().parents[2]
REPORT = """第三党支部2024年党建工作总结
一、主要工作情况
（一）红色物业。组建红色物业联盟，覆盖小区37个。
二、存在问题
一是物业党建覆盖不全。
三、下一步工作计划
一是扩大红色物业联盟。
"""


run = run_cli


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "reports"
    shutil.copytree(ROOT / "seeds", target)
    return target


@pytest.fixture
def upload(tmp_path: Path) -> Path:
    path = tmp_path / "第三党支部总结.txt"
    path.write_bytes(REPORT.encode("gbk"))
    return path


def test_check_prints_the_preview_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], folder: Path, upload: Path
) -> None:
    code, out, _ = run(capsys, "check", "--reports", str(folder), str(upload))
    assert code == 0
    assert out.startswith("《第三党支部2024年党建工作总结》\n单位：第三党支部  年份：2024")
    assert "  二、存在问题  [问题] 1 段" in out
    assert not (folder / "originals").exists()
    code, out, _ = run(capsys, "check", "--json", str(upload))
    assert json.loads(out)["outline"][0] == {
        "depth": 1, "title": "一、主要工作情况", "kind": "work", "passages": 1,
    }


def test_check_a_bad_file_exits_1_with_the_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "总结.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    code, out, err = run(capsys, "check", str(bad))
    assert (code, out) == (1, "")
    assert err == (
        "错误：总结.doc：文件已损坏，无法读取。请在 Word 中重新另存为 .docx 后再发送\n"
    )
    code, _, err = run(capsys, "check", str(tmp_path / "missing.txt"))
    assert code == 1 and err.startswith("错误：missing.txt：无法读取文件")


def test_add_asks_and_a_no_changes_nothing(
    capsys: pytest.CaptureFixture[str], folder: Path, upload: Path
) -> None:
    before = (folder / "reports.toml").read_bytes()
    code, out, _ = run(capsys, "add", "--reports", str(folder), str(upload), stdin="n\n")
    assert code == 0 and "确认收录？" in out and "已取消" in out
    assert (folder / "reports.toml").read_bytes() == before


def test_add_with_corrections_then_ask_answers_from_it_then_remove(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    docx_file = tmp_path / "支部.docx"
    docx_file.write_bytes(make_docx([("Normal", None, line) for line in REPORT.splitlines()]))
    code, out, _ = run(
        capsys, "add", "--reports", str(folder), "--title", "红旗支部总结", "--unit", "红旗支部",
        str(docx_file), stdin="y\n",
    )
    assert code == 0 and "已收录：005_" in out and "《红旗支部总结》" in out
    report_id = out.split("已收录：")[1].split("《")[0]
    question = "红色物业联盟覆盖多少小区"
    code, out, _ = run(capsys, "ask", "--json", "--reports", str(folder), question)
    assert json.loads(out)["hits"][0]["report_title"] == "红旗支部总结"
    code, out, _ = run(capsys, "remove", "--reports", str(folder), "005", stdin="n\n")
    assert "已取消" in out and report_id in {r.report_id for r in load_reports(folder).reports}
    code, out, _ = run(capsys, "remove", "--yes", "--reports", str(folder), "005")
    assert code == 0 and out.startswith(f"已删除：{report_id}《红旗支部总结》")
    assert report_id not in {r.report_id for r in load_reports(folder).reports}
    assert (folder / "removed" / "").is_dir()


def test_add_same_unit_and_year_with_yes_adds_alongside_and_replace_is_explicit(
    capsys: pytest.CaptureFixture[str], folder: Path, upload: Path, tmp_path: Path
) -> None:
    # Issue 19: --yes never replaces; the same file again is refused; --replace replaces.
    assert run(capsys, "add", "--yes", "--reports", str(folder), str(upload))[0] == 0
    code, _, err = run(capsys, "add", "--yes", "--reports", str(folder), str(upload))
    assert code == 1 and "与已收录的 005_" in err and "内容相同" in err
    revised = tmp_path / "第三党支部总结（修订）.txt"
    revised.write_text(REPORT + "四、其他\n补充说明一项。\n", encoding="utf-8")
    code, out, _ = run(capsys, "add", "--yes", "--reports", str(folder), str(revised))
    assert code == 0 and "另行收录，未替换" in out and "--replace 005_" in out
    ids = [r.report_id for r in load_reports(folder).reports]
    assert len(ids) == 7 and ids[-1].startswith("006_")
    third = tmp_path / "第三党支部总结（定稿）.txt"
    third.write_text(REPORT + "四、其他\n定稿。\n", encoding="utf-8")
    code, out, _ = run(capsys, "add", "--yes", "--replace", "006", "--reports", str(folder),
                       str(third))
    assert code == 0 and "替换了 006_" in out
    ids = [r.report_id for r in load_reports(folder).reports]
    assert len(ids) == 7 and ids[-1].startswith("007_")


def test_bad_year_and_unknown_id_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], folder: Path, upload: Path
) -> None:
    code, _, err = run(capsys, "add", "--yes", "--year", "二〇二四", "--reports", str(folder),
                       str(upload))
    assert code == 1 and err.startswith("错误：年份应为四位数字")
    code, _, err = run(capsys, "remove", "--yes", "--reports", str(folder), "zzz")
    assert code == 1 and err == "错误：没有这份报告：zzz\n"


def test_library_commands_are_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("qa check", "qa add", "qa remove"):
        assert command in readme, command
