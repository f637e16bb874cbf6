"""Score an engine against a gold file shaped like ``shared/eval/dev.jsonl``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import QAError
from qa.models import Answer, Hit
from qa.reports import has_noise

FACT_WINDOW = 200


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The dev-set metrics; each is a share in [0, 1] except ``noise_hits`` (a count)."""

    questions: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    recall_all: float
    abstention: float
    fact_at_200: float
    noise_hits: int
    failures: tuple[str, ...]
    # Per `cat` of the gold file: the share of its questions fully right (abstained for
    # "none", every answer found for "all", first hit and fact in the window for "any").
    by_category: tuple[tuple[str, float, int], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the metrics as a JSON-ready dict."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL gold file; raise QAError naming the bad line."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QAError(f"无法读取评测文件 {path}：{exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QAError(f"{path.name} 第 {number} 行不是合法 JSON：{exc.msg}") from exc
        if not isinstance(row, dict) or "q" not in row:
            raise QAError(f"{path.name} 第 {number} 行缺少字段 q")
        rows.append(row)
    return rows


def _alternatives(gold: dict[str, Any]) -> list[str]:
    text = gold.get("text", [])
    return [text] if isinstance(text, str) else list(text)


def hit_matches(hit: Hit, gold: dict[str, Any]) -> bool:
    """Tell whether a hit satisfies one gold answer (report prefix, text, optional section)."""
    passage = hit.passage
    if not passage.report_id.startswith(str(gold.get("report", ""))):
        return False
    if gold.get("section") and gold["section"] not in passage.section:
        return False
    haystack = passage.section + "\n" + passage.text
    return any(alt in haystack for alt in _alternatives(gold))


def evaluate(
    rows: Iterable[dict[str, Any]],
    ask: Callable[[str], Answer],
    render: Callable[[Answer], str],
    k: int,
) -> EvalReport:
    """Ask every gold question and compute hit@1, hit@3, MRR, recall, abstention, fact@200."""
    n = h1 = h3 = rr = 0.0
    recall: list[float] = []
    abstain: list[bool] = []
    facts: list[bool] = []
    noise = 0
    failures: list[str] = []
    passed: dict[str, list[bool]] = {}
    for row in rows:
        before = len(failures)
        answer = ask(row["q"])
        hits = list(answer.hits[:k])
        noise += sum(1 for h in hits if has_noise(h.passage.text) or has_noise(h.passage.section))
        golds = row.get("answers", [])
        mode = row.get("mode", "any")
        if mode == "none":
            abstain.append(not answer.found)
            if answer.found:
                failures.append(f"{row.get('id', row['q'])}: 应答“没找到”却给出了答案")
            passed.setdefault(str(row.get("cat", mode)), []).append(not answer.found)
            continue
        n += 1
        ranks = [i for i, h in enumerate(hits) if any(hit_matches(h, g) for g in golds)]
        first = ranks[0] + 1 if ranks else 0
        h1 += first == 1
        h3 += 0 < first <= 3
        rr += 1 / first if first else 0
        if mode == "all":
            found = [any(hit_matches(h, g) for h in hits) for g in golds]
            recall.append(sum(found) / len(golds) if golds else 1.0)
            if not all(found):
                failures.append(f"{row.get('id')}: recall {sum(found)}/{len(golds)}")
        else:
            head = render(answer)[:FACT_WINDOW]
            ok = any(alt in head for g in golds for alt in _alternatives(g))
            facts.append(ok)
            if not ok:
                failures.append(f"{row.get('id')}: 前 {FACT_WINDOW} 字无答案")
        if first != 1:
            failures.append(f"{row.get('id')}: 首条未命中（rank={first or '-'}）")
        passed.setdefault(str(row.get("cat", mode)), []).append(len(failures) == before)

    def share(values: list[bool] | list[float]) -> float:
        return round(sum(values) / len(values), 3) if values else 1.0

    return EvalReport(
        int(n + len(abstain)),
        round(h1 / n, 3) if n else 1.0,
        round(h3 / n, 3) if n else 1.0,
        round(rr / n, 3) if n else 1.0,
        share(recall),
        share(abstain),
        share(facts),
        noise,
        tuple(failures),
        tuple((cat, share(ok), len(ok)) for cat, ok in passed.items()),
    )
