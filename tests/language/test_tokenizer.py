"""The tokeniser: lexicon terms stay whole, stop words go, both sides normalise alike."""

from __future__ import annotations

import pytest

from qa import Tokenizer
from qa.language.wordlists import load_language


@pytest.mark.parametrize(
    "term",
    [
        "三会一课",
        "主题党日",
        "双报到",
        "民主生活会",
        "党建品牌",
        "四种形态",
        "清廉机关",
        "归雁工程",
    ],
)
def test_lexicon_terms_stay_whole(segmenter: Tokenizer, term: str) -> None:
    assert term in segmenter.tokens(f"认真落实{term}制度")


def test_stop_words_and_question_words_are_dropped(segmenter: Tokenizer) -> None:
    tokens = segmenter.tokens("请问进一步切实认真开展了哪些工作？怎么做的")
    assert not {"请问", "进一步", "切实", "认真", "哪些", "怎么"} & set(tokens)
    assert "工作" in tokens


def test_traditional_and_full_width_questions_match_simplified(segmenter: Tokenizer) -> None:
    assert segmenter.tokens("發展黨員多少名") == segmenter.tokens("发展党员多少名")
    assert segmenter.tokens("报到率达１００％") == segmenter.tokens("报到率达100%")


def test_synonyms_expand_queries_only() -> None:
    thesaurus = load_language().thesaurus
    assert {"不足", "短板", "差距"} <= set(thesaurus.expand("问题"))
    assert thesaurus.expand("计划")[:1] == ("打算",)


def test_single_characters_are_not_tokens(segmenter: Tokenizer) -> None:
    assert segmenter.tokens("得 新 评") == []
    assert segmenter.tokens("1552总体思路")[0] == "1552"


def test_version_changes_with_the_lexicon() -> None:
    assert Tokenizer(lexicon=["甲乙丙 10 n"]).version != Tokenizer(lexicon=["丁戊己 10 n"]).version


def test_traditional_characters_are_zhconvs_own() -> None:
    from zhconv import zhconv

    from qa.language.tokenizer import _compute_traditional_chars

    table = zhconv.getdict("zh-cn")
    assert _compute_traditional_chars() == {k for k, v in table.items() if len(k) == 1 and v != k}
