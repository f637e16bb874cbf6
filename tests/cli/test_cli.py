"""The ``qa`` CLI: JSON contract, stdin mode, outlines, eval, and friendly errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from qa.cli.commands import CLI_COMMANDS
from qa.cli.main import main
from qa_bot.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
HIT_KEYS = {"report_id", "report_title", "section", "text", "score", "passage_id"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_contract(capsys: pytest.CaptureFixture[str], corpus_dir: Path) -> None:
    code, out, _ = run(
        capsys, "ask", "--json", "--k", "2", "--reports", str(corpus_dir), "志愿服务"
    )
    data = json.loads(out)
    assert code == 0
    assert {"question", "intent", "found", "answer", "hits"} <= set(data)
    assert data["found"] is True and data["question"] == "志愿服务"
    assert 1 <= len(data["hits"]) <= 2 and set(data["hits"][0]) == HIT_KEYS
    assert data["hits"][0]["report_id"] == "b_report"
    assert data["answer"].startswith("开展志愿服务活动20次，服务群众500余人次。")
    assert "——《某中心2023年党建工作报告》 › 一、工作开展情况" in data["answer"]


def test_ask_stdin_one_json_line_per_question(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("志愿服务\n\n食堂几点开饭\n存在哪些问题\n"))
    code, out, _ = run(capsys, "ask", "--json", "--reports", str(corpus_dir), "-")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(r["question"], r["found"]) for r in rows] == [
        ("志愿服务", True),
        ("食堂几点开饭", False),
        ("存在哪些问题", True),
    ]
    assert rows[1]["hits"] == [] and rows[1]["answer"].startswith("没找到")


def test_empty_question_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path
) -> None:
    code, out, err = run(capsys, "ask", "--reports", str(corpus_dir), "  ")
    assert code == 2 and out == "" and "qa ask" in err


def test_bad_k_and_missing_folder_are_friendly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "ask", "--k", "0", "问题")[0] == 2
    code, _, err = run(capsys, "reports", "--reports", str(tmp_path / "none"))
    assert code == 1 and err.startswith("错误：报告目录不存在") and "Traceback" not in err


def test_unknown_report_is_friendly(capsys: pytest.CaptureFixture[str], corpus_dir: Path) -> None:
    code, _, err = run(capsys, "report", "zzz", "--reports", str(corpus_dir))
    assert code == 1 and "可用编号" in err


def test_report_outline_json(capsys: pytest.CaptureFixture[str], corpus_dir: Path) -> None:
    code, out, _ = run(capsys, "report", "a", "--json", "--reports", str(corpus_dir))
    data = json.loads(out)
    assert code == 0 and data["report_id"] == "a_report"
    assert [(s["kind"], s["passages"]) for s in data["sections"]] == [
        ("work", 3),
        ("problems", 2),
        ("plans", 2),
    ]


def test_section_commands(capsys: pytest.CaptureFixture[str], corpus_dir: Path) -> None:
    code, out, _ = run(capsys, "problems", "--reports", str(corpus_dir))
    assert code == 0 and out.startswith("【存在问题】共 3 份报告")
    code, out, _ = run(capsys, "plans", "--json", "--reports", str(corpus_dir), "品牌")
    data = json.loads(out)
    assert {h["report_id"] for h in data["hits"]} == {"b_report", "c_report"}


def test_reports_lists_skipped_files(capsys: pytest.CaptureFixture[str], corpus_dir: Path) -> None:
    (corpus_dir / "x.txt").write_bytes(b"\x00\x00")
    code, out, err = run(capsys, "reports", "--reports", str(corpus_dir))
    assert code == 0 and "a_report" in out and "x.txt" in out and "x.txt" in err


def test_long_question_is_cut_with_notice(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path
) -> None:
    _, out, _ = run(capsys, "ask", "--json", "--reports", str(corpus_dir), "志愿服务" * 100)
    assert "只取前" in json.loads(out)["notice"]


def test_eval_prints_every_metric(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"q": "发展了多少党员", "mode": "any", "answers": [{"report": "a", "text": "发展党员5名"}]},
        {"q": "食堂几点开饭", "mode": "none", "answers": []},
    ]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    code, out, _ = run(capsys, "eval", "--json", "--reports", str(corpus_dir), str(gold))
    data = json.loads(out)
    assert code == 0
    assert (data["hit_at_1"], data["fact_at_200"], data["abstention"], data["noise_hits"]) == (
        1,
        1,
        1,
        0,
    )
    gold.write_text("{broken", encoding="utf-8")
    code, _, err = run(capsys, "eval", "--reports", str(corpus_dir), str(gold))
    assert code == 1 and "第 1 行" in err


def test_every_cli_command_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"/{command.name}" in readme, command.name
    for cli_command in CLI_COMMANDS:
        assert f"qa {cli_command.name}" in readme, cli_command.name
    assert "qa eval" in readme
    # CLI commands beyond the question commands.
    for name in ("figures", "compare", "check", "add", "remove"):
        assert f"qa {name}" in readme, name


def test_ask_after_re_asks_for_another_report(capsys: pytest.CaptureFixture[str]) -> None:
    seeds = str(ROOT / "seeds")
    code, out, _ = run(
        capsys, "ask", "--json", "--reports", seeds, "--after", "今年发展了多少党员", "那003呢"
    )
    data = json.loads(out)
    assert code == 0 and data["found"] and data["hits"][0]["report_id"].startswith("003")
    assert "87名" in data["lead"]


def test_ask_after_expands_the_previous_answer(capsys: pytest.CaptureFixture[str]) -> None:
    seeds = str(ROOT / "seeds")
    _, plain, _ = run(capsys, "ask", "--reports", seeds, "双报到报到率是多少")
    code, more, _ = run(
        capsys, "ask", "--reports", seeds, "--after", "双报到报到率是多少", "还有呢"
    )
    assert code == 0 and len(more) > len(plain) and "报到率" in more


def test_thanks_gets_a_short_reply(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "--reports", str(ROOT / "seeds"), "谢谢！")
    assert code == 0 and out.strip() == "不客气！还有问题随时问我。"


FIGURE_KEYS = {
    "report_id",
    "unit",
    "year",
    "section",
    "metric",
    "metric_raw",
    "value",
    "measure",
    "approx",
    "redacted",
    "text",
    "sentence",
    "passage_id",
}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return a copy of the seeds, so the CLI's caches never land in the repository's seeds/."""
    import shutil

    target = tmp_path_factory.mktemp("seeds") / "seeds"
    shutil.copytree(ROOT / "seeds", target, ignore=shutil.ignore_patterns(".qa-*"))
    return str(target)


