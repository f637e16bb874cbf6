"""``qa check``, ``qa add`` and ``qa remove``: the reports folder from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .convert import convert_file
from .errors import QAError
from .library import Library, LibraryEntry
from .preview import Preview, apply_corrections, build_preview

YES = {"y", "yes", "是", "确认", "好"}


class FileReadError(QAError):
    """A file named on the command line cannot be read."""


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register the three library commands on the CLI's sub-parsers."""
    p = sub.add_parser("check", parents=[common], help="预览一份报告文件（不收录）")
    p.add_argument("file", type=Path, help=".txt、.docx、.doc、.wps、.pdf 或页面照片")
    p = sub.add_parser("add", parents=[common], help="预览并收录一份报告文件")
    p.add_argument("file", type=Path, help=".txt、.docx、.doc、.wps、.pdf 或页面照片")
    p.add_argument("--title", default="", help="标题（默认从文件中识别）")
    p.add_argument("--unit", default="", help="单位（默认从标题中识别）")
    p.add_argument("--year", default="", help="年份（默认从标题或正文中识别）")
    p.add_argument("--by", default="命令行", help="审计记录中的添加人（默认：命令行）")
    p.add_argument("--yes", action="store_true", help="不询问，直接收录（同单位同年份则替换）")
    p = sub.add_parser("remove", parents=[common], help="删除报告（文件移入 removed/ 目录）")
    p.add_argument("id", help="报告编号或其前缀，如 005")
    p.add_argument("--by", default="命令行", help="审计记录中的删除人（默认：命令行）")
    p.add_argument("--yes", action="store_true", help="不询问，直接删除")


def read_preview(path: Path) -> Preview:
    """Read and convert a file; raise FileReadError or FileRefusedError on a bad one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileReadError(f"{path.name}：无法读取文件（{exc.strerror or exc}）") from exc
    return build_preview(convert_file(data, path.name))


def preview_text(preview: Preview) -> str:
    """Render a preview for the terminal."""
    lines = [
        f"《{preview.title}》",
        f"单位：{preview.unit or '（未识别）'}  年份：{preview.year or '（未识别）'}  "
        f"段落：{preview.passages}  文件：{preview.source.name}",
        "提纲：",
    ]
    lines += [
        f"{'  ' * o.depth}{o.title}  [{o.kind_name}] {o.passages} 段" for o in preview.outline
    ]
    lines += [f"注意：{w}" for w in preview.warnings]
    return "\n".join(lines)


def preview_json(preview: Preview) -> dict[str, Any]:
    """Return a preview as JSON data."""
    return {
        "file": preview.source.name,
        "format": preview.source.fmt,
        "title": preview.title,
        "unit": preview.unit,
        "year": preview.year,
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
    """Preview, ask (unless --yes), then store; same unit and year asks to replace."""
    preview = read_preview(args.file)
    given = {"标题": args.title, "单位": args.unit, "年份": args.year}
    corrections = "\n".join(f"{k}：{v}" for k, v in given.items() if v)
    if corrections:
        preview = apply_corrections(preview, corrections)
    _show(preview, args.json)
    if not args.yes and not _ask("确认收录？[y/N] "):
        print("已取消，未做任何修改。")
        return 0
    library = Library(args.reports)
    replace = _choose_replacement(library.find_same(preview.unit, preview.year), args.yes)
    entry = library.add(preview, args.by, replace=replace)
    done = f"已收录：{entry.report_id}《{entry.title}》"
    print(done + (f"，替换了 {replace}（原文件已移入 removed/）" if replace else ""))
    return 0


def _choose_replacement(same: tuple[LibraryEntry, ...], yes: bool) -> str:
    if not same:
        return ""
    names = "、".join(f"{e.report_id}《{e.title or e.report_id}》" for e in same)
    if len(same) > 1:
        print(f"注意：已有多份同单位同年份的报告（{names}），新报告将另行收录，不替换。")
        return ""
    if yes or _ask(f"已有同单位同年份的报告 {names}，替换它吗？[y/N] "):
        return same[0].report_id
    return ""


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


LIBRARY_HANDLERS = {"check": cmd_check, "add": cmd_add, "remove": cmd_remove}
