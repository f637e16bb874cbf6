"""`qa rectify` and the JSON contract (issue 20) end to end through ``main(argv)``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return a copy of the seeds, so the CLI's caches never land in the repository's seeds/."""
    target = tmp_path_factory.mktemp("seeds") / "seeds"
    shutil.copytree(ROOT / "seeds", target, ignore=shutil.ignore_patterns(".qa-*"))
    return str(target)


def test_rectify_prints_each_problem_with_its_items(
    capsys: pytest.CaptureFixture[str], years_dir: Path
) -> None:
    code, out, _ = run(capsys, "rectify", "--reports", str(years_dir))
    assert code == 0
    blocks = out.split("\n\n")
    assert blocks[0] == "共 4 个问题，其中 4 个在计划或整改中有对应条目"
    training = next(b for b in blocks if b.startswith("问题：一是党员教育培训不够系统"))
    assert "  → 下步计划：一是分级分批开展党员培训" in training
    assert "  → 次年报告：一是针对党员教育培训不够系统的问题" in training
    assert "    ——《某局2023年党建工作总结》 › 一、问题整改情况" in training


def test_rectify_json_hits_are_the_passages_shown(
    capsys: pytest.CaptureFixture[str], years_dir: Path
) -> None:
    code, out, _ = run(capsys, "rectify", "--json", "--reports", str(years_dir), "志愿服务")
    data = json.loads(out)
    assert code == 0 and data["found"] and data["intent"] == "rectification"
    assert [h["text"][:6] for h in data["hits"]] == ["二是志愿服务", "二是丰富志愿", "二是针对志愿"]
    assert [h["report_id"] for h in data["hits"]] == ["100_a", "100_a", "101_b"]


def test_rectify_a_report_without_a_rectification_heading(
    capsys: pytest.CaptureFixture[str], seeds: str
) -> None:
    # 002 has problems and plans but no 「问题整改」 heading: its problems get its plan items.
    code, out, _ = run(capsys, "rectify", "--reports", seeds, "002")
    assert code == 0 and "→ 下步计划：" in out
    assert "问题：三是抓拒腐防变的制度体系建设还不够完善" in out
    assert "《党组2023年党建工作总结及下一步工作计划》 › 四、下步打算" in out


def test_asking_what_a_report_without_the_heading_rectified(
    capsys: pytest.CaptureFixture[str], seeds: str
) -> None:
    code, out, _ = run(capsys, "ask", "--reports", seeds, "002那份报告整改了啥")
    assert code == 0 and not out.startswith("没找到")
    assert out.startswith("002的报告中没有「问题整改」部分。")
    assert "细化为18项具体落实举措" in out


def test_a_named_problem_gets_its_plan_items(
    capsys: pytest.CaptureFixture[str], seeds: str
) -> None:
    question = "003说工委示范培训多、部门自己内训少，后面打算怎么解决"
    code, out, _ = run(capsys, "ask", "--json", "--reports", seeds, question)
    data = json.loads(out)
    assert code == 0 and data["found"]
    assert "分级分批抓好全体党员培训" in data["hits"][0]["text"]
    assert "分级分批抓好全体党员培训" in data["answer"][:200]
    assert "工委示范培训用力多" in data["hits"][-1]["text"]  # the problem, cited last


def test_outline_json_lists_every_item_shown(
    capsys: pytest.CaptureFixture[str], seeds: str
) -> None:
    code, out, _ = run(capsys, "ask", "--json", "--k", "2", "--reports", seeds,
                       "003的下步工作打算")
    data = json.loads(out)
    listed = [line.removeprefix("  · ") for line in data["answer"].splitlines()
              if line.startswith("  · ")]
    assert code == 0 and len(listed) == 4
    # Four plan items shown: four passages, whatever --k, each under its item heading.
    assert [h["section"].split(" › ")[-1] for h in data["hits"]] == listed
    assert len({h["passage_id"] for h in data["hits"]}) == 4
