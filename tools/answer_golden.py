"""Record every evaluation question's answer on the seeds: tests/answer/golden_answers.json.

    .venv/bin/python tools/answer_golden.py

The golden file is the oracle of tests/answer/test_answer_golden.py, which fails when any
answer (rendered text, found or not, hit passage ids, highlight spans) differs. Speed work must
leave it unchanged. A change that alters answers ON PURPOSE (better wording, a new answer kind)
regenerates it with the command above, in the same commit, so the diff shows every changed
answer for review. Questions come from ../shared/eval (dev, dev2, dev4), beside the repo.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qa import QAEngine  # noqa: E402
from qa.answer import read_gold  # noqa: E402
from qa.cli.render import render_text  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
SETS = ("dev.jsonl", "dev2.jsonl", "dev4.jsonl")
GOLDEN = ROOT / "tests" / "answer" / "golden_answers.json"


def record(engine: QAEngine, path: Path) -> dict[str, dict[str, Any]]:
    """Return each question's answer as the oracle compares it, keyed by the question's id."""
    out: dict[str, dict[str, Any]] = {}
    for row in read_gold(path):
        answer = engine.ask(row["q"], 5)
        out[row["id"]] = {
            "q": row["q"],
            "found": answer.found,
            "hits": [h.passage.passage_id for h in answer.hits],
            "spans": [[list(s) for s in q.spans] for q in answer.quotes],
            "text": render_text(answer),
        }
    return out


def main() -> int:
    """Answer every question of the evaluation sets on the seeds and write the golden file."""
    engine = QAEngine.from_directory(ROOT / "seeds")
    golden = {name: record(engine, EVAL / name) for name in SETS}
    text = json.dumps(golden, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    GOLDEN.write_text(text, encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}: {sum(map(len, golden.values()))} answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