def test_figures_json_contract(capsys: pytest.CaptureFixture[str], seeds: str) -> None:
    code, out, _ = run(capsys, "figures", "--json", "--report", "003", "--reports", seeds)
    rows = json.loads(out)
    assert code == 0 and all(set(r) == FIGURE_KEYS for r in rows)
    assert {r["report_id"][:3] for r in rows} == {"003"}
    joined = [r for r in rows if r["metric"] == "发展党员"]
    assert [(r["value"], r["measure"], r["metric_raw"]) for r in joined] == [
        (87, "名", "新发展党员")
    ]
    assert joined[0]["sentence"].endswith("新发展党员87名。")


def test_figures_redacted_are_null_in_json(capsys: pytest.CaptureFixture[str], seeds: str) -> None:
    code, out, _ = run(capsys, "figures", "--json", "--report", "004", "--reports", seeds)
    redacted = [r for r in json.loads(out) if r["redacted"]]
    assert code == 0 and len(redacted) == 4 and all(r["value"] is None for r in redacted)


def test_figures_csv_parses_with_chinese_headers(
    capsys: pytest.CaptureFixture[str], seeds: str
) -> None:
    import csv

    code, out, _ = run(capsys, "figures", "--csv", "--reports", seeds)
    assert code == 0 and out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(rows) == 77 and rows[0]["报告编号"].startswith("000")
    assert {r["数字已隐去"] for r in rows} == {"", "是"}


def test_figures_csv_and_json_together_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], seeds: str
) -> None:
    code, out, err = run(capsys, "figures", "--csv", "--json", "--reports", seeds)
    assert code == 2 and out == "" and err.startswith("用法：")


def test_compare_json_contract(capsys: pytest.CaptureFixture[str], seeds: str) -> None:
    code, out, _ = run(capsys, "compare", "新发展党员", "--json", "--reports", seeds)
    data = json.loads(out)
    assert code == 0 and data["found"] is True
    assert (data["query"], data["metric"], data["measure"]) == ("新发展党员", "发展党员", "人")
    rows = [(r["report_id"][:3], r["rank"], r["status"]) for r in data["rows"]]
    assert rows == [
        ("003", 1, "value"),
        ("000", 2, "value"),
        ("001", 3, "value"),
        ("002", None, "missing"),
        ("004", None, "missing"),
    ]
    assert data["rows"][0]["figure"]["value"] == 87 and data["rows"][3]["figure"] is None
    assert set(data["rows"][0]["figure"]) == FIGURE_KEYS


def test_compare_text_cites_and_marks(capsys: pytest.CaptureFixture[str], seeds: str) -> None:
    code, out, _ = run(capsys, "compare", "宣讲", "--reports", seeds)
    lines = out.splitlines()
    assert code == 0 and lines[1] == "1. 机关党委（001，2023年） 100余次（约数）"
    assert "——《机关党委2023年党建工作报告》 › 一、履职情况" in lines[2]
    assert lines[-1] == "未提及：党组（002，2023年）、党委（004，2022年）"


def test_compare_without_metric_lists_shared_metrics(
    capsys: pytest.CaptureFixture[str], seeds: str
) -> None:
    code, out, _ = run(capsys, "compare", "--json", "--reports", seeds)
    metrics = json.loads(out)["metrics"]
    assert code == 0 and metrics[0] == "发展党员" and "中心组学习" in metrics


def test_compare_chart_writes_a_png(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds: str
) -> None:
    target = tmp_path / "chart.png"
    code, _, err = run(capsys, "compare", "发展党员", "--chart", str(target), "--reports", seeds)
    assert code == 0 and target.read_bytes().startswith(b"\x89PNG") and "图表已保存" in err
    single = tmp_path / "one.png"
    code, _, err = run(capsys, "compare", "网评", "--chart", str(single), "--reports", seeds)
    assert code == 0 and not single.exists() and "数值不足两个" in err


def test_compare_chart_errors_are_friendly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds: str
) -> None:
    bad = tmp_path / "no" / "such" / "dir" / "c.png"
    code, _, err = run(capsys, "compare", "发展党员", "--chart", str(bad), "--reports", seeds)
    assert code == 1 and err.startswith("错误：无法写入图表文件") and "Traceback" not in err
    code, _, err = run(capsys, "compare", "--chart", str(tmp_path / "x.png"), "--reports", seeds)
    assert code == 2 and err.startswith("用法：")


def test_compare_unknown_metric_is_not_found(
    capsys: pytest.CaptureFixture[str], seeds: str
) -> None:
    code, out, _ = run(capsys, "compare", "食堂开饭", "--reports", seeds)
    assert code == 0 and out.startswith("没有报告提到「食堂开饭」")
