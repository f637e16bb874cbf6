"""Unit names after an upload, worked out from the names before it, are the names a full
learning gives: same names, same order, same units in the same order, same hidden units."""

from __future__ import annotations

import dataclasses
import random
from itertools import chain
from pathlib import Path

import pytest

from qa import QAEngine
from qa.language import load_language
from qa.language import unitnames as un
from qa.language.namedelta import MAX_CHANGED, Learned, relearn
from qa.models import Report
from qa.reports import parse_report

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "corpus"
# Units whose names overlap: 第三党支部 is one unit's own name and another's short name, 宜东支部
# two branches' short name, 县直工委 the short name of 县直机关工委.
UNITS = ("第三党支部", "机关第三党支部", "宜东分公司机关党支部", "宜东分公司第二党支部",
         "县直机关工委", "中共县直机关工作委员会", "南开大学委员会", "上海市人民政府", "")


def extras() -> tuple[tuple[str, str], ...]:
    return tuple(load_language().unit_aliases)


def base_reports(seeds_engine: QAEngine) -> list[Report]:
    texts = sorted(CORPUS.glob("*.txt"))
    corpus = [parse_report(p.stem, p.read_text(encoding="utf-8")) for p in texts]
    return [*seeds_engine.reports, *corpus]


def variants(reports: list[Report], rng: random.Random, count: int) -> list[Report]:
    """Return ``count`` reports with fresh ids and units drawn to make names overlap."""
    made = []
    for i in range(count):
        report = rng.choice(reports)
        unit = rng.choice((*UNITS, report.unit))
        made.append(dataclasses.replace(report, report_id=f"v{rng.randrange(10**9)}-{i}",
                                        unit=unit))
    return made


def learned_from_scratch(reports: list[Report]) -> un.UnitNames:
    return un.build_names(chain(extras(), un._report_pairs(reports)))


def as_learned(reports: list[Report], names: un.UnitNames) -> Learned:
    keys = tuple((r.report_id, r.unit, r.title) for r in reports)
    return Learned(keys, extras(), names.names.names, names.names.units, names.shared)


def relearned(before: list[Report], after: list[Report]) -> Learned | None:
    keys = tuple((r.report_id, r.unit, r.title) for r in after)
    return relearn(as_learned(before, learned_from_scratch(before)), keys, un._key_unit,
                   un._key_names)


def test_some_names_are_shared_and_some_mean_several_units(seeds_engine: QAEngine) -> None:
    # The fixture exercises what a delta must keep: hidden units and names of several units.
    reports = variants(base_reports(seeds_engine), random.Random(1), 60)
    names = learned_from_scratch(reports)
    assert names.shared
    assert any(len(units) > 1 for units in names.names.units)


@pytest.mark.parametrize("seed", range(12))
def test_uploads_and_removals_give_the_full_learning(seeds_engine: QAEngine, seed: int) -> None:
    rng = random.Random(seed)
    pool = base_reports(seeds_engine)
    library = variants(pool, rng, 40) + pool
    rng.shuffle(library)
    for _ in range(6):
        gone = set(rng.sample(range(len(library)), rng.randint(0, 3)))
        kept = [r for i, r in enumerate(library) if i not in gone]
        # An upload replacing a report keeps its id and comes last; a new one comes last too.
        replaced = [dataclasses.replace(library[i], unit=rng.choice(UNITS)) for i in gone
                    if rng.random() < 0.5]
        after = kept + replaced + variants(pool, rng, rng.randint(0, 3))
        got = relearned(library, after)
        full = learned_from_scratch(after)
        assert got is not None
        assert tuple(got.names) == full.names.names
        assert tuple(got.units) == full.names.units
        assert dict(got.shared) == full.shared
        library = after


def test_reordered_libraries_give_the_full_learning(seeds_engine: QAEngine) -> None:
    library = base_reports(seeds_engine)
    for after in (library[::-1], [library[1], library[0], *library[2:]],
                  [*library[:3], *library[4:], library[3]]):  # uploaded again, unchanged
        got = relearned(library, after)
        full = learned_from_scratch(after)
        assert got is not None
        assert (tuple(got.names), tuple(got.units)) == (full.names.names, full.names.units)


def test_large_changes_and_repeated_ids_are_learned_anew(seeds_engine: QAEngine) -> None:
    library = base_reports(seeds_engine)
    many = variants(library, random.Random(2), MAX_CHANGED + 1)
    assert relearned(library, library + many) is None
    assert relearned(library, library + library[:1]) is None  # an id twice


def test_an_upload_does_not_walk_every_report(seeds_engine: QAEngine,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    un._CACHE.clear()
    un._LAST.clear()
    un._PREVIOUS.clear()
    library = tuple(base_reports(seeds_engine))
    first = un.library_names(library, extras())
    added = variants(list(library), random.Random(3), 2)
    after = (*library[1:], *added)

    def walked(reports: object) -> object:
        raise AssertionError("every report walked again")

    with monkeypatch.context() as patch:
        patch.setattr(un, "_report_pairs", walked)
        got = un.library_names(after, extras())
    full = learned_from_scratch(list(after))
    assert got == full and got.shared == full.shared
    assert got != first


def test_the_names_a_text_holds_are_those_a_scan_of_every_name_finds(
        seeds_engine: QAEngine) -> None:
    names = learned_from_scratch(variants(base_reports(seeds_engine), random.Random(4), 80))
    every = names.names.names
    rng = random.Random(6)
    pool = [*rng.sample(every, 40), "的", "第3党支部", "发展党员", "南开", "县"]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randrange(0, 6))) for _ in range(300)]
    texts += [p.text[:120] for r in seeds_engine.reports for p in r.passages[:4]]
    for text in texts:
        assert names.lookup.places(text) == [i for i, n in enumerate(every) if n in text], text
    assert sum(map(bool, map(names.lookup.places, texts))) > 100


def test_the_table_reads_back_as_the_pairs_it_was_made_of(seeds_engine: QAEngine) -> None:
    pairs = list(learned_from_scratch(base_reports(seeds_engine)).names)
    table = un.NamePairs(pairs)
    assert list(table) == pairs and len(table) == len(pairs)
    assert [table[i] for i in range(len(pairs))] == pairs and table[-1] == pairs[-1]
    assert list(table[2:5]) == pairs[2:5] and table.take([3, 0]) == [pairs[3], pairs[0]]
    assert table == un.NamePairs(pairs) and table != un.NamePairs(pairs[1:])
    assert un.NamePairs([]).names == () and len(un.NamePairs([])) == 0
    with pytest.raises(IndexError):
        table[len(pairs)]


def test_the_lengths_by_first_characters_are_those_of_each_name() -> None:
    names = ["县", "县直工委", "县直机关工作委员会", "宜东支部", "宜东分公司机关党支部", "𠀋山",
             "第三党支部", "第三支部", "三支部"]
    ordered = sorted(names, key=lambda n: (-len(n), n))
    table = un.NamePairs([(name, ("某单位",)) for name in ordered])
    expected: dict[str, set[int]] = {}
    for name in names:
        expected.setdefault(name[:2], set()).add(len(name))
    assert un._lengths_by_start(table) == {k: tuple(sorted(v)) for k, v in expected.items()}
    assert un._lengths_by_start(un.NamePairs([])) == {}
