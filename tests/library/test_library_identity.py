"""Issue 19 item 1: a library that never loses or duplicates a report, with an audit log.

Every real document of corpus/corpus (provincial 政府工作报告 as .docx/.txt, a 党支部's
summaries, PDFs) goes through ``qa add --yes`` into an empty folder: every one is kept, none
replaces another, and each added again is refused with the id it duplicates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.library import Library, file_digest
from qa.reports import load_reports
from tests.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.name != "reports.toml")
REPORT = """第三党支部2024年党建工作总结
一、主要工作情况
（一）发展党员。全年发展党员3名，转正2名。
二、存在问题
一是学习形式单一。
三、下一步工作计划
一是丰富学习形式。
"""


run = run_cli


@pytest.fixture
def report_and_revision(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Return a reports folder (not made yet), a report file, and its revision (a section more:
    the same unit and year, other content)."""
    folder = tmp_path / "reports"
    first, revised = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(REPORT, encoding="utf-8")
    revised.write_text(REPORT + "四、其他\n补充一项。\n", encoding="utf-8")
    return folder, first, revised


def test_every_corpus_file_is_kept_and_none_is_added_twice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    assert len(FILES) == 47
    for path in FILES:
        code, out, err = run(capsys, "add", "--yes", "--reports", str(folder), str(path))
        assert code == 0 and "已收录：" in out and "替换了" not in out, (path.name, err)
    entries = Library(folder).entries()
    assert len(entries) == 47
    assert sorted(e.file_name for e in entries) == [p.name for p in FILES]
    assert len(load_reports(folder).reports) == 47
    for path, entry in zip(FILES, entries, strict=True):
        code, out, err = run(capsys, "add", "--yes", "--reports", str(folder), str(path))
        assert code == 1 and "已收录：" not in out, path.name
        assert f"与已收录的 {entry.report_id}" in err and "内容相同" in err
    assert len(Library(folder).entries()) == 47


def test_the_same_text_in_another_encoding_or_layout_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    first, second = tmp_path / "支部总结.txt", tmp_path / "支部总结（GBK）.txt"
    first.write_text(REPORT, encoding="utf-8")
    second.write_bytes(REPORT.replace("\n", "\r\n\r\n").encode("gbk"))
    assert run(capsys, "add", "--yes", "--reports", str(folder), str(first))[0] == 0
    code, _, err = run(capsys, "add", "--yes", "--reports", str(folder), str(second))
    assert code == 1 and err.startswith("错误：支部总结（GBK）.txt：与已收录的 000_")


def test_n_cancels_at_every_prompt(
    capsys: pytest.CaptureFixture[str], report_and_revision: tuple[Path, Path, Path]
) -> None:
    folder, first, revised = report_and_revision
    code, out, _ = run(capsys, "add", "--reports", str(folder), str(first), stdin="n\n")
    assert code == 0 and "确认收录？" in out and "已取消" in out
    assert not (folder / "reports.toml").exists()
    assert run(capsys, "add", "--reports", str(folder), str(first), stdin="y\n")[0] == 0
    manifest = (folder / "reports.toml").read_bytes()
    # Same unit and year: 替换 / 另存 / 取消, and n (or nothing) cancels; nothing is stored.
    for answer in ("n\n", "\n", "c\n", "取消\n"):
        code, out, _ = run(capsys, "add", "--reports", str(folder), str(revised), stdin=answer)
        assert code == 0 and "替换它（r）/ 另存为新报告（s）/ 取消（c）" in out and "已取消" in out
        assert (folder / "reports.toml").read_bytes() == manifest
    assert len(Library(folder).entries()) == 1
    code, out, _ = run(capsys, "add", "--reports", str(folder), str(revised), stdin="另存\n")
    assert code == 0 and "替换了" not in out and len(Library(folder).entries()) == 2


def test_replace_at_the_prompt_and_qa_log_lists_every_change(
    capsys: pytest.CaptureFixture[str], report_and_revision: tuple[Path, Path, Path]
) -> None:
    folder, first, revised = report_and_revision
    run(capsys, "add", "--yes", "--by", "张三", "--reports", str(folder), str(first))
    code, out, _ = run(capsys, "add", "--by", "李四", "--reports", str(folder), str(revised),
                       stdin="r\n")
    assert code == 0 and "替换了 000_" in out
    [kept] = Library(folder).entries()
    code, out, _ = run(capsys, "remove", "--yes", "--by", "王五", "--reports", str(folder),
                       kept.report_id)
    assert code == 0
    code, out, _ = run(capsys, "log", "--reports", str(folder))
    lines = out.splitlines()
    assert len(lines) == 3
    assert "收录  000_" in lines[0] and "操作人：张三" in lines[0]
    assert f"sha256：{file_digest(first.read_bytes())}" in lines[0]
    assert "替换  001_" in lines[1] and "（替换 000_" in lines[1] and "操作人：李四" in lines[1]
    assert f"sha256：{file_digest(revised.read_bytes())}" in lines[1]
    assert "删除  001_" in lines[2] and "操作人：王五" in lines[2] and "文件：b.txt" in lines[2]
    code, out, _ = run(capsys, "log", "--json", "-n", "1", "--reports", str(folder))
    record = json.loads(out)
    assert (record["action"], record["by"]) == ("remove", "王五")
    assert record["sha256"] == file_digest(revised.read_bytes())


