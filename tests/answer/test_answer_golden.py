"""Oracle: every evaluation question gets exactly the answer recorded in golden_answers.json.

Speed work must not change a single answer. When answers change on purpose, regenerate the
file with ``.venv/bin/python tools/answer_golden.py`` and review its diff in the same commit.
"""

from __future__ import annotations

import json

import pytest

from qa import QAEngine
from tools.answer_golden import EVAL, GOLDEN, SETS, record


@pytest.mark.parametrize("name", SETS)
def test_answers_are_the_recorded_ones(seeds_engine: QAEngine, name: str) -> None:
    if not (EVAL / name).is_file():
        pytest.skip(f"../shared/eval/{name} is not beside the repo")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    got = record(seeds_engine, EVAL / name)
    changed = sorted(i for i in expected.keys() | got.keys() if expected.get(i) != got.get(i))
    assert not changed, (
        f"{len(changed)} answers differ from {GOLDEN.name} (first: {changed[:5]}); if on "
        "purpose, regenerate it with tools/answer_golden.py"
    )
