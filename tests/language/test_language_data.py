"""Every reviewed list in qa/data parses, and each entry does what the list says."""

from __future__ import annotations

import pytest

from qa import QAEngine
from qa.language.normalize import normalize_question
from qa.language.scope import find_scope
from qa.language.tokenizer import Tokenizer
from qa.language.understand import detect_intent
from qa.language.wordlists import load_language, parse_thesaurus, read_lines

LANGUAGE = load_language()
CARRIER = "今年发展了多少党员"


def fold(text: str) -> str:
    return Tokenizer(lexicon=(), stopwords=()).normalize(text)


@pytest.mark.parametrize("filler", LANGUAGE.fillers)
def test_every_filler_is_removed_and_the_question_survives(filler: str) -> None:
    assert normalize_question(f"{filler}{CARRIER}", fold).text.replace(" ", "") == CARRIER


@pytest.mark.parametrize(("old", "new"), LANGUAGE.rewrites)
def test_every_rewrite_applies(old: str, new: str) -> None:
    text = normalize_question(f"党建 {old} 党建", fold).text.replace(" ", "")
    assert old.replace(" ", "") not in text or old.replace(" ", "") in new
    # what it becomes is in the text, unless it became a filler in its turn
    assert new.replace(" ", "") in text or new in LANGUAGE.fillers or not new


@pytest.mark.parametrize(
    ("intent", "phrase"), [(i, p) for i, phrases in LANGUAGE.intents for p in phrases]
)
def test_every_intent_phrase_names_its_intent(intent: str, phrase: str) -> None:
    earlier = [i for i, _ in LANGUAGE.intents[: [n for n, _ in LANGUAGE.intents].index(intent)]]
    got = detect_intent(f"党建工作{phrase}")
    # an earlier intent may claim it only through a phrase inside this one ("问题整改")
    assert got == intent or got in earlier


@pytest.mark.parametrize(("alias", "unit"), LANGUAGE.unit_aliases)
def test_every_unit_alias_scopes_to_its_unit(seeds_engine: QAEngine, alias: str, unit: str) -> None:
    scope, _ = find_scope(f"{alias}开展了哪些活动", seeds_engine.reports, LANGUAGE, "general")
    units = {seeds_engine.report(r).unit for r in scope.report_ids}
    assert scope.named and units == {unit}


@pytest.mark.parametrize("blocker", LANGUAGE.unit_blockers)
def test_unit_blockers_name_no_unit(seeds_engine: QAEngine, blocker: str) -> None:
    scope, _ = find_scope(f"{blocker}建设", seeds_engine.reports, LANGUAGE, "general")
    assert not scope.named


@pytest.mark.parametrize(
    ("kind", "phrase"), [(k, p) for k, phrases in LANGUAGE.smalltalk for p in phrases]
)
def test_every_smalltalk_phrase_alone_is_smalltalk(kind: str, phrase: str) -> None:
    assert normalize_question(f"{phrase}！", fold).smalltalk in ("greeting", "thanks")


@pytest.mark.parametrize("phrase", sorted(LANGUAGE.more_phrases))
def test_every_more_phrase_expands_the_previous_answer(seeds_engine: QAEngine, phrase: str) -> None:
    answer = seeds_engine.ask(phrase, context="清廉机关建设是怎么做的")
    assert answer.found and any("清廉" in q.text for q in answer.quotes)


def test_thesaurus_lines_are_well_formed() -> None:
    lines = read_lines("thesaurus.txt")
    assert len(lines) >= 300
    for line in lines:
        left, _, right = line.partition("=>")
        words = left.split() + right.split()
        assert len(words) >= 2 and all(len(w) >= 2 for w in words), line
        assert line.count("=>") <= 1, line


def test_thesaurus_one_way_and_groups() -> None:
    table = parse_thesaurus(["唠嗑 交心 => 谈心谈话", "关爱 关心关怀"])
    assert table.expand("唠嗑") == ("谈心谈话",) and table.expand("谈心谈话") == ()
    assert table.expand("关爱") == ("关心关怀",) and table.expand("关心关怀") == ("关爱",)


def test_thesaurus_phrases_stay_whole_in_the_tokenizer(segmenter: Tokenizer) -> None:
    assert "唠嗑" in segmenter.tokens("很少找党员唠嗑")
    assert "传声筒" in segmenter.tokens("习惯当传声筒")


def test_economic_acronyms_reach_the_reports_full_names(segmenter: Tokenizer) -> None:
    # Government reports never write GDP/CPI: a question's acronym finds their Chinese names.
    table = load_language().thesaurus
    assert "地区生产总值" in table.expand("gdp") and "居民消费价格" in table.expand("cpi")
    assert "gdp" in segmenter.tokens("重庆GDP总量是多少".lower())


@pytest.mark.parametrize(
    ("label", "phrase"), [(lab, p) for lab, phrases in LANGUAGE.record_fields for p in phrases]
)
def test_every_record_field_phrase_asks_for_its_field(
        seeds_engine: QAEngine, label: str, phrase: str) -> None:
    assert seeds_engine.understand(f"那次组织生活会{phrase}").asked_field == label
