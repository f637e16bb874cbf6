"""Finding unit names checks only the names that can start in the question, with the result
of checking every name in order (the library's names grow with its reports)."""

from __future__ import annotations

import random

from qa import QAEngine
from qa.language import load_language
from qa.language.unitnames import find_in_order, library_names


def test_candidates_find_what_every_name_finds(seeds_engine: QAEngine) -> None:
    language = load_language()
    names = library_names(seeds_engine.reports, language.unit_aliases)
    assert library_names(seeds_engine.reports, language.unit_aliases) is names
    pool = [name for name, _ in names.names] + ["的", "三支部", "第3党支部", "今年", "发展党员"]
    rng = random.Random(5)
    texts = ["".join(rng.choice(pool) for _ in range(rng.randrange(1, 6))) for _ in range(400)]
    texts += [p.text[:80] for r in seeds_engine.reports for p in r.passages[:5]]
    hits = 0
    for text in texts:
        # The plain scan: every name, longest first.
        expected = find_in_order(names.names, text, language.unit_blockers)
        assert names.find(text, language.unit_blockers) == expected, text
        hits += bool(expected[0])
    assert hits > 100  # the texts do name units