def test_the_audit_log_survives_a_torn_last_line(tmp_path: Path) -> None:
    from qa.library import auditlog

    auditlog.append(tmp_path, auditlog.AuditRecord("add", "000_x", "甲", "2026-01-01T00:00:00"))
    with (tmp_path / auditlog.AUDIT_NAME).open("ab") as out:
        out.write(b'{"action": "add", "rep')  # a crash in the middle of a write
    auditlog.append(tmp_path, auditlog.AuditRecord("remove", "000_x", "乙", "2026-01-02T00:00:00"))
    assert [r.by for r in auditlog.read(tmp_path)] == ["甲", "乙"]


def test_qa_reads_the_bots_reports_folder_from_env_and_dotenv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_bot.qa_entry import main as entry_main

    upload = tmp_path / "a.txt"
    upload.write_text(REPORT, encoding="utf-8")
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"QA_REPORTS_DIR={tmp_path / 'from-dotenv'}\n", encoding="utf-8")
    monkeypatch.delenv("QA_REPORTS_DIR", raising=False)
    assert entry_main(["add", "--yes", str(upload)], dotenv) == 0
    assert len(Library(tmp_path / "from-dotenv").entries()) == 1
    monkeypatch.setenv("QA_REPORTS_DIR", str(tmp_path / "from-env"))  # the environment wins
    monkeypatch.setenv("USER", "zhangsan")
    assert entry_main(["add", "--yes", str(upload)], dotenv) == 0
    [entry] = Library(tmp_path / "from-env").entries()
    assert entry.added_by == "命令行（zhangsan）"  # the audit names who ran qa
    assert Library(tmp_path / "from-env").log()[0].by == "命令行（zhangsan）"
    capsys.readouterr()


def test_a_change_that_crashed_before_its_audit_line_is_logged_next_time(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from qa.library import auditlog

    folder = tmp_path / "reports"
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(REPORT, encoding="utf-8")
    second.write_text(REPORT.replace("第三党支部", "第五党支部"), encoding="utf-8")
    run(capsys, "add", "--yes", "--by", "张三", "--reports", str(folder), str(first))
    run(capsys, "add", "--yes", "--by", "李四", "--reports", str(folder), str(second))
    [added, _] = Library(folder).entries()
    run(capsys, "remove", "--yes", "--by", "王五", "--reports", str(folder), added.report_id)
    (folder / auditlog.AUDIT_NAME).unlink()  # as if each crashed right after its commit
    Library(folder).recover()
    logged = {(r.action, r.report_id, r.by) for r in Library(folder).log()}
    assert ("remove", added.report_id, "王五") in logged
    assert ("add", added.report_id, "张三") in logged  # from its removal record
    assert len(logged) == 3
    Library(folder).recover()
    assert len(Library(folder).log()) == 3  # never logged twice


def test_a_hand_placed_reports_text_digest_is_read_once_and_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each upload read every hand-placed file again to compare texts (12.5 s at 3.4×10⁴).
    from qa.documents.convert import convert_file
    from qa.errors import DuplicateReportError
    from qa.library.preview import build_preview
    from qa.reports import filestat

    monkeypatch.setattr(filestat, "RACY_NS", -10**18)  # the files here were written just now
    folder = tmp_path / "reports"
    (folder / ".qa-cache").mkdir(parents=True)
    for n in range(3):
        (folder / f"r{n}.txt").write_bytes(REPORT.replace("3名", f"{n}名").encode("gbk"))
    library = Library(folder)
    reads: list[str] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (
        reads.append(self.name) if self.suffix == ".txt" else None, original(self))[1])
    other = build_preview(convert_file("另一份报告\n一、工作\n开展学习。\n".encode(), "x.txt"))
    assert library.find_duplicate(other) is None and sorted(reads) == ["r0.txt", "r1.txt", "r2.txt"]
    assert library.find_duplicate(other) is None and len(reads) == 3  # remembered
    (folder / "r1.txt").write_bytes(REPORT.encode("utf-8"))  # changed: read again
    same = build_preview(convert_file(REPORT.replace("\n", "\r\n").encode(), "copy.txt"))
    assert library.find_duplicate(same) == library.entry("r1") and reads[3:] == ["r1.txt"]
    with pytest.raises(DuplicateReportError):
        library.refuse_duplicate(same)


def test_the_listing_is_what_a_glob_of_the_folder_gives(tmp_path: Path) -> None:
    # The folder is listed by name (no Path and no stat a file: 1.2 s of an upload at 3.4×10⁴
    # files); the ids, their order and the reports a replacement hides are the glob's.
    from qa.library.folder import _entry

    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("b.txt", "a.txt", ".hidden.txt", ".txt", "c.TXT", "d.txt.bak", "10.txt", "9.txt"):
        (folder / name).write_text(REPORT, encoding="utf-8")
    (folder / "dir.txt").mkdir()
    (folder / "reports.toml").write_text(
        '[reports.a]\ntitle = "甲"\nreplaces = "b"\n\n[reports.gone]\nreplaces = "9"\n\n'
        '[reports.dir]\nreplaces = "10"\n',
        encoding="utf-8")
    library = Library(folder)
    _, table = library._manifest()
    hidden = {f.get("replaces") for s, f in table.items() if (folder / f"{s}.txt").is_file()}
    globbed = tuple(_entry(p.stem, table.get(p.stem, {}))
                    for p in sorted(folder.glob("*.txt"), key=lambda p: p.name)
                    if p.stem not in hidden)
    assert library.entries() == globbed
    assert [e.report_id for e in globbed] == [".hidden", ".txt", "10", "9", "a", "dir"]
    assert Library(tmp_path / "nowhere").entries() == ()
