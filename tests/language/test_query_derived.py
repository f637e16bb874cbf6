"""Query.search_terms and term_weights are worked out once per query value, never stale."""

from __future__ import annotations

import dataclasses

from qa.language.understand import EXPANSION_WEIGHT, NEIGHBOUR_WEIGHT, Query


def _query() -> Query:
    return Query("党员教育怎么样", "党员教育怎么样", "general", terms=("党员", "教育"),
                 expansions={"教育": ("培训",)}, neighbours={"党员": ("党龄",)})


def test_search_terms_are_the_words_then_what_they_expand_to_each_once() -> None:
    query = _query()
    assert query.search_terms == ("党员", "教育", "党龄", "培训")
    assert query.search_terms is query.search_terms  # read again, not built again


def test_term_weights_weigh_words_expansions_and_neighbours() -> None:
    assert _query().term_weights() == {"党员": 1.0, "教育": 1.0, "培训": EXPANSION_WEIGHT,
                                       "党龄": NEIGHBOUR_WEIGHT}


def test_a_caller_changing_its_weights_changes_no_other_callers() -> None:
    query = _query()
    query.term_weights()["党员"] = 9.0
    assert query.term_weights()["党员"] == 1.0


def test_a_replaced_query_derives_its_own_terms() -> None:
    query = _query()
    assert query.search_terms and query.term_weights()  # the original's are worked out
    narrowed = dataclasses.replace(query, terms=("教育",), neighbours={})
    assert narrowed.search_terms == ("教育", "培训")
    assert narrowed.term_weights() == {"教育": 1.0, "培训": EXPANSION_WEIGHT}


def test_the_derived_terms_take_no_part_in_equality_or_repr() -> None:
    query, fresh = _query(), _query()
    query.term_weights()
    assert query == fresh
    assert repr(query) == repr(fresh)
