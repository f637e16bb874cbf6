"""rjieba cuts exactly as jieba: the same dictionary, lexicon frequencies and tokens.

The large check (10⁵ synthetic passages) is bench/bench_segment.py; here the seeds, every
evaluation question and a smaller synthetic corpus.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jieba
import pytest

from qa.language.jiebadict import dictionary_path, read_dictionary
from qa.language.lexicon import LexiconBuilder
from qa.language.tokenizer import Tokenizer, _new_jieba
from qa.reports.ingest import load_reports
from qa.search.tokens import index_text
from tests.jieba_reference import reference_tokenizer, reference_tokens

ROOT = Path(__file__).resolve().parents[2]
QUESTION_FILES = [ROOT.parent / "shared" / "eval" / "dev.jsonl",
                  ROOT.parent / "shared" / "eval" / "dev2.jsonl", ROOT / "bench" / "dev3.jsonl"]


@pytest.fixture(scope="module")
def reference(segmenter: Tokenizer) -> jieba.Tokenizer:
    return reference_tokenizer(segmenter)


def test_the_dictionary_table_is_jiebas_own() -> None:
    """Every word's frequency, every prefix (frequency 0) and the total as jieba loads them."""
    table = read_dictionary(dictionary_path())
    with dictionary_path().open("rb") as file:
        freq, total = jieba.Tokenizer.gen_pfdict(file)
    assert table.total == total
    assert len(table) == sum(1 for f in freq.values() if f)
    assert {word: table.jieba_freq(word) for word in freq} == freq
    for word in list(freq)[::97]:  # the Mapping view and the prefix test, on a sample
        assert table.get(word, (0, ""))[0] == freq[word]
        assert table.is_prefix(word) or word in table
    assert "理论学习中心组" not in table and not table.is_prefix("理论学习中心组")
    assert table.jieba_freq("理论学习中心组") is None and table.jieba_freq("") is None


def test_lexicon_words_get_jiebas_frequencies(segmenter: Tokenizer,
                                              reference: jieba.Tokenizer) -> None:
    builder = LexiconBuilder(segmenter.normalize, _new_jieba())
    builder.build(segmenter.lexicon)
    assert len(builder.added) > 2000  # the thesaurus phrases jieba did not know
    assert {w: reference.FREQ[w] for w in builder.added} == builder.added
    assert builder.table.total + builder.added_total == reference.total


def _texts() -> list[str]:
    corpus = load_reports(ROOT / "seeds")
    texts = [index_text(p) for r in corpus.reports for p in r.passages]
    for path in QUESTION_FILES:
        if path.is_file():
            texts += [json.loads(line)["q"] for line in path.read_text("utf-8").splitlines()
                      if line.strip()]
    return texts


def test_tokens_match_jieba_on_the_seeds_and_questions(segmenter: Tokenizer,
                                                       reference: jieba.Tokenizer) -> None:
    texts = _texts() + ["ABC123abc def 3.5% C++ hello_world 發展黨員１００名", "", " \n\t"]
    assert [segmenter.tokens(t) for t in texts] == [
        reference_tokens(segmenter, reference, t) for t in texts]


def test_tokens_match_jieba_on_a_synthetic_corpus(segmenter: Tokenizer,
                                                  reference: jieba.Tokenizer,
                                                  tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_index import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate(tmp_path, 2000)
    texts = [index_text(p) for r in load_reports(tmp_path).reports for p in r.passages]
    assert len(texts) >= 2000
    for text in texts:
        assert segmenter.tokens(text) == reference_tokens(segmenter, reference, text), text


def test_a_small_lexicon_matches_jieba_too() -> None:
    """Words without frequencies, a repeated word and a prefix of an added word."""
    seg = Tokenizer(lexicon=["评星定级 2000 n", "评星", "党史学习教育", "学习强国", "学习强国 5",
                             "清廉机关", "xyz", "一支部一品牌"], stopwords=())
    reference = reference_tokenizer(seg)
    text = "开展评星定级和党史学习教育，学习强国积分xyz，打造一支部一品牌清廉机关"
    assert seg.tokens(text) == reference_tokens(seg, reference, text)
    builder = LexiconBuilder(seg.normalize, _new_jieba())
    builder.build(seg.lexicon)
    assert builder.added == {w: reference.FREQ[w] for w in builder.added}


def test_a_warm_start_adds_the_cached_words(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The lexicon's words and frequencies come back from the start-up cache, same tokens."""
    import rjieba

    from qa.language import lexicon
    from qa.language import startcache as fastload

    monkeypatch.setattr(fastload, "_cache_dir", tmp_path)
    seg = Tokenizer(lexicon=["评星定级 2000 n", "党史学习教育", "学习强国"], stopwords=())
    text = "开展评星定级和党史学习教育，学习强国积分"
    cold = lexicon.build_tokenizer(seg.lexicon, seg.normalize, rjieba.Jieba(), "k")
    assert [p.name[:11] for p in tmp_path.iterdir()] == ["qa-lexicon-"]

    def no_build(self: LexiconBuilder, words: object) -> None:
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(LexiconBuilder, "build", no_build)
    warm = lexicon.build_tokenizer(seg.lexicon, seg.normalize, rjieba.Jieba(), "k")
    assert warm.cut_for_search(text, False) == cold.cut_for_search(text, False)
    assert warm.has_word("党史学习教育") and warm.has_word("学习强国")
