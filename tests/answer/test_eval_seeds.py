"""Regression guard: the dev questions and our own held-out questions keep their scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import QAEngine
from qa.answer.evaluate import EvalReport, evaluate, read_gold
from qa.cli.render import render_text

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
HOLDOUT = ROOT / "bench" / "holdout.jsonl"


def score(engine: QAEngine, path: Path) -> EvalReport:
    return evaluate(read_gold(path), lambda q: engine.ask(q, 5), render_text, 5)


@pytest.mark.skipif(not DEV.is_file(), reason="../shared/eval/dev.jsonl is not beside the repo")
def test_dev_set_meets_the_targets(seeds_engine: QAEngine) -> None:
    result = score(seeds_engine, DEV)
    assert result.hit_at_1 >= 0.95 and result.fact_at_200 >= 0.95, result.failures
    assert result.recall_all == 1.0 and result.abstention == 1.0, result.failures
    assert result.noise_hits == 0


def test_held_out_questions_stay_good(seeds_engine: QAEngine) -> None:
    # Written after the dev targets were met; it checks that method changes generalise and
    # is never used to special-case single answers.
    result = score(seeds_engine, HOLDOUT)
    assert result.hit_at_1 >= 0.9 and result.fact_at_200 >= 0.9, result.failures
    assert result.abstention == 1.0 and result.noise_hits == 0


DEV2 = ROOT.parent / "shared" / "eval" / "dev2.jsonl"


@pytest.mark.skipif(not DEV2.is_file(), reason="../shared/eval/dev2.jsonl is not beside the repo")
def test_questions_typed_like_staff_type_keep_their_scores(seeds_engine: QAEngine) -> None:
    # Guards the issue-8 level reached (see README); a drop means a method change hurt.
    result = score(seeds_engine, DEV2)
    assert result.hit_at_1 >= 0.9 and result.fact_at_200 >= 0.9, result.failures
    assert result.recall_all >= 0.95 and result.abstention >= 0.9, result.failures
    assert result.noise_hits == 0


def test_our_third_development_set_keeps_its_scores(seeds_engine: QAEngine) -> None:
    # bench/dev3.jsonl: section wordings and paraphrases written after dev2 was met.
    result = score(seeds_engine, ROOT / "bench" / "dev3.jsonl")
    assert result.hit_at_1 >= 0.8 and result.recall_all >= 0.9, result.failures
    assert result.abstention >= 0.85 and result.noise_hits == 0
