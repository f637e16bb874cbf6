"""The Tokenizer's speed work changes no token: the pipeline as it was, kept verbatim here,
against the Tokenizer on every text we have (seeds, the shared corpus, evaluation questions,
a generated bench corpus) and on texts made to break it (full-width, traditional, combining
marks, compatibility characters, single characters at every edge)."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest

from qa.language.fold import nfkc
from qa.language.tokenizer import Tokenizer, _load_zhconv, _zhconv
from qa.models import Passage, index_text
from qa.reports import load_reports

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

TRICKY = [
    "", " ", " \n\t", "\r\n", "的", "的了", "五多四过", "党的建设的", "了五多四过的",
    "ＡＢＣ１２３，（你好）", "發展黨員１００名", "发展党员", "ΑΣ ΣΑ Σ", "e\u0301 \u00a8x",
    "\u0301开头", "结尾\u0301", "ｶﾞｯｺｳ", "𝐀𝐁 𝟏", "㈠㊀①⑴", "\uf900\uf901豈", "ﬁ ﬀ ℃ ㎡ ½",
    "三会一课 三 会 一 课", "评星定级和党史学习教育", "a b c 1 2 3 ab cd", "𠀀𠀁 𪚥",
    "全角　空格　", "乾隆 乾坤 干部", "後来 后来", "。，、；：？！「」『』【】",
    # Runs of single characters at both ends, back to back, of stop words only, everywhere.
    "的的", "了的了", "新得评，新得评", "评新 新评 得", "五多四过，一二三四五六七八九十",
    "党的的党的的党", "得新评五多四过得新评", "的" * 40,
]


def old_normalize(seg: Tokenizer, text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    if not seg._traditional_set().isdisjoint(text):
        _load_zhconv()
        text = _zhconv.convert(text, "zh-cn")
    return text


def old_tokens(seg: Tokenizer, text: str) -> list[str]:
    jieba = seg.initialize()
    words = _old_join(seg, jieba.cut_for_search(old_normalize(seg, text), False))
    out: list[str] = []
    for word in words:
        out += seg._expand(word, jieba)
    return out


def _old_join(seg: Tokenizer, words: Iterable[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and "\u4e00" <= word <= "\u9fff":
            run.append(word)
            continue
        joined = "".join(run).strip("".join(c for c in run if c in seg.stopwords))
        if len(joined) > 1:
            out.append(joined)
        run = []
        out.append(word)
    return out[:-1]


def _texts() -> list[str]:
    texts = [index_text(p) for r in load_reports(ROOT / "seeds").reports for p in r.passages]
    if (SHARED / "corpus" / "corpus").is_dir():
        corpus = load_reports(SHARED / "corpus" / "corpus")
        texts += [index_text(p) for r in corpus.reports for p in r.passages]
    for path in sorted((SHARED / "eval").glob("dev*.jsonl")):
        texts += [json.loads(line)["q"] for line in path.read_text("utf-8").splitlines()
                  if line.strip()]
    return texts


def _bench_texts(folder: Path) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_index import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate(folder, 3000)
    return [index_text(p) for r in load_reports(folder).reports for p in r.passages]


def test_nfkc_is_unicodedatas_on_every_bmp_character_and_around_it() -> None:
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    assert [nfkc(c) for c in chars] == [unicodedata.normalize("NFKC", c) for c in chars]
    # Runs next to what they may compose with: combining marks after, letters before.
    changed = [c for c in chars if unicodedata.normalize("NFKC", c) != c]
    for c in changed[::7]:
        for text in (f"a{c}\u0301", f"{c}\u0327\u0301", f"e{c}", f"\u1100{c}\u1161", c * 3):
            assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)


def test_tokens_are_the_old_pipelines_on_every_text(segmenter: Tokenizer) -> None:
    texts = _texts() + TRICKY
    assert len(texts) > 1000
    for text in texts:
        assert segmenter.normalize(text) == old_normalize(segmenter, text), text
        assert segmenter.tokens(text) == old_tokens(segmenter, text), text


def test_tokens_are_the_old_pipelines_on_a_bench_corpus(segmenter: Tokenizer,
                                                         tmp_path: Path) -> None:
    texts = _bench_texts(tmp_path)
    assert len(texts) >= 3000
    assert [segmenter.tokens(t) for t in texts] == [old_tokens(segmenter, t) for t in texts]


@pytest.mark.parametrize("text", TRICKY)
def test_a_fresh_tokenizer_gives_the_same_tokens(text: str) -> None:
    """The word cache starts empty: first sight and repeated sight agree."""
    seg = Tokenizer(lexicon=["五多四过"], stopwords=["的", "了"])
    first = seg.tokens(text)
    assert first == seg.tokens(text) == old_tokens(seg, text)


def _head_and_text(passage: Passage) -> tuple[str, str]:
    headings = passage.section_path[:-1] if passage.label else passage.section_path
    return " ".join(headings), passage.text


def _pairs(folder: Path | None = None) -> list[tuple[str, str]]:
    folders = [ROOT / "seeds", SHARED / "corpus" / "corpus"] if folder is None else [folder]
    return [_head_and_text(p) for f in folders if f.is_dir()
            for r in load_reports(f).reports for p in r.passages]


HEAD_EDGES = [("发展党员", "發展黨員"), ("發展黨員", "发展党员"), ("ΑΣ", "Σα"),
              ("标题", "\u0301正文"), ("五多", "四过"), ("的了", "了的"),
              ("一、 ", " 正文"), ("标题\r", "\n正文"),
              ("", "正文"), ("标题", ""), ("ａｂ", "ｃｄ１"), ("abc", "def"), ("3.", "5%"),
              ("乾", "隆"), ("（一）", "（二）"), ("𝐀", "𝐁"), ("e", "\u0301")]


def test_a_heading_then_its_text_splits_at_the_space(segmenter: Tokenizer,
                                                     tmp_path: Path) -> None:
    """tokens(h + " " + t) == tokens(h) + tokens(t) without traditional characters, and
    tokens_after(h, t) == tokens(h + " " + t) always: every passage of the seeds, the corpus
    and a bench corpus, and edges made to break it."""
    _bench_texts(tmp_path)
    pairs = _pairs() + _pairs(tmp_path) + HEAD_EDGES
    assert len(pairs) > 4000
    split = 0
    for head, text in pairs:
        joined = segmenter.tokens(head + " " + text)
        assert segmenter.tokens_after(head, text) == joined, (head, text)
        assert segmenter.tokens_after(head, text) == joined, (head, text)  # remembered head
        if segmenter._traditional_set().isdisjoint(segmenter.normalize(head + text)):
            assert segmenter.tokens(head) + segmenter.tokens(text) == joined, (head, text)
            split += 1
    assert split > len(pairs) - 10


def test_the_traditional_test_is_the_set_test(segmenter: Tokenizer) -> None:
    """_has_traditional (GB 2312 and its few traditional characters) is exactly ``not
    isdisjoint`` with the whole set: every traditional character alone and inside simplified
    text, characters GB 2312 lacks that are not traditional, and every text we have."""
    traditional = segmenter._traditional_set()
    others = ["", "党建", "ä", "•", "𠀀", "\u3000", "—", "€", "ｶ", "abc 123", "「", "乾"]
    texts = [*others, *traditional, *(f"发展{c}党员" for c in traditional),
             *(f"{o}{c}" for c in sorted(traditional)[::50] for o in others)]
    texts += [segmenter.normalize(t) for t in _texts() + TRICKY]
    for text in texts:
        assert segmenter._has_traditional(text) == (not traditional.isdisjoint(text)), text


def test_remembered_heads_are_bounded() -> None:
    seg = Tokenizer(lexicon=(), stopwords=())
    for i in range(5000):
        assert seg.tokens_after(f"第{i}节 发展党员", "正文") == seg.tokens(f"第{i}节 发展党员 正文")
    assert len(seg._heads) <= 4096


def test_the_changed_characters_come_back_from_the_start_up_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.language import fold, startcache

    computed = fold._changed_ranges()
    monkeypatch.setattr(startcache, "_cache_dir", tmp_path)
    monkeypatch.setattr(fold, "_changed_ranges", lambda: computed)
    fold._changed.cache_clear()
    try:
        first = fold._changed().pattern
        (cached,) = tmp_path.iterdir()
        fold._changed.cache_clear()
        monkeypatch.setattr(fold, "_changed_ranges", lambda: [[0xFF01, 0xFF01]])
        assert fold._changed().pattern == first  # read back, not computed
        cached.write_text("[[1, 2]]", encoding="utf-8")  # damaged: computed again
        fold._changed.cache_clear()
        assert fold._changed().pattern != first
    finally:
        fold._changed.cache_clear()


def test_search_mode_is_the_cut_with_each_long_words_inner_words(segmenter: Tokenizer) -> None:
    """What ``_search_expand`` relies on: rjieba's ``cut_for_search`` is its ``cut`` with, before
    each word longer than two characters, its 2- then 3-character dictionary words (jieba
    0.42.1's definition), on every text we have and on jieba's dictionary words run together."""
    jieba = segmenter.initialize()

    def search_mode(text: str) -> list[str]:
        out: list[str] = []
        for word in jieba.cut(text, False):
            size = len(word)
            for gram in (2, 3):
                if size > gram:
                    out += [word[i : i + gram] for i in range(size - gram + 1)
                            if jieba.has_word(word[i : i + gram])]
            out.append(word)
        return out

    words = [line.split()[0] for line in
             segmenter.dictionary_path.read_text("utf-8").splitlines()[::7] if line.strip()]
    texts = [*(segmenter.normalize(t) for t in _texts() + TRICKY),
             *("".join(words[i : i + 3]) for i in range(0, len(words), 3))]
    assert len(texts) > 10_000
    for text in texts:
        assert search_mode(text) == jieba.cut_for_search(text, False), text
