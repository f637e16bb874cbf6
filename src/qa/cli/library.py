"""``qa check``, ``qa add``, ``qa remove`` and ``qa log``: the reports folder from the command line.

``qa add`` never replaces a report unless told which one (``--replace ID``, or 替换 at the
prompt); ``--yes`` adds alongside a report of the same unit and year and says so. A file
already stored (same bytes or same text) is refused with the id it duplicates.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from qa.errors import QAError
from qa.library import (
    Library,
    LibraryEntry,
    Preview,
    apply_corrections,
    auditlog,
    preview_isolated,
)

YES = {"y", "yes", "是", "确认", "好"}
REPLACE = {"r", "replace", "替换", "t"}
KEEP_BOTH = {"s", "save", "另存", "new", "新增"}  # never "n": n cancels


class FileReadError(QAError):
    """A file named on the command line cannot be read."""


def add_parsers(sub: Any, common: argparse.ArgumentParser, user: str = "") -> None:
    """Register the library commands on the CLI's sub-parsers (``user``: who runs them, for
    the audit; the front end reads it from the environment)."""
    by = f"命令行（{user}）" if user else "命令行"
    p = sub.add_parser("check", parents=[common], help="预览一份报告文件（不收录）")
    p.add_argument("file", type=Path, help=".txt、.docx、.doc、.wps、.pdf 或页面照片")
    p = sub.add_parser("add", parents=[common], help="预览并收录一份报告文件")
    p.add_argument("file", type=Path, help=".txt、.docx、.doc、.wps、.pdf 或页面照片")
    p.add_argument("--title", default="", help="标题（默认从文件中识别）")
    p.add_argument("--unit", default="", help="单位（默认从标题中识别）")
    p.add_argument("--year", default="", help="年份（默认从标题或正文中识别）")
    p.add_argument("--by", default=by, help=f"审计记录中的添加人（默认：{by}）")
    p.add_argument("--yes", action="store_true",
                   help="不询问，直接收录（同单位同年份也另行收录，绝不替换）")
    p.add_argument("--replace", default="", metavar="编号", help="用这份文件替换已收录的报告")
    p = sub.add_parser("remove", parents=[common], help="删除报告（文件移入 removed/ 目录）")
    p.add_argument("id", help="报告编号或其前缀，如 005")
    p.add_argument("--by", default=by, help=f"审计记录中的删除人（默认：{by}）")
    p.add_argument("--yes", action="store_true", help="不询问，直接删除")
    p = sub.add_parser("log", parents=[common], help="收录、替换、删除的审计记录")
    p.add_argument("-n", type=int, default=0, metavar="条数", help="只看最近几条（默认全部）")


def read_preview(path: Path) -> Preview:
    """Read and convert a file; raise FileReadError or FileRefusedError on a bad one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileReadError(f"{path.name}：无法读取文件（{exc.strerror or exc}）") from exc
    return preview_isolated(data, path.name)  # a bomb kills the worker, not qa


def preview_text(preview: Preview) -> str:
    """Render a preview for the terminal."""
    lines = [
        f"《{preview.title}》",
        f"单位：{preview.unit or '（未识别）'}  "
        f"年份：{preview.year or '（未识别）'}{_covers(preview)}  "
        f"段落：{preview.passages}  文件：{preview.source.name}",
        "提纲：",
    ]
    lines += [
        f"{'  ' * o.depth}{o.title}  [{o.kind_name}] {o.passages} 段" for o in preview.outline
    ]
    lines += [f"注意：{w}" for w in preview.warnings]
    return "\n".join(lines)


def _covers(preview: Preview) -> str:
    """Say which year a report reviews when it is not the year it was written."""
    shown = preview.covers and preview.covers != preview.year
    return f"（回顾 {preview.covers} 年）" if shown else ""


def preview_json(preview: Preview) -> dict[str, Any]:
    """Return a preview as JSON data."""
    return {
        "file": preview.source.name,
        "format": preview.source.fmt,
        "title": preview.title,
        "unit": preview.unit,
        "year": preview.year,
        "covers": preview.covers or preview.year,
        "passages": preview.passages,
        "outline": [
            {"depth": o.depth, "title": o.title, "kind": o.kind, "passages": o.passages}
            for o in preview.outline
        ],
        "warnings": list(preview.warnings),
    }


