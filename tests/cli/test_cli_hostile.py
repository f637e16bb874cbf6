"""Issue 21: ``qa check`` / ``qa add`` convert in the same sandboxed worker as the bot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import hostile
from tests.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[2]


_run = run_cli


def test_qa_add_of_a_bomb_is_refused_in_one_line_and_stores_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(ROOT / "seeds", folder, ignore=shutil.ignore_patterns(".qa-cache"))
    before = sorted(p.name for p in folder.iterdir())
    bomb = tmp_path / "笑声.docx"
    bomb.write_bytes(hostile.billion_laughs())
    code, out, err = _run(capsys, "add", "--yes", "--reports", str(folder), str(bomb))
    assert (code, out) == (1, "")
    assert err == ("错误：笑声.docx：Word 文档中含有 XML 实体声明（DOCTYPE/ENTITY），"
                   "正常文档不会有。请检查文件来源，用 Word 或 WPS 另存为新的 .docx 后再发送\n")
    assert sorted(p.name for p in folder.iterdir()) == before


def test_qa_check_of_a_page_flood_names_the_page_cap(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    flood = tmp_path / "万页.pdf"
    flood.write_bytes(hostile.pages_pdf(1500, b"BT ET"))
    code, _, err = _run(capsys, "check", str(flood))
    assert code == 1
    assert err.startswith("错误：万页.pdf：PDF 共 1500 页，远超一份工作报告（上限 1000 页）")
    assert "Traceback" not in err
