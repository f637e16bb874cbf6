"""``qa``: the offline face of the bot, a thin CLI over the same core."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from qa.answer import evaluate, read_gold
from qa.engine import QAEngine, figures_store, open_engine
from qa.errors import QAError
from qa.figures import (
    Comparison,
    FigureTable,
    can_chart,
    compare_unit,
    comparison_json,
    figure_json,
    figures_csv_parts,
    render_comparison,
    render_comparison_png,
    render_figures,
    render_metrics,
    unit_trend,
)
from qa.language import library_names
from qa.models import KIND_NAMES, LISTED_KINDS, Answer, Report, shown_hits

from .commands import CLI_COMMANDS
from .library import LIBRARY_HANDLERS, add_parsers
from .render import render_suggestion, render_text

DEFAULT_REPORTS = Path("seeds")
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command-line input; printed as a hint with exit code 2."""


def answer_json(answer: Answer, k: int) -> dict[str, Any]:
    """Return the JSON contract for one answer (other tools rely on these keys)."""
    return {
        "question": answer.question,
        "intent": answer.intent,
        "found": answer.found,
        "answer": render_text(answer),
        "hits": [
            {
                "report_id": h.passage.report_id,
                "report_title": h.passage.report_title,
                "section": h.passage.section,
                "text": h.passage.text,
                "score": round(h.score, 4),
                "passage_id": h.passage.passage_id,
            }
            # Every passage the text lists (an outline's items each), then further hits to k.
            for h in shown_hits(answer, k)
        ],
        "suggestions": [render_suggestion(s) for s in answer.suggestions],
        "notice": answer.notice,
        "lead": answer.lead,
        "smalltalk": answer.smalltalk,
        "scope": answer.scope,
    }


def report_json(report: Report, outline: bool = False) -> dict[str, Any]:
    """Return a report's metadata, and with ``outline`` its sections."""
    data: dict[str, Any] = {
        "report_id": report.report_id,
        "title": report.title,
        "unit": report.unit,
        "year": report.year,
        "passages": len(report.passages),
    }
    if outline:
        data["sections"] = [
            {
                "index": s.index,
                "title": s.title or "（前言）",
                "kind": s.kind,
                "passages": len(s.passages),
            }
            for s in report.sections
        ]
    return data


def _emit(data: Any, as_json: bool, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if as_json else text)


def cmd_ask(engine: QAEngine, args: argparse.Namespace) -> int:
    """Answer the question(s); ``-`` reads one question per line from stdin."""
    k = args.k or engine.top_k
    if args.question == ["-"]:
        for line in sys.stdin:
            if line.strip():
                answer = engine.ask(line.strip(), k, context=args.after)
                _emit(answer_json(answer, k), args.json, render_text(answer))
        return 0
    question = " ".join(args.question).strip()
    if not question:
        raise UsageError("请给出问题，例如：qa ask 今年发展了多少党员")
    answer = engine.ask(question, k, context=args.after)
    _emit(answer_json(answer, k), args.json, render_text(answer))
    return 0


def cmd_section(engine: QAEngine, args: argparse.Namespace) -> int:
    """List problems / plans / highlights, optionally narrowed by a keyword."""
    answer = engine.section_answer(args.command, " ".join(args.keyword))
    _emit(answer_json(answer, len(answer.hits)), args.json, render_text(answer))
    return 0


def cmd_rectify(engine: QAEngine, args: argparse.Namespace) -> int:
    """List each report's problems with the plan and 整改 items answering them."""
    answer = engine.rectify(" ".join(args.keyword))
    _emit(answer_json(answer, len(answer.hits)), args.json, render_text(answer))
    return 0


def cmd_reports(engine: QAEngine, args: argparse.Namespace) -> int:
    """List the loaded reports (and the files that could not be read)."""
    rows = [report_json(r) for r in engine.reports]
    lines = [f"{r['report_id']}  《{r['title']}》  {r['passages']} 段" for r in rows]
    lines += [f"（未载入）{name}：{why}" for name, why in engine.skipped]
    _emit(rows, args.json, "\n".join(lines))
    return 0


