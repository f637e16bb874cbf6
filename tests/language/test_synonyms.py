"""Cilin synonym groups (qa.language.synonyms) and the intents it seeded."""

from __future__ import annotations

import pytest

from qa.language import load_language
from qa.language.synonyms import group_table
from qa.language.understand import detect_intent

TREE = {"A": {"sub": {"01=": ["病根", "病因", "病源"], "02#": ["病根", "症状"],
                      "03=": [f"w{i}" for i in range(20)]}}}


def test_only_equal_groups_are_synonyms() -> None:
    table = group_table(TREE)
    assert table["病根"] == ("病因", "病源")
    assert "症状" not in table


def test_a_topic_sized_group_is_not_a_synonym_set() -> None:
    assert "w1" not in group_table(TREE)


@pytest.mark.parametrize(("question", "intent"), [
    ("党组问题的病因是什么", "causes"),
    ("工委的缺陷有哪些", "problems"),
    ("机关党委有哪些长处", "highlights"),
    ("党委有什么经验体会", "highlights"),
    ("今后有什么方略", "plans"),
])
def test_cilin_seeded_words_name_their_section(question: str, intent: str) -> None:
    assert detect_intent(question, load_language()) == intent