def _ask(question: str) -> bool:
    print(question, end="", flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in YES


def _show(preview: Preview, as_json: bool) -> None:
    if as_json:
        print(json.dumps(preview_json(preview), ensure_ascii=False))
    else:
        print(preview_text(preview))


def cmd_check(args: argparse.Namespace) -> int:
    """Print what would be stored; a bad file is an error (exit 1)."""
    _show(read_preview(args.file), args.json)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Preview, refuse a duplicate, ask (unless --yes), then store; replace only when told."""
    preview = read_preview(args.file)
    given = {"标题": args.title, "单位": args.unit, "年份": args.year}
    corrections = "\n".join(f"{k}：{v}" for k, v in given.items() if v)
    if corrections:
        preview = apply_corrections(preview, corrections)
    _show(preview, args.json)
    library = Library(args.reports)
    library.refuse_duplicate(preview)
    if args.replace:
        old = library.entry(args.replace)
        if not args.yes and not _ask(f"用这份文件替换 {_label(old)}？[y/N] "):
            return _cancelled()
        return _store(library, preview, args.by, old.report_id)
    same = library.find_same(preview.unit, preview.year)
    if args.yes:
        if same:
            print(f"注意：已有同单位同年份的报告 {_labels(same)}，新报告另行收录，未替换"
                  f"（要替换请用 --replace {same[0].report_id}）。")
        return _store(library, preview, args.by, "")
    choice = _choose(same)
    return _cancelled() if choice is None else _store(library, preview, args.by, choice)


def _choose(same: tuple[LibraryEntry, ...]) -> str | None:
    """Ask what to do; return the id to replace, "" to add alongside, None to cancel."""
    if not same:
        return "" if _ask("确认收录？[y/N] ") else None
    print(f"已有同单位同年份的报告：{_labels(same)}")
    if len(same) == 1:
        answer = _answer("替换它（r）/ 另存为新报告（s）/ 取消（c）？[r/s/C] ")
        return same[0].report_id if answer in REPLACE else "" if answer in KEEP_BOTH else None
    answer = _answer("输入要替换的报告编号，或 另存（s）/ 取消（c）？[编号/s/C] ")
    chosen = [e.report_id for e in same if answer and e.report_id.startswith(answer)]
    return chosen[0] if len(chosen) == 1 else "" if answer in KEEP_BOTH else None


def _store(library: Library, preview: Preview, by: str, replace: str) -> int:
    entry = library.add(preview, by, replace=replace)
    done = f"已收录：{entry.report_id}《{entry.title}》"
    print(done + (f"，替换了 {replace}（原文件已移入 removed/）" if replace else ""))
    return 0


def _cancelled() -> int:
    print("已取消，未做任何修改。")
    return 0


def _answer(question: str) -> str:
    print(question, end="", flush=True)
    return sys.stdin.readline().strip().lower()


def _label(entry: LibraryEntry) -> str:
    return f"{entry.report_id}《{entry.title or entry.report_id}》"


def _labels(entries: tuple[LibraryEntry, ...]) -> str:
    return "、".join(_label(e) for e in entries)


def cmd_log(args: argparse.Namespace) -> int:
    """Print the audit log: every add, replace and remove with its author and sha256."""
    records = Library(args.reports).log()
    records = records[-args.n:] if args.n > 0 else records
    if args.json:
        for r in records:
            print(json.dumps(asdict(r), ensure_ascii=False))
    else:
        print("\n".join(auditlog.render(records)) if records else "还没有收录、替换或删除的记录。")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    """Ask (unless --yes), then move the report's files into removed/."""
    library = Library(args.reports)
    entry = library.entry(args.id)
    label = f"{entry.report_id}《{entry.title or entry.report_id}》"
    if not args.yes and not _ask(f"删除 {label}？文件将移入 removed/ 目录。[y/N] "):
        print("已取消，未做任何修改。")
        return 0
    library.remove(entry.report_id, args.by)
    print(f"已删除：{label}（文件在 {args.reports / 'removed'}）")
    return 0


LIBRARY_HANDLERS = {"check": cmd_check, "add": cmd_add, "remove": cmd_remove, "log": cmd_log}