def cmd_report(engine: QAEngine, args: argparse.Namespace) -> int:
    """Show one report's outline: sections with kinds and passage counts."""
    report = engine.report(args.id)
    data = report_json(report, outline=True)
    lines = [f"《{report.title}》 {report.report_id}"]
    lines += [
        f"  {s['index']}. {s['title']}  [{KIND_NAMES.get(s['kind'], s['kind'])}] {s['passages']} 段"
        for s in data["sections"]
    ]
    _emit(data, args.json, "\n".join(lines))
    return 0


def cmd_eval(engine: QAEngine, args: argparse.Namespace) -> int:
    """Score the engine on a gold JSONL file."""
    result = evaluate(
        read_gold(Path(args.file)), lambda q: engine.ask(q, args.k), render_text, args.k
    )
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return 0
    for line in result.failures if args.verbose else ():
        print("  ✗", line)
    print(f"questions {result.questions}")
    print(f"hit@1 {result.hit_at_1:.3f}  hit@3 {result.hit_at_3:.3f}  MRR {result.mrr:.3f}")
    print(f"recall(all) {result.recall_all:.3f}  abstention {result.abstention:.3f}")
    print(f"fact@200 {result.fact_at_200:.3f}  noise hits {result.noise_hits}")
    if result.by_category:
        print("by category (fully right): " + "  ".join(
            f"{cat} {value:.2f} ({n})" for cat, value, n in result.by_category))
    return 0


def cmd_figures(engine: QAEngine, args: argparse.Namespace) -> int:
    """List the figures of every report, or of one (--report); text, CSV or JSON."""
    if args.csv and args.json:
        raise UsageError("--csv 与 --json 只能选一个")
    if args.report:  # one report: extracted at once, and the store keeps every report's
        table = FigureTable.from_reports([engine.report(args.report)])
    else:
        table = FigureTable.from_reports(engine.reports, figures_store(args.reports))
    if args.csv:
        # A byte-order mark, or Excel (the staff's tool) reads UTF-8 as the local code page.
        sys.stdout.write("\ufeff")
        sys.stdout.writelines(figures_csv_parts(table.figures))  # never whole: 200 MB at 10⁶
        return 0
    rows = [figure_json(f) for f in table.figures]
    _emit(rows, args.json, render_figures(table.figures, table.reports))
    return 0


def cmd_compare(engine: QAEngine, args: argparse.Namespace) -> int:
    """Compare a metric across reports (the extreme first); without one, list the metrics."""
    phrase = " ".join(args.metric).strip()
    if not phrase:
        if args.chart:
            raise UsageError("画图需要指标，例如：qa compare 发展党员 --chart 发展党员.png")
        metrics = FigureTable.from_reports(engine.reports, figures_store(args.reports)).metrics(
            min_reports=2)
        _emit({"metrics": list(metrics)}, args.json, render_metrics(metrics))
        return 0
    names = library_names(engine.reports, engine.language.unit_aliases)
    comparison = (_unit_comparison(engine, phrase, args) if args.unit else
                  unit_trend(phrase, engine.reports, names)
                  or FigureTable.from_reports(engine.reports, figures_store(args.reports))
                  .compare(phrase))
    _emit(comparison_json(comparison), args.json, render_comparison(comparison))
    if args.chart:
        _write_chart(comparison, args.chart)
    return 0


def _unit_comparison(engine: QAEngine, phrase: str, args: argparse.Namespace) -> Comparison:
    """Issue 19: one unit's figure by year (``--unit 县直工委``, ``--years 3``)."""
    names = library_names(engine.reports, engine.language.unit_aliases)
    comparison = compare_unit(phrase, engine.reports, names, args.unit, args.years or -1)
    if comparison is None:
        raise UsageError(f"没有找到单位「{args.unit}」的报告（qa reports 查看全部报告）")
    return comparison


def _write_chart(comparison: Comparison, path: Path) -> None:
    # The library returns bytes; only the front end decides where they go.
    if not can_chart(comparison):
        print("提示：数值不足两个，未生成图表", file=sys.stderr)
        return
    try:
        path.write_bytes(render_comparison_png(comparison))
    except OSError as exc:
        raise QAError(f"无法写入图表文件 {path}：{exc.strerror or exc}") from exc
    print(f"图表已保存：{path}", file=sys.stderr)


HANDLERS: dict[str, Callable[[QAEngine, argparse.Namespace], int]] = {
    "ask": cmd_ask,
    **{kind: cmd_section for kind in LISTED_KINDS},
    "rectify": cmd_rectify,
    "reports": cmd_reports,
    "report": cmd_report,
    "eval": cmd_eval,
    "figures": cmd_figures,
    "compare": cmd_compare,
}


def build_parser(reports: Path = DEFAULT_REPORTS, user: str = "") -> argparse.ArgumentParser:
    """Build the argument parser from the shared command registry (``reports``: the default
    folder, which the front end reads from QA_REPORTS_DIR like the bot)."""
    parser = argparse.ArgumentParser(prog="qa", description="党建工作报告问答（离线命令行）")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--reports", type=Path, default=reports,
        help=f"报告目录（默认取 QA_REPORTS_DIR，与机器人相同；现为 {reports}）",
    )
    common.add_argument("--json", action="store_true", help="输出 JSON")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for command in CLI_COMMANDS:
        p = sub.add_parser(command.name, parents=[common], help=command.description)
        if command.name == "ask":
            p.add_argument("--k", type=int, default=None, help="返回条数（默认 5）")
            p.add_argument("question", nargs="*", help="问题；用 - 从标准输入逐行读取")
            p.add_argument(
                "--after", default=None, metavar="上一问",
                help="把问题当作这句之后的追问（如：--after 今年发展了多少党员 那003呢）",
            )
        elif command.name in (*LISTED_KINDS, "rectify"):
            p.add_argument("keyword", nargs="*", help="关键词（可选）")
        elif command.name == "report":
            p.add_argument("id", help="报告编号或其前缀，如 000")
    p = sub.add_parser("eval", parents=[common], help="用标注集评测（hit@1、fact@200 等）")
    p.add_argument("file", help="JSONL 标注文件")
    p.add_argument("--k", type=int, default=5, help="取前 k 条（默认 5）")
    p.add_argument("-v", "--verbose", action="store_true", help="列出未命中的问题")
    add_parsers(sub, common, user)
    _add_figure_parsers(sub, common)
    return parser


def _add_figure_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("figures", parents=[common], help="列出报告中的数字（可导出 CSV/JSON）")
    p.add_argument("--report", help="只看某份报告，编号或其前缀，如 000")
    p.add_argument("--csv", action="store_true", help="输出 CSV（中文表头）")
    p = sub.add_parser("compare", parents=[common], help="比较各报告的同一指标，如 发展党员")
    p.add_argument("metric", nargs="*", help="指标；省略时列出可比较的指标")
    p.add_argument("--chart", type=Path, help="另存柱状图 PNG 到此文件")
    p.add_argument("--unit", default="", help="只看一个单位，按年份排列（如：--unit 县直工委）")
    p.add_argument("--years", type=int, default=0, help="配合 --unit：只看最近几年（默认全部）")


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run the CLI; library errors become one friendly line, never a traceback.

    ``env`` is the configuration the entry point read (environment over ``.env``, as the bot
    reads it); this module never reads the environment itself.
    """
    configured = (env or {}).get("QA_REPORTS_DIR", "").strip()
    user = (env or {}).get("USER", "") or (env or {}).get("LOGNAME", "")  # the audit's author
    parser = build_parser(Path(configured) if configured else DEFAULT_REPORTS, user.strip())
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    if getattr(args, "k", None) is not None and args.k < 1:
        print("错误：--k 必须是正整数", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command in LIBRARY_HANDLERS:  # these work on files, not on a loaded engine
            return LIBRARY_HANDLERS[args.command](args)
        engine = open_engine(args.reports)
        for name, why in engine.skipped:
            print(f"警告：跳过 {name}：{why}", file=sys.stderr)
        return HANDLERS[args.command](engine, args)
    except UsageError as exc:
        print(f"用法：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except QAError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the boundary: a bug is one line, not a traceback
        print(f"内部错误：{type(exc).__name__}: {exc}（请把这条信息反馈给维护者）", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
